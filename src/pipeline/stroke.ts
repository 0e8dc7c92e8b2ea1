import type { BinaryImage } from './image.js'

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
  const horizontal = new Uint16Array(width * height)
  for (let y = 0; y < height; y++) {
    let x = 0
    while (x < width) {
      if (data[y * width + x] === 0) { x++; continue }
      let end = x
      while (end < width && data[y * width + end] !== 0) end++
      const run = Math.min(end - x, 0xffff)
      for (let k = x; k < end; k++) horizontal[y * width + k] = run
      x = end
    }
  }
  const histogram = new Float64Array(MAX_MEASURED_RUN + 1)
  let total = 0
  for (let x = 0; x < width; x++) {
    let y = 0
    while (y < height) {
      if (data[y * width + x] === 0) { y++; continue }
      let end = y
      while (end < height && data[end * width + x] !== 0) end++
      const vertical = end - y
      for (let k = y; k < end; k++) {
        const run = Math.min(vertical, horizontal[k * width + x], MAX_MEASURED_RUN)
        histogram[run]++
        total++
      }
      y = end
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
