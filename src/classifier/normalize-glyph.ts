import { forEachRun, type BinaryImage } from '../pipeline/image.js'
import { estimateStrokeWidth } from '../pipeline/stroke.js'

/**
 * Glyph normalisation for the classifier: one letter's binary ink mask in, the 28×28 float image
 * the models were trained on out (EMNIST polarity: ink high, values in [0, 1]).
 *
 * This is the serving twin of `training/normalize.py`; `test/classifier/normalize-parity.test.ts`
 * checks that both give the same pixels on the committed fixtures. Change both or neither.
 *
 * Algorithm:
 * 1. Ink box: the smallest box holding every ink pixel. No ink gives an all-zero image.
 * 2. Stroke width: for every ink pixel the shorter of its horizontal and vertical ink runs inside
 *    the box; the stroke width `w` is their median (the smallest run length whose cumulative count
 *    reaches half the ink pixels, runs capped at 255). With `S` the box's longer side and
 *    `t = MIN_STROKE_RATIO · S`: if `w < t`, the ink is dilated by a disc of radius
 *    `r = floor((t − w) / 2 + 0.5)` (offsets with dx² + dy² ≤ r²) and the ink box is taken again.
 *    Thin pens on big crops would otherwise shrink to faint hairlines, unlike EMNIST's thick strokes.
 * 3. Pad to square: side `S = max(width, height)`; the box goes at column `floor((S − width) / 2)` and
 *    row `floor((S − height) / 2)` of an S × S zero canvas.
 * 4. Resize to 20 × 20 with an area (box) filter, separable, in float64: output cell `i` covers source
 *    `[i·S/20, (i+1)·S/20)` and takes the overlap-weighted mean of the pixels it covers.
 * 5. Centre by mass: the ink's centre of mass from integer sums over the square mask,
 *    `c = (Σx / n + 0.5) · 20 / S − 0.5` in 20-grid units (the area filter keeps the centroid); the
 *    20 × 20 block, placed at offset 4, is shifted by `floor(13.5 − (4 + c) + 0.5)`, clamped so that
 *    every non-zero row and column stays inside 28 × 28; values are clipped to [0, 1] and stored as float32.
 */

/** Side of the classifier's input image. */
export const GLYPH_SIZE = 28
/** Side of the square the letter is resized to before it is centred (EMNIST/MNIST style margin). */
export const INNER_SIZE = 20
/** Median stroke width over the box's longer side below which strokes are thickened (EMNIST's 10th percentile). */
export const MIN_STROKE_RATIO = 0.1
/** Where the 20 × 20 block sits before it is centred by mass. */
const INNER_OFFSET = (GLYPH_SIZE - INNER_SIZE) / 2

/** An ink box, exclusive ends. */
interface InkBox {
  readonly x0: number
  readonly y0: number
  readonly x1: number
  readonly y1: number
}

/** The smallest box holding every non-zero pixel of `mask`; null when there is none. */
export function inkBox(mask: BinaryImage): InkBox | null {
  const { width, height, data } = mask
  let x0 = width,
    y0 = height,
    x1 = -1,
    y1 = -1
  for (let y = 0; y < height; y++) {
    // Each row's first and last ink pixel, each found from its end of the row.
    const row = y * width
    let first = 0
    while (first < width && data[row + first] === 0) first++
    if (first === width) continue
    let last = width - 1
    while (data[row + last] === 0) last--
    if (first < x0) x0 = first
    if (last > x1) x1 = last
    if (y < y0) y0 = y
    y1 = y
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 }
}

/** A copy of the pixels of `mask` inside `box`, as 0/1. */
function cropMask(mask: BinaryImage, box: InkBox): BinaryImage {
  const width = box.x1 - box.x0,
    height = box.y1 - box.y0
  const data = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    const from = (y + box.y0) * mask.width + box.x0
    // As a number, not a choice: a branch per pixel is mispredicted all along the strokes.
    for (let x = 0; x < width; x++) data[y * width + x] = +(mask.data[from + x] !== 0)
  }
  return { width, height, data }
}

