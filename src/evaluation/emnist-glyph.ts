import type { BinaryImage } from '../pipeline/image.js'

/**
 * Turns an EMNIST glyph (28×28 bytes, white ink on black, soft edges) into the kind of mask the
 * service's letter finder hands over, so that test sets go through the same normaliser as photos.
 * The twin of `emnist_to_mask` in `training/normalize.py`: bilinear upsampling by
 * {@link EMNIST_UPSAMPLE} (half-pixel centres, edge pixels clamped), then ink where the value is at
 * least {@link EMNIST_INK_LEVEL}. Every weight is a multiple of 1/8 and at most two are non-zero per
 * output pixel, so the arithmetic is exact and both languages give identical masks.
 */

/** Upsampling factor: 28 px glyphs become 112 px, inside the 25–120 px letters the service sees. */
export const EMNIST_UPSAMPLE = 4
/** Grey level (0–255) from which an upsampled pixel counts as ink. */
export const EMNIST_INK_LEVEL = 128

/** For each output position, the two source indices and the weight of the second. */
function bilinearTaps(size: number, factor: number): { low: Int32Array; high: Int32Array; fraction: Float64Array } {
  const count = size * factor
  const low = new Int32Array(count),
    high = new Int32Array(count),
    fraction = new Float64Array(count)
  for (let i = 0; i < count; i++) {
    const position = (i + 0.5) / factor - 0.5
    const base = Math.floor(position)
    fraction[i] = position - base
    low[i] = Math.min(Math.max(base, 0), size - 1)
    high[i] = Math.min(Math.max(base + 1, 0), size - 1)
  }
  return { low, high, fraction }
}

/**
 * EMNIST glyph to binary ink mask.
 *
 * @param pixels `size`×`size` bytes, row-major, white (255) ink on black (0), upright
 * @param size side of the glyph (28 for EMNIST)
 * @returns mask of side `size · EMNIST_UPSAMPLE`, 1 = ink
 */
export function emnistToMask(pixels: Uint8Array, size = 28): BinaryImage {
  const side = size * EMNIST_UPSAMPLE
  const { low, high, fraction } = bilinearTaps(size, EMNIST_UPSAMPLE)
  const wide = new Float64Array(size * side)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < side; x++) {
      wide[y * side + x] = pixels[y * size + low[x]] * (1 - fraction[x]) + pixels[y * size + high[x]] * fraction[x]
    }
  }
  const data = new Uint8Array(side * side)
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const value = wide[low[y] * side + x] * (1 - fraction[y]) + wide[high[y] * side + x] * fraction[y]
      data[y * side + x] = value >= EMNIST_INK_LEVEL ? 1 : 0
    }
  }
  return { width: side, height: side, data }
}
