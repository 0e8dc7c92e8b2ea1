/**
 * Plain image and geometry types shared by every pipeline stage. Stages are pure functions over
 * these; none of them touches sharp, files or the network.
 */

/** A single-channel image, row-major. Values are intensities in [0, 1]: 0 is black, 1 is white. */
export interface GrayImage {
  readonly width: number
  readonly height: number
  readonly data: Float32Array
}

/** A binary image, row-major: 1 is ink (foreground), 0 is background. */
export interface BinaryImage {
  readonly width: number
  readonly height: number
  readonly data: Uint8Array
}

/** An axis-aligned box in pixels; `x`, `y` is the top-left pixel, `width`/`height` are inclusive counts. */
export interface Box {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/** Right edge (exclusive) of a box. */
export const boxRight = (b: Box): number => b.x + b.width
/** Bottom edge (exclusive) of a box. */
export const boxBottom = (b: Box): number => b.y + b.height

/** The smallest box that holds every box given; throws on an empty list. */
export function unionBoxes(boxes: readonly Box[]): Box {
  if (boxes.length === 0) throw new RangeError('unionBoxes needs at least one box')
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity
  for (const b of boxes) {
    x0 = Math.min(x0, b.x)
    y0 = Math.min(y0, b.y)
    x1 = Math.max(x1, boxRight(b))
    y1 = Math.max(y1, boxBottom(b))
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }
}

/** Scales a box by `factor` and rounds outward to whole pixels, clamped to `width` × `height`. */
export function scaleBox(b: Box, factor: number, width: number, height: number): Box {
  const x0 = Math.max(0, Math.floor(b.x * factor))
  const y0 = Math.max(0, Math.floor(b.y * factor))
  const x1 = Math.min(width, Math.ceil(boxRight(b) * factor))
  const y1 = Math.min(height, Math.ceil(boxBottom(b) * factor))
  return { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) }
}

/**
 * Calls `visit(start, end)` for each run of non-zero values in `data[offset, offset + length)`,
 * with `start`/`end` relative to `offset` (end exclusive), left to right.
 */
export function forEachRun(data: Uint8Array, offset: number, length: number, visit: (start: number, end: number) => void): void {
  const words = wordsOf(data)
  const last = offset + length
  let i = nextInk(data, words, offset, last)
  while (i < last) {
    let end = i + 1
    while (end < last && data[end] !== 0) end++
    visit(i - offset, end - offset)
    i = nextInk(data, words, end, last)
  }
}

/** Each mask's bytes as 32-bit words, made once per mask (a page's rows are walked one call at a time). */
const maskWords = new WeakMap<Uint8Array, Uint32Array | null>()

/**
 * The bytes of `data` as 32-bit words, for {@link nextInk}; null when they do not start on a word
 * boundary. Kept per mask, so that a mask walked row by row is viewed once.
 */
export function wordsOf(data: Uint8Array): Uint32Array | null {
  let words = maskWords.get(data)
  if (words === undefined) {
    words = data.byteOffset % 4 === 0 ? new Uint32Array(data.buffer, data.byteOffset, data.length >> 2) : null
    maskWords.set(data, words)
  }
  return words
}

/**
 * The first index in [from, end) where `data` is not 0, or `end`. Ink is sparse: stretches of
 * background are passed over a word (four pixels) at a time, `words` being `data`'s ({@link wordsOf}).
 */
export function nextInk(data: Uint8Array, words: Uint32Array | null, from: number, end: number): number {
  let i = from
  if (words !== null) {
    for (; i < end && (i & 3) !== 0; i++) if (data[i] !== 0) return i
    while (i + 4 <= end && words[i >> 2] === 0) i += 4
  }
  while (i < end && data[i] === 0) i++
  return i
}

/** A word of a page: its items (glyphs) left to right, and their union box. */
export interface TextWord<Item> {
  readonly box: Box
  readonly glyphs: Item[]
}

/** A line of a page: its words left to right, and their union box. */
export interface TextLine<Item> {
  readonly box: Box
  readonly words: TextWord<Item>[]
}
