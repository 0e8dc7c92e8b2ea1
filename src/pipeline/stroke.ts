import { forEachRun, type BinaryImage } from './image.js'

/**
 * Estimates the pen's stroke width: for every ink pixel the shorter of its horizontal and
 * vertical ink runs, then the median over all ink pixels. Crossing a stroke gives a run of
 * about its width; running along it gives a long run, and the minimum discards those.
 *
 * @param image binary image, 1 = ink
 * @returns stroke width in pixels (at least 1); 1 when there is no ink
 */
export function estimateStrokeWidth(image: BinaryImage): number {
  const { width, height, data } = image
  // Horizontal run through each pixel; then vertical runs as (ink above) + (ink below) − 1,
  // both computed row by row so that memory is read in order.
  const horizontal = new Uint16Array(width * height)
  for (let y = 0; y < height; y++) {
    const row = y * width
    forEachRun(data, row, width, (start, end) => horizontal.fill(Math.min(end - start, MAX_MEASURED_RUN), row + start, row + end))
  }
  const above = new Uint16Array(width * height)
  for (let i = 0; i < width; i++) above[i] = data[i] === 0 ? 0 : 1
  for (let i = width; i < width * height; i++) above[i] = data[i] === 0 ? 0 : Math.min(above[i - width] + 1, MAX_MEASURED_RUN)
  const below = new Uint16Array(width)
  const histogram = new Float64Array(MAX_MEASURED_RUN + 1)
  let total = 0
  for (let y = height - 1; y >= 0; y--) {
    const row = y * width
    for (let x = 0; x < width; x++) {
      const i = row + x
      if (data[i] === 0) {
        below[x] = 0
        continue
      }
      below[x] = Math.min(below[x] + 1, MAX_MEASURED_RUN)
      const vertical = Math.min(above[i] + below[x] - 1, MAX_MEASURED_RUN)
      histogram[vertical < horizontal[i] ? vertical : horizontal[i]]++
      total++
    }
  }
  if (total === 0) return 1
  let seen = 0
  for (let run = 1; run <= MAX_MEASURED_RUN; run++) {
    seen += histogram[run]
    if (seen >= total / 2) return run
  }
  return MAX_MEASURED_RUN
}

/** Runs longer than this are blobs, not strokes; they all count in one bin. */
const MAX_MEASURED_RUN = 255

/** Median of a list of numbers; NaN for an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
