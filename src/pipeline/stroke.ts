import { nextInk, wordsOf, type BinaryImage } from './image.js'

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
  // Row by row: each row's horizontal runs, then, at each pixel where a column's vertical run ends,
  // that run's pixels each take the shorter of the two runs into the histogram (the rows above are
  // measured by then). Memory is read in row order: walking a column, each pixel is on another cache line.
  const horizontal = new Uint8Array(width * height)
  // The row where each column's current vertical run started.
  const runStart = new Int32Array(width)
  const histogram = new Int32Array(MAX_MEASURED_RUN + 1)
  const words = wordsOf(data)
  let total = 0
  for (let y = 0; y < height; y++) {
    const row = y * width
    let x = nextInk(data, words, row, row + width) - row
    while (x < width) {
      let end = x + 1
      while (end < width && data[row + end] !== 0) end++
      horizontal.fill(Math.min(end - x, MAX_MEASURED_RUN), row + x, row + end)
      for (let k = x; k < end; k++) {
        if (y === 0 || data[row - width + k] === 0) runStart[k] = y
        if (y + 1 < height && data[row + width + k] !== 0) continue
        const vertical = Math.min(y + 1 - runStart[k], MAX_MEASURED_RUN)
        for (let i = runStart[k] * width + k; i <= row + k; i += width) histogram[vertical < horizontal[i] ? vertical : horizontal[i]]++
        total += y + 1 - runStart[k]
      }
      x = nextInk(data, words, row + end, row + width) - row
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
