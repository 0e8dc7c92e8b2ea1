import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'

/**
 * Readers for MNIST-style IDX files (optionally gzip-compressed): unsigned-byte images (magic
 * 0x00000803) and labels (0x00000801), big-endian headers.
 */

const IMAGES_MAGIC = 0x00000803
const LABELS_MAGIC = 0x00000801
const GZIP_MAGIC = [0x1f, 0x8b] as const

/** A stack of same-sized 8-bit images, row-major, one after the other. */
export interface IdxImages {
  readonly count: number
  readonly rows: number
  readonly columns: number
  readonly pixels: Uint8Array
}

/** Decompresses `bytes` when they start with the gzip magic, else returns them as they are. */
export function maybeGunzip(bytes: Uint8Array): Uint8Array {
  return bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1] ? new Uint8Array(gunzipSync(bytes)) : bytes
}

function header(bytes: Uint8Array, words: number, magic: number, what: string): number[] {
  if (bytes.length < 4 * words) throw new RangeError(`IDX ${what} file is too short`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const values = Array.from({ length: words }, (_, i) => view.getUint32(4 * i, false))
  if (values[0] !== magic) throw new RangeError(`not an IDX ${what} file: magic 0x${values[0].toString(16)}`)
  return values
}

/**
 * Parses an IDX3 image file.
 *
 * @param bytes file contents, gzip or raw
 * @returns the images; throws on a wrong magic number or a truncated file
 */
export function parseIdxImages(bytes: Uint8Array): IdxImages {
  const raw = maybeGunzip(bytes)
  const [, count, rows, columns] = header(raw, 4, IMAGES_MAGIC, 'image')
  const size = count * rows * columns
  if (raw.length < 16 + size) throw new RangeError(`IDX image file holds ${raw.length - 16} bytes of pixels, header says ${size}`)
  return { count, rows, columns, pixels: raw.subarray(16, 16 + size) }
}

/**
 * Parses an IDX1 label file.
 *
 * @param bytes file contents, gzip or raw
 * @returns one byte per label (here: the character's ASCII code); throws on a wrong magic or truncation
 */
export function parseIdxLabels(bytes: Uint8Array): Uint8Array {
  const raw = maybeGunzip(bytes)
  const [, count] = header(raw, 2, LABELS_MAGIC, 'label')
  if (raw.length < 8 + count) throw new RangeError(`IDX label file holds ${raw.length - 8} labels, header says ${count}`)
  return raw.subarray(8, 8 + count)
}

/** Reads and parses an IDX3 image file from disk. */
export const readIdxImages = (path: string): IdxImages => parseIdxImages(readFileSync(path))
/** Reads and parses an IDX1 label file from disk. */
export const readIdxLabels = (path: string): Uint8Array => parseIdxLabels(readFileSync(path))

/** The pixels of image `index` (a view, not a copy). */
export function idxImage(images: IdxImages, index: number): Uint8Array {
  const size = images.rows * images.columns
  return images.pixels.subarray(index * size, (index + 1) * size)
}
