import { forEachRun, type BinaryImage, type GrayImage } from './image.js'

/**
 * Binary dilation by a (2·radiusX+1) × (2·radiusY+1) rectangle, done separably with running
 * counts so the cost is linear in pixels whatever the radius. Pixels outside the image are
 * background.
 *
 * @param image binary image, 1 = ink
 * @param radiusX horizontal half-width of the structuring element, ≥ 0
 * @param radiusY vertical half-height of the structuring element, ≥ 0
 * @returns a new binary image: 1 wherever the rectangle centred there touches ink
 */
export function dilate(image: BinaryImage, radiusX: number, radiusY: number): BinaryImage {
  const horizontal = dilateRows(image.data, image.width, image.height, radiusX)
  const data = dilateColumns(horizontal, image.width, image.height, radiusY)
  return { width: image.width, height: image.height, data }
}

/**
 * 1 where any pixel within `radius` along the row is 1. Ink is sparse, so each row is walked run
 * by run and each run is widened with one `fill`.
 */
function dilateRows(data: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const out = new Uint8Array(data.length)
  for (let y = 0; y < height; y++) {
    const row = y * width
    forEachRun(data, row, width, (start, end) => out.fill(1, row + Math.max(0, start - radius), row + Math.min(width, end + radius)))
  }
  return out
}

/**
 * 1 where any pixel within `radius` up or down the column is 1: each run of ink in a row is
 * copied into the rows within `radius` above and below it. Memory is read in row order.
 */
function dilateColumns(data: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const out = new Uint8Array(data.length)
  for (let y = 0; y < height; y++) {
    const first = Math.max(0, y - radius),
      last = Math.min(height - 1, y + radius)
    forEachRun(data, y * width, width, (start, end) => {
      for (let target = first; target <= last; target++) out.fill(1, target * width + start, target * width + end)
    })
  }
  return out
}

/**
 * Grey-level maximum (grey dilation) or minimum (grey erosion) over a (2·radius+1)² square,
 * separable, in constant time per pixel whatever the radius (van Herk / Gil–Werman: running
 * extremes within blocks of the window's length, forwards and backwards, combined at each
 * window's two ends); the window is clipped at the image border.
 *
 * @param image grey image
 * @param radius half-size of the square window, ≥ 0
 * @param mode `'max'` (grey dilation) or `'min'` (grey erosion)
 * @returns a new grey image
 */
export function rankFilter(image: GrayImage, radius: number, mode: 'max' | 'min'): GrayImage {
  const { width, height } = image
  // On negated values a minimum is a maximum: one code path serves both.
  const sign = mode === 'max' ? 1 : -1
  const src = new Float32Array(image.data.length)
  for (let i = 0; i < src.length; i++) src[i] = sign * image.data[i]
  const across = runningMax(src, width, height, 1, width, radius)
  const out = runningMax(across, height, width, width, 1, radius)
  for (let i = 0; i < out.length; i++) out[i] = sign * out[i]
  return { width, height, data: out }
}

/**
 * {@link rankFilter} for a 0/1 mask: 1 where every cell (`'min'`, erosion) or any cell (`'max'`,
 * dilation) of the (2·radius+1)² square, clipped at the border, is 1; the same cells as the grey
 * filter gives on the mask's values, from running counts of set cells along rows then columns.
 *
 * @param mask 0/1 values, row-major
 * @returns a new 0/1 mask
 */
export function binaryRankFilter(mask: Uint8Array, width: number, height: number, radius: number, mode: 'max' | 'min'): Uint8Array {
  const across = new Uint8Array(mask.length),
    out = new Uint8Array(mask.length)
  windowTest(mask, across, width, height, 1, width, radius, mode === 'max')
  windowTest(across, out, height, width, width, 1, radius, mode === 'max')
  return out
}

/**
 * Along lines of `length` samples (`step` apart), `lines` of them (`lineStep` apart): 1 where the
 * window of ±`radius` samples, clipped to the line, holds a 1 (`any`) or nothing else (all).
 */
function windowTest(
  src: Uint8Array,
  out: Uint8Array,
  length: number,
  lines: number,
  step: number,
  lineStep: number,
  radius: number,
  any: boolean,
): void {
  for (let l = 0; l < lines; l++) {
    const start = l * lineStep
    let set = 0
    for (let k = 0; k < Math.min(radius, length); k++) set += src[start + k * step]
    for (let k = 0; k < length; k++) {
      if (k + radius < length) set += src[start + (k + radius) * step]
      if (k - radius - 1 >= 0) set -= src[start + (k - radius - 1) * step]
      const size = Math.min(length - 1, k + radius) - Math.max(0, k - radius) + 1
      out[start + k * step] = (any ? set > 0 : set === size) ? 1 : 0
    }
  }
}

/**
 * Running maximum over windows of 2·radius + 1 samples along lines of `length` samples (`step`
 * apart), `lines` of them (`lineStep` apart). Every line is walked in blocks of the window's
 * length; lines are padded with −∞ by `radius` at both ends so that every window is whole.
 */
function runningMax(src: Float32Array, length: number, lines: number, step: number, lineStep: number, radius: number): Float32Array {
  const out = new Float32Array(src.length)
  const window = 2 * radius + 1
  const end = length + 2 * radius
  const line = new Float32Array(end).fill(-Infinity),
    forward = new Float32Array(end),
    backward = new Float32Array(end)
  for (let l = 0; l < lines; l++) {
    const start = l * lineStep
    for (let k = 0; k < length; k++) line[k + radius] = src[start + k * step]
    for (let from = 0; from < end; from += window) {
      const to = Math.min(end, from + window)
      let most = (forward[from] = line[from])
      for (let k = from + 1; k < to; k++) forward[k] = most = line[k] > most ? line[k] : most
      most = backward[to - 1] = line[to - 1]
      for (let k = to - 2; k >= from; k--) backward[k] = most = line[k] > most ? line[k] : most
    }
    // The window [k, k + 2·radius] (padded) spans the end of one block (backward) and the start of the next (forward).
    for (let k = 0; k < length; k++) {
      const a = backward[k],
        b = forward[k + 2 * radius]
      out[start + k * step] = a > b ? a : b
    }
  }
  return out
}

/**
 * Mean filter over a (2r+1)² square, separable with running sums; the window is clipped at the
 * border (the mean is over the pixels inside).
 */
export function boxBlur(image: GrayImage, radius: number): GrayImage {
  const { width, height } = image
  const pass = (src: Float32Array, alongRows: boolean): Float32Array => {
    const out = new Float32Array(src.length)
    const lines = alongRows ? height : width
    const length = alongRows ? width : height
    const stride = alongRows ? 1 : width
    for (let line = 0; line < lines; line++) {
      const start = alongRows ? line * width : line
      let sum = 0,
        n = 0
      for (let k = 0; k < Math.min(radius, length); k++) {
        sum += src[start + k * stride]
        n++
      }
      for (let k = 0; k < length; k++) {
        const enter = k + radius
        if (enter < length) {
          sum += src[start + enter * stride]
          n++
        }
        const leave = k - radius - 1
        if (leave >= 0) {
          sum -= src[start + leave * stride]
          n--
        }
        out[start + k * stride] = sum / n
      }
    }
    return out
  }
  return { width, height, data: pass(pass(image.data, true), false) }
}
