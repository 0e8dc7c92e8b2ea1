import type { GrayImage } from './image.js'
import { boxBlur, rankFilter } from './morphology.js'

/** Options for {@link flattenBackground}. */
export interface BackgroundOptions {
  /** Side of one background cell in pixels; the estimate is made on a grid of such cells. */
  readonly cellSize: number
  /** Radius, in cells, of the grey closing that removes ink from the estimate. */
  readonly closingRadius: number
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
 * @returns a grey image in [0, 1] where paper is close to 1 everywhere
 */
export function flattenBackground(image: GrayImage, options: BackgroundOptions): GrayImage {
  const background = estimateBackground(image, options)
  const { width, height } = image
  const out = new Float32Array(width * height)
  const gridW = background.width, gridH = background.height
  const cell = options.cellSize
  for (let y = 0; y < height; y++) {
    // Cell centres sit at (k + 0.5) · cell; interpolate between the two nearest.
    const gy = Math.min(Math.max((y + 0.5) / cell - 0.5, 0), gridH - 1)
    const y0 = Math.floor(gy), y1 = Math.min(y0 + 1, gridH - 1), fy = gy - y0
    for (let x = 0; x < width; x++) {
      const gx = Math.min(Math.max((x + 0.5) / cell - 0.5, 0), gridW - 1)
      const x0 = Math.floor(gx), x1 = Math.min(x0 + 1, gridW - 1), fx = gx - x0
      const b = background.data
      const top = b[y0 * gridW + x0] * (1 - fx) + b[y0 * gridW + x1] * fx
      const bottom = b[y1 * gridW + x0] * (1 - fx) + b[y1 * gridW + x1] * fx
      const paper = top * (1 - fy) + bottom * fy
      const i = y * width + x
      out[i] = paper > MIN_PAPER_BRIGHTNESS ? Math.min(1, image.data[i] / paper) : 1
    }
  }
  return { width, height, data: out }
}

/** Below this the "paper" is too dark to tell ink from it; treat it as blank. */
const MIN_PAPER_BRIGHTNESS = 0.02

/**
 * The background estimate on the cell grid (see {@link flattenBackground}).
 *
 * @returns a grey image of ⌈width / cellSize⌉ × ⌈height / cellSize⌉ cells
 */
export function estimateBackground(image: GrayImage, options: BackgroundOptions): GrayImage {
  const cell = options.cellSize
  const gridW = Math.ceil(image.width / cell), gridH = Math.ceil(image.height / cell)
  const sums = new Float64Array(gridW * gridH)
  const counts = new Float64Array(gridW * gridH)
  for (let y = 0; y < image.height; y++) {
    const gy = Math.floor(y / cell) * gridW
    for (let x = 0; x < image.width; x++) {
      const g = gy + Math.floor(x / cell)
      sums[g] += image.data[y * image.width + x]
      counts[g]++
    }
  }
  const means = new Float32Array(gridW * gridH)
  for (let g = 0; g < means.length; g++) means[g] = sums[g] / counts[g]
  const grid: GrayImage = { width: gridW, height: gridH, data: means }
  const closed = rankFilter(rankFilter(grid, options.closingRadius, 'max'), options.closingRadius, 'min')
  return boxBlur(closed, 1)
}