/**
 * Radius of the disc that brings a stroke up to {@link MIN_STROKE_RATIO} of the glyph's longer side.
 *
 * @param strokeWidth measured stroke width, pixels
 * @param side the ink box's longer side, pixels
 * @returns dilation radius in pixels; 0 when the stroke is thick enough
 */
export function strokeDilationRadius(strokeWidth: number, side: number): number {
  const target = MIN_STROKE_RATIO * side
  if (strokeWidth >= target) return 0
  return Math.floor((target - strokeWidth) / 2 + 0.5)
}

/**
 * Dilates `mask` by a disc of `radius` (dx² + dy² ≤ r²) into a canvas grown by `radius` on every
 * side. The disc is a stack of horizontal segments, half-width `floor(√(r² − dy²))` at row offset
 * dy: every ink run of a mask row, widened by the half-width, is filled into each row it reaches,
 * so the cost grows with the runs and r, not with the pixels and r².
 */
export function dilateDisc(mask: BinaryImage, radius: number): BinaryImage {
  const width = mask.width + 2 * radius,
    height = mask.height + 2 * radius
  const data = new Uint8Array(width * height)
  const halfWidths = Array.from({ length: radius + 1 }, (_, dy) => Math.floor(Math.sqrt(radius * radius - dy * dy)))
  // A row has at most one run per two pixels: [start, end) pairs.
  const runs = new Int32Array(mask.width + 1)
  for (let y = 0; y < mask.height; y++) {
    let runEnds = 0
    forEachRun(mask.data, y * mask.width, mask.width, (start, end) => {
      runs[runEnds++] = start
      runs[runEnds++] = end
    })
    for (let dy = -radius; dy <= radius; dy++) {
      const k = halfWidths[Math.abs(dy)]
      // Ink at mask column m reaches canvas columns m + radius − k … m + radius + k.
      const row = (y + radius + dy) * width + radius
      // Spans are a few pixels long: a loop costs less than a call to `fill`.
      for (let r = 0; r < runEnds; r += 2) for (let i = row + runs[r] - k, end = row + runs[r + 1] + k; i < end; i++) data[i] = 1
    }
  }
  return { width, height, data }
}

/**
 * The area filter from `source` to `target` pixels: entry [i · source + j] is the overlap of output
 * cell i with source pixel j, times target / source (so every row sums to 1).
 */
export function areaWeights(source: number, target: number): Float64Array {
  const weights = new Float64Array(target * source)
  for (let i = 0; i < target; i++) {
    const low = (i * source) / target
    const high = ((i + 1) * source) / target
    const last = Math.min(source, Math.ceil(high))
    for (let j = Math.floor(low); j < last; j++) {
      const overlap = Math.min(high, j + 1) - Math.max(low, j)
      if (overlap > 0) weights[i * source + j] = (overlap * target) / source
    }
  }
  return weights
}

/** Shift that moves `INNER_OFFSET + centre` to the middle, clamped so that cells first..last stay inside. */
function centreShift(centre: number, first: number, last: number): number {
  const shift = Math.floor(GLYPH_SIZE / 2 - 0.5 - (INNER_OFFSET + centre) + 0.5)
  return Math.max(-(INNER_OFFSET + first), Math.min(GLYPH_SIZE - 1 - (INNER_OFFSET + last), shift))
}

/**
 * Normalises one letter for the classifier (the algorithm is in this module's header).
 *
 * @param mask the letter's binary ink mask (1 = ink), cropped to roughly its box; stray pixels count as ink
 * @returns 28 × 28 row-major float32 image, ink high, values in [0, 1]; all zero when there is no ink
 */
