import sharp, { type Metadata } from 'sharp'
import type { ColourImage } from './chroma.js'
import type { GrayImage } from './image.js'

/** Options for {@link decodeImage}. */
export interface DecodeOptions {
  /** Refuse images with more pixels than this, checked from the header before decoding. */
  readonly maxInputPixels: number
  /** Refuse images with a side longer than this many pixels (header check; default: no limit). */
  readonly maxImageSide?: number
  /** Refuse images whose longer side is more than this many times the shorter (header check; default: no limit). */
  readonly maxAspectRatio?: number
  /** The decoded image is scaled so that it has about this many pixels... */
  readonly workingPixels: number
  /** ...but a small image is enlarged by at most this factor per side. */
  readonly maxUpscale: number
}

/** A decoded photo at working resolution plus what it takes to map back to the upload. */
export interface DecodedImage {
  /** Greyscale at working resolution, EXIF-oriented, alpha flattened onto white. */
  readonly gray: GrayImage
  /** The same pixels in colour (RGB) as decoded, to tell the sheet by (a grey upload comes as greys); absent for one channel. */
  readonly colour?: ColourImage
  /** Size of the upload after EXIF orientation, in pixels. */
  readonly originalWidth: number
  readonly originalHeight: number
  /** Working pixels per original pixel (the same on both axes). */
  readonly scale: number
  /** The upload's format as sharp names it (`jpeg`, `png`, …). */
  readonly format: string
}

/**
 * Why an input was refused: `too-large` (pixels), `side-too-long` and `too-elongated` (shape)
 * are limits; `unsupported-format` is an image format the decoder cannot read (HEIC).
 */
export type ImageInputReason = 'unreadable' | 'too-large' | 'side-too-long' | 'too-elongated' | 'unsupported-format' | 'empty'

/** Thrown for an input that is not a decodable image, or one too large to decode. */
export class ImageInputError extends Error {
  constructor(
    message: string,
    readonly reason: ImageInputReason,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'ImageInputError'
  }
}

/** EXIF orientations 5–8 turn the picture by 90°, swapping width and height. */
const TRANSPOSING_ORIENTATIONS = new Set([5, 6, 7, 8])

/** The formats {@link decodeImage} reads, as a person would name them. */
export const SUPPORTED_FORMATS = 'JPEG, PNG, WebP, TIFF, GIF or AVIF'

/**
 * ISO base media (`ftyp`) brands of HEIC/HEIF photos, whose HEVC pictures the decoder cannot read.
 * AVIF shares the container (and the `mif1` brand) but is readable: it is told apart by its own brands.
 */
const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs', 'heif', 'mif1', 'mif2', 'msf1'])
const AVIF_BRANDS = new Set(['avif', 'avis'])

/**
 * Whether the bytes start like a HEIC/HEIF file that is not AVIF: an `ftyp` box whose major
 * brand is a HEIF one and whose compatible brands name no AVIF.
 *
 * @param input the first bytes of an upload (only the `ftyp` box is read)
 */
export function isHeic(input: Uint8Array): boolean {
  if (input.length < 16) return false
  const ascii = (from: number): string => String.fromCharCode(input[from], input[from + 1], input[from + 2], input[from + 3])
  if (ascii(4) !== 'ftyp') return false
  const boxSize = Math.min(input.length, ((input[0] << 24) >>> 0) + (input[1] << 16) + (input[2] << 8) + input[3])
  const compatible: string[] = []
  for (let at = 16; at + 4 <= boxSize; at += 4) compatible.push(ascii(at))
  return HEIF_BRANDS.has(ascii(8)) && !compatible.some((brand) => AVIF_BRANDS.has(brand))
}

/**
 * Reads an upload's header and checks it against the limits, without decoding any pixel: the
 * format (HEIC is refused), the pixel count, each side and the aspect ratio. Cheap whatever the
 * image claims, so a server can run it before handing the bytes to a worker.
 *
 * @param input encoded image bytes
 * @returns sharp's metadata of the header, with a width and a height
 * @throws ImageInputError when the bytes are empty, HEIC, not an image, or over a limit
 */
