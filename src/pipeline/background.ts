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
  /**
   * Near a step of the cell estimate (a cast shadow's edge, a sheet's edge on a desk) the estimate is
   * refined on a grid this many pixels fine ({@link stepBackground})...
   */
  readonly stepScale: number
  /** ...by a grey closing of this radius in working pixels, wider than half any pen stroke... */
  readonly stepClosingPixels: number
  /** ...in the cells whose neighbourhood (two cells around) of the cell estimate spans more than this ratio of brightness... */
  readonly stepContrast: number
  /** ...across a step whose dark side is at least this many cells wide (a bold letter's dip in the estimate is narrower). */
  readonly stepMinCells: number
}

/**
 * Estimates the paper's brightness at every pixel and divides it out, so that shadows,
 * vignetting and light gradients become a flat white page with the ink left dark.
 *
 * The estimate averages the image over `cellSize` cells, removes dark strokes with a grey
 * closing (max then min, which keeps the step edge of a cast shadow where a plain max filter
 * would smear the bright side into it), smooths it, and interpolates it bilinearly back to
 * full resolution. Across a sharp step (a hard shadow's edge, a sheet's edge on a dark desk) the
 * coarse estimate is a ramp a few cells wide: on the step's dark side it is too bright, and a band
 * along the edge would turn to ink. There the paper is taken from a finer estimate that follows the
 * step ({@link stepBackground}) wherever that one is darker.
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
  const outBits = new Int32Array(out.buffer, out.byteOffset, out.length)
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
    for (; x < firstCentre; x++) out[row + x] = data[row + x] * gridRow[0]
    for (let g = 0; g + 1 < gridW; g++) {
      const end = Math.min(width, Math.floor((g + 1) * cell + cell / 2))
      const start = g * cell + cell / 2
      const step = (gridRow[g + 1] - gridRow[g]) / cell
      let inverse = gridRow[g] + (x + 0.5 - start) * step
      for (; x < end; x++) {
        out[row + x] = data[row + x] * inverse
        inverse += step
      }
    }
    for (; x < width; x++) out[row + x] = data[row + x] * gridRow[gridW - 1]
    clampBitsToOne(outBits, row, row + width)
  }
  refineAtSteps(image, out, background, options)
  return { width, height, data: out }
}

/** The bits of the float 1. */
const ONE_BITS = 0x3f800000

/**
 * Lowers to 1 every float above it in `bits[from, to)`, the bits of non-negative floats. This is
 * `Math.min(v, 1)` on them (rounding to float first changes nothing, 1 being a float), without
 * its branch: paper flattens to values on both sides of 1, which the branch mispredicts half the
 * time, several times the cost of the pass (non-negative floats order as their bits do, as integers).
 */
export function clampBitsToOne(bits: Int32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const over = (bits[i] - ONE_BITS) | 0
    bits[i] = ONE_BITS + (over & (over >> 31))
  }
}

/**
 * Where the cell estimate steps (its brightness across two cells around a cell spans more than
 * `stepContrast`), divides by the finer step-following estimate wherever that one is darker
 * (in place on `out`, the image flattened by the cell estimate).
 */
function refineAtSteps(image: GrayImage, out: Float32Array, background: GrayImage, options: BackgroundOptions): void {
  const stepped = steppedCells(background, options.stepContrast, options.stepMinCells)
  if (!stepped.includes(1)) return
  const { width, height, data } = image
  const scale = Math.max(1, Math.round(options.stepScale))
  const fine = stepBackground(image, scale, Math.max(1, Math.round(options.stepClosingPixels / scale)))
  const cell = options.cellSize
  const fineWidth = fine.width
  for (let gy = 0; gy < background.height; gy++) {
    for (let gx = 0; gx < background.width; gx++) {
      if (stepped[gy * background.width + gx] === 0) continue
      const x1 = Math.min(width, (gx + 1) * cell),
        y1 = Math.min(height, (gy + 1) * cell)
      for (let y = gy * cell; y < y1; y++) {
        const fineRow = Math.floor(y / scale) * fineWidth
        for (let x = gx * cell; x < x1; x++) {
          const paper = Math.max(fine.data[fineRow + Math.floor(x / scale)], options.minPaperBrightness)
          const v = Math.min(data[y * width + x] / paper, 1)
          if (v > out[y * width + x]) out[y * width + x] = v
        }
      }
    }
  }
}

/**
 * Marks the cells near a step of the estimate: those whose neighbourhood of two cells around spans
 * more than `contrast` (brightest over darkest, minus one), once dark patches narrower than
 * `minCells` are closed away. Light gradients and vignetting change by far less over five cells; a
 * hard shadow or a sheet's edge on a desk changes by a third or more, and its dark side is wide,
 * where the dip a big bold letter leaves in the estimate is not (and must not be refined away).
 *
 * @returns 1 per stepped cell, on the estimate's grid
 */
export function steppedCells(background: GrayImage, contrast: number, minCells: number): Uint8Array {
  const radius = Math.max(0, Math.ceil((minCells - 1) / 2))
  const wide = rankFilter(rankFilter(background, radius, 'max'), radius, 'min')
  const brightest = rankFilter(wide, STEP_NEIGHBOURHOOD_CELLS, 'max').data
  const darkest = rankFilter(wide, STEP_NEIGHBOURHOOD_CELLS, 'min').data
  const out = new Uint8Array(background.data.length)
  for (let i = 0; i < out.length; i++) out[i] = brightest[i] > (1 + contrast) * Math.max(darkest[i], 1e-3) ? 1 : 0
  return out
}

/** Cells around a cell whose estimate is compared to say whether it is near a step. */
const STEP_NEIGHBOURHOOD_CELLS = 2

/**
 * A finer estimate of the paper's brightness that follows step edges: the image averaged over
 * `scale` × `scale` blocks, a grey closing by a (2·radius+1)² square (which removes every dark
 * mark thinner than the square, pen strokes, and keeps straight steps and ramps of light where
 * they are), then a grey erosion by one block, so that at a step the estimate errs to the dark
 * side: ink a pixel or two from a shadow's edge on its bright side comes out a little lighter,
 * where an estimate erring the other way would turn paper on the dark side into a line of ink.
 *
 * @param image grey image in [0, 1]
 * @param scale block side in pixels; @param radius closing radius in blocks
 * @returns a ⌈width / scale⌉ × ⌈height / scale⌉ grey image
 */
export function stepBackground(image: GrayImage, scale: number, radius: number): GrayImage {
  const blocks = blockMeans(image, scale)
  const closed = rankFilter(rankFilter(blocks, radius, 'max'), radius, 'min')
  return rankFilter(closed, 1, 'min')
}

/** The image averaged over `block` × `block` blocks (partial blocks at the right and bottom averaged over what they hold). */
function blockMeans(image: GrayImage, block: number): GrayImage {
  const { width, height, data } = image
  const bw = Math.ceil(width / block),
    bh = Math.ceil(height / block)
  const sums = new Float32Array(bw * bh)
  for (let y = 0; y < height; y++) {
    const blockRow = Math.floor(y / block) * bw
    for (let b = 0, x = 0; b < bw; b++) {
      const end = Math.min(width, x + block)
      let sum = 0
      for (; x < end; x++) sum += data[y * width + x]
      sums[blockRow + b] += sum
    }
  }
  for (let by = 0; by < bh; by++) {
    const rows = Math.min(height, (by + 1) * block) - by * block
    for (let bx = 0; bx < bw; bx++) sums[by * bw + bx] /= rows * (Math.min(width, (bx + 1) * block) - bx * block)
  }
  return { width: bw, height: bh, data: sums }
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