export function normalizeGlyph(mask: BinaryImage): Float32Array {
  const out = new Float32Array(GLYPH_SIZE * GLYPH_SIZE)
  const box = inkBox(mask)
  if (box === null) return out
  let crop = cropMask(mask, box)
  const radius = strokeDilationRadius(estimateStrokeWidth(crop), Math.max(crop.width, crop.height))
  if (radius > 0) {
    const dilated = dilateDisc(crop, radius)
    crop = cropMask(dilated, inkBox(dilated) as InkBox)
  }
  const side = Math.max(crop.width, crop.height)
  const left = Math.floor((side - crop.width) / 2),
    top = Math.floor((side - crop.height) / 2)
  // Integer moment sums over the square: exact, so both languages round the shift the same way.
  let sumX = 0,
    sumY = 0,
    count = 0
  for (let y = 0; y < crop.height; y++) {
    for (let x = 0; x < crop.width; x++) {
      if (crop.data[y * crop.width + x] === 0) continue
      sumX += x + left
      sumY += y + top
      count++
    }
  }
  const inner = resizeSquare(crop, side, left, top)
  const scale = INNER_SIZE / side
  const centreX = (sumX / count + 0.5) * scale - 0.5
  const centreY = (sumY / count + 0.5) * scale - 0.5
  const [firstCol, lastCol, firstRow, lastRow] = nonZeroExtent(inner)
  const offsetX = INNER_OFFSET + centreShift(centreX, firstCol, lastCol)
  const offsetY = INNER_OFFSET + centreShift(centreY, firstRow, lastRow)
  for (let y = 0; y < INNER_SIZE; y++) {
    for (let x = 0; x < INNER_SIZE; x++) {
      const value = inner[y * INNER_SIZE + x]
      out[(y + offsetY) * GLYPH_SIZE + x + offsetX] = value < 0 ? 0 : value > 1 ? 1 : value
    }
  }
  return out
}

/** Area-resizes `crop`, placed at (`left`, `top`) in a `side`² zero square, to INNER_SIZE², float64. */
function resizeSquare(crop: BinaryImage, side: number, left: number, top: number): Float64Array {
  const weights = areaWeights(side, INNER_SIZE)
  // Rows first: every output row mixes the source rows it covers. A source row reaches at most
  // two output rows (side ≥ INNER_SIZE) or a few (smaller crops): only those are visited, in
  // ascending source order per output row, so the sums are the same as over every row.
  const rowsResized = new Float64Array(INNER_SIZE * side)
  for (let y = 0; y < crop.height; y++) {
    const source = y + top
    const firstRow = Math.floor((source * INNER_SIZE) / side)
    const lastRow = Math.min(INNER_SIZE - 1, Math.floor(((source + 1) * INNER_SIZE) / side))
    for (let i = firstRow; i <= lastRow; i++) {
      const weight = weights[i * side + source]
      if (weight === 0) continue
      const target = i * side + left
      for (let x = 0; x < crop.width; x++) {
        if (crop.data[y * crop.width + x] !== 0) rowsResized[target + x] += weight
      }
    }
  }
  const inner = new Float64Array(INNER_SIZE * INNER_SIZE)
  // Output column j covers source columns [j·side/20, (j+1)·side/20): the other weights are 0 and
  // add nothing to the sum.
  for (let j = 0; j < INNER_SIZE; j++) {
    const firstColumn = Math.floor((j * side) / INNER_SIZE)
    const endColumn = Math.min(side, Math.ceil(((j + 1) * side) / INNER_SIZE))
    for (let i = 0; i < INNER_SIZE; i++) {
      let sum = 0
      for (let x = firstColumn; x < endColumn; x++) sum += rowsResized[i * side + x] * weights[j * side + x]
      inner[i * INNER_SIZE + j] = sum
    }
  }
  return inner
}

/** [first column, last column, first row, last row] holding a value above zero in an INNER_SIZE² block. */
function nonZeroExtent(inner: Float64Array): [number, number, number, number] {
  let firstCol = INNER_SIZE,
    lastCol = -1,
    firstRow = INNER_SIZE,
    lastRow = -1
  for (let y = 0; y < INNER_SIZE; y++) {
    for (let x = 0; x < INNER_SIZE; x++) {
      if (!(inner[y * INNER_SIZE + x] > 0)) continue
      firstCol = Math.min(firstCol, x)
      lastCol = Math.max(lastCol, x)
      firstRow = Math.min(firstRow, y)
      lastRow = Math.max(lastRow, y)
    }
  }
  return [firstCol, lastCol, firstRow, lastRow]
}
