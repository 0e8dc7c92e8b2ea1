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
  // Horizontal run through each pixel, row by row; then each column's vertical runs, whose pixels
  // each take the shorter of the two into the histogram.
  const horizontal = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    const row = y * width
    let x = 0
    while (x < width) {
      if (data[row + x] === 0) {
        x++
        continue
      }
      let end = x + 1
      while (end < width && data[row + end] !== 0) end++
      horizontal.fill(Math.min(end - x, MAX_MEASURED_RUN), row + x, row + end)
      x = end
    }
  }
  const histogram = new Int32Array(MAX_MEASURED_RUN + 1)
  let total = 0
  for (let x = 0; x < width; x++) {
    let y = 0
    while (y < height) {
      if (data[y * width + x] === 0) {
        y++
        continue
      }
      let end = y + 1
      while (end < height && data[end * width + x] !== 0) end++
      const vertical = Math.min(end - y, MAX_MEASURED_RUN)
      for (let i = y * width + x; i < end * width; i += width) histogram[vertical < horizontal[i] ? vertical : horizontal[i]]++
      total += end - y
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
