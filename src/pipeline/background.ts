import type { GrayImage } from './image.js'
import { boxBlur, rankFilter } from './morphology.js'

/** Options for {@link flattenBackground}. */
export interface BackgroundOptions {
  /** Side of one background cell in pixels; the estimate is made on a grid of such cells. */
  readonly cellSize: number
  /** Radius, in cells, of the grey closing that removes ink from the estimate. */
  readonly closingRadius: number
  /** Paper darker than this is taken to be this bright, so that near-black areas do not blow up. */
  readonly minPaperBrightness: number
}

/**
 * Estimates the paper's brightness at every pixel and divides it out, so that shadows,
 * vignetting and light gradients become a flat white page with the ink left dark.
 *
 * The estimate averages the image over `cellSize` cells, removes dark strokes with a grey
 * closing (max then min, which keeps the step edge of a cast shadow where a plain max filter
 * would smear the bright side into it), smooths it, and interpolates it bilinearly back to
 * full resolution.
 *
 * @param image grey image in [0, 1], 0 = black
 * @param background the estimate on the cell grid, when the caller has already made it ({@link estimateBackground})
 * @returns a grey image in [0, 1] where paper is close to 1 everywhere
 */
export function flattenBackground(
  image: GrayImage,
  options: BackgroundOptions,
  background = estimateBackground(image, options),
): GrayImage {
  const { width, height } = image
  const out = new Float32Array(width * height)
  const gridW = background.width
  const rows = interpolationTable(height, options.cellSize, background.height)
  const b = background.data
  // Interpolating the reciprocal of the paper brightness turns a division per pixel into a product.
  const reciprocal = new Float32Array(b.length)
  for (let g = 0; g < b.length; g++) reciprocal[g] = 1 / Math.max(b[g], options.minPaperBrightness)
  const gridRow = new Float32Array(gridW)
  const data = image.data
  const cell = options.cellSize
  for (let y = 0; y < height; y++) {
    // Interpolate the grid vertically once per row; along the row the value is linear between
    // cell centres, so it advances by a constant step per pixel.
    const r0 = rows.low[y] * gridW,
      r1 = rows.high[y] * gridW,
      fy = rows.fraction[y]
    for (let g = 0; g < gridW; g++) gridRow[g] = reciprocal[r0 + g] + (reciprocal[r1 + g] - reciprocal[r0 + g]) * fy
    const row = y * width
    let x = 0
    const firstCentre = Math.min(width, Math.floor(cell / 2))
    for (; x < firstCentre; x++) out[row + x] = Math.min(data[row + x] * gridRow[0], 1)
    for (let g = 0; g + 1 < gridW; g++) {
      const end = Math.min(width, Math.floor((g + 1) * cell + cell / 2))
      const start = g * cell + cell / 2
      const step = (gridRow[g + 1] - gridRow[g]) / cell
      let inverse = gridRow[g] + (x + 0.5 - start) * step
      for (; x < end; x++) {
        out[row + x] = Math.min(data[row + x] * inverse, 1)
        inverse += step
      }
    }
    for (; x < width; x++) out[row + x] = Math.min(data[row + x] * gridRow[gridW - 1], 1)
  }
  return { width, height, data: out }
}

/**
 * For each pixel along one axis, the two grid cells whose centres surround it and the weight of
 * the second: cell centres sit at (k + 0.5) · cellSize, and pixels beyond the outer centres take
 * the outer cell.
 */
function interpolationTable(
  length: number,
  cellSize: number,
  cells: number,
): { low: Int32Array; high: Int32Array; fraction: Float32Array } {
  const low = new Int32Array(length),
    high = new Int32Array(length),
    fraction = new Float32Array(length)
  for (let p = 0; p < length; p++) {
    const g = Math.min(Math.max((p + 0.5) / cellSize - 0.5, 0), cells - 1)
    low[p] = Math.floor(g)
    high[p] = Math.min(low[p] + 1, cells - 1)
    fraction[p] = g - low[p]
  }
  return { low, high, fraction }
}

/**
 * The background estimate on the cell grid (see {@link flattenBackground}).
 *
 * @returns a grey image of ⌈width / cellSize⌉ × ⌈height / cellSize⌉ cells
 */
export function estimateBackground(image: GrayImage, options: BackgroundOptions): GrayImage {
  const cell = options.cellSize
  const gridW = Math.ceil(image.width / cell),
    gridH = Math.ceil(image.height / cell)
  const sums = new Float64Array(gridW * gridH)
  const { width, height, data } = image
  for (let y = 0; y < height; y++) {
    const gridRow = Math.floor(y / cell) * gridW
    const row = y * width
    for (let g = 0; g < gridW; g++) {
      const end = Math.min((g + 1) * cell, width)
      let sum = 0
      for (let x = g * cell; x < end; x++) sum += data[row + x]
      sums[gridRow + g] += sum
    }
  }
  const means = new Float32Array(gridW * gridH)
  for (let gy = 0; gy < gridH; gy++) {
    const cellHeight = Math.min((gy + 1) * cell, height) - gy * cell
    for (let gx = 0; gx < gridW; gx++) {
      const cellWidth = Math.min((gx + 1) * cell, width) - gx * cell
      means[gy * gridW + gx] = sums[gy * gridW + gx] / (cellWidth * cellHeight)
    }
  }
  const grid: GrayImage = { width: gridW, height: gridH, data: means }
  const closed = rankFilter(rankFilter(grid, options.closingRadius, 'max'), options.closingRadius, 'min')
  return boxBlur(closed, 1)
}