export async function readImageHeader(
  input: Uint8Array,
  limits: Pick<DecodeOptions, 'maxInputPixels' | 'maxImageSide' | 'maxAspectRatio'>,
): Promise<Metadata & { width: number; height: number }> {
  if (input.length === 0) throw new ImageInputError('The image is empty.', 'empty')
  if (isHeic(input)) {
    throw new ImageInputError(
      `HEIC/HEIF images are not supported: send ${SUPPORTED_FORMATS} (a phone can save its photos as JPEG).`,
      'unsupported-format',
    )
  }
  let metadata: Metadata
  try {
    metadata = await sharp(input, { limitInputPixels: false }).metadata()
  } catch (cause) {
    throw new ImageInputError('The data is not an image that can be decoded.', 'unreadable', { cause })
  }
  const { width, height } = metadata
  if (!width || !height) throw new ImageInputError('The image has no size.', 'unreadable')
  const size = `${width} × ${height} pixels`
  if (width * height > limits.maxInputPixels) {
    throw new ImageInputError(`The image has ${size}, more than the limit of ${limits.maxInputPixels}.`, 'too-large')
  }
  if (limits.maxImageSide !== undefined && Math.max(width, height) > limits.maxImageSide) {
    throw new ImageInputError(`The image has ${size}: a side is longer than the limit of ${limits.maxImageSide} pixels.`, 'side-too-long')
  }
  const aspect = Math.max(width, height) / Math.min(width, height)
  if (limits.maxAspectRatio !== undefined && aspect > limits.maxAspectRatio) {
    throw new ImageInputError(
      `The image has ${size}, an aspect ratio of ${formatRatio(aspect)}:1, more elongated than the limit of ${limits.maxAspectRatio}:1.`,
      'too-elongated',
    )
  }
  return { ...metadata, width, height }
}

/** A ratio with at most one decimal, without a trailing `.0`. */
const formatRatio = (ratio: number): string => (ratio >= 1000 ? String(Math.round(ratio)) : String(Math.round(ratio * 10) / 10))

/**
 * Decodes image bytes with sharp into a greyscale image at a fixed working pixel count, so
 * that all later stages see the same scale whatever the camera (a 12 MP photo and a 0.5 MP
 * copy of it give the same working image); images under a quarter of the working size are
 * enlarged by at most `maxUpscale`. Honours EXIF orientation and flattens alpha onto
 * white paper.
 *
 * @param input encoded image bytes (JPEG, PNG, WebP, TIFF, GIF, …)
 * @returns the working image and the scale back to the upload's oriented pixels
 * @throws ImageInputError when the bytes are empty, HEIC, not an image, or over a limit (see {@link readImageHeader})
 */
export async function decodeImage(input: Uint8Array, options: DecodeOptions): Promise<DecodedImage> {
  const metadata = await readImageHeader(input, options)
  const rawWidth = metadata.width,
    rawHeight = metadata.height
  const transposed = TRANSPOSING_ORIENTATIONS.has(metadata.orientation ?? 1)
  const originalWidth = transposed ? rawHeight : rawWidth
  const originalHeight = transposed ? rawWidth : rawHeight
  // Small images are enlarged at most `maxUpscale` times: beyond that there is no detail to gain, only work.
  const scale = Math.min(options.maxUpscale, Math.sqrt(options.workingPixels / (originalWidth * originalHeight)))
  const width = Math.max(1, Math.round(originalWidth * scale))
  const height = Math.max(1, Math.round(originalHeight * scale))
  try {
    let pipeline = sharp(input, { limitInputPixels: options.maxInputPixels, failOn: 'warning' }).rotate()
    if (metadata.hasAlpha) pipeline = pipeline.flatten({ background: '#ffffff' })
    // Greyscale is computed below from RGB: libvips' colourspace conversion costs more than the decode.
    const { data, info } = await pipeline
      .resize(width, height, { fit: 'fill', kernel: scale < 1 ? 'lanczos3' : 'cubic' })
      .raw()
      .toBuffer({ resolveWithObject: true })
    return {
      gray: { width: info.width, height: info.height, data: toLuma(data, info.channels) },
      ...(info.channels >= 3 ? { colour: { width: info.width, height: info.height, channels: info.channels, data } } : {}),
      originalWidth,
      originalHeight,
      scale: info.width / originalWidth,
      format: metadata.format ?? 'unknown',
    }
  } catch (cause) {
    throw new ImageInputError('The image is truncated or corrupt and could not be decoded.', 'unreadable', { cause })
  }
}

/**
 * Luma in [0, 1] from interleaved 8-bit pixels: (R + 2G + B) / 4 for colour (close to Rec. 601
 * and cheap), the value itself for grey; any alpha channel is ignored (already flattened).
 */
export function toLuma(data: Uint8Array, channels: number): Float32Array {
  const pixels = new Float32Array(Math.floor(data.length / channels))
  if (channels < 3) {
    for (let i = 0, j = 0; i < pixels.length; i++, j += channels) pixels[i] = data[j] * (1 / 255)
    return pixels
  }
  for (let i = 0, j = 0; i < pixels.length; i++, j += channels) pixels[i] = (data[j] + 2 * data[j + 1] + data[j + 2]) * (1 / 1020)
  return pixels
}
