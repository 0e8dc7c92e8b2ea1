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
  let x = 0
  while (x < length) {
    if (data[offset + x] === 0) {
      x++
      continue
    }
    let end = x
    while (end < length && data[offset + end] !== 0) end++
    visit(x, end)
    x = end
  }
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
