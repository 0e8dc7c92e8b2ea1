import sharp, { type Metadata } from 'sharp'
import type { GrayImage } from './image.js'

/** Options for {@link decodeImage}. */
export interface DecodeOptions {
  /** Refuse images with more pixels than this, checked from the header before decoding. */
  readonly maxInputPixels: number
  /** The decoded image is scaled so that it has about this many pixels... */
  readonly workingPixels: number
  /** ...but a small image is enlarged by at most this factor per side. */
  readonly maxUpscale: number
}

/** A decoded photo at working resolution plus what it takes to map back to the upload. */
export interface DecodedImage {
  /** Greyscale at working resolution, EXIF-oriented, alpha flattened onto white. */
  readonly gray: GrayImage
  /** Size of the upload after EXIF orientation, in pixels. */
  readonly originalWidth: number
  readonly originalHeight: number
  /** Working pixels per original pixel (the same on both axes). */
  readonly scale: number
  /** The upload's format as sharp names it (`jpeg`, `png`, …). */
  readonly format: string
}

/** Thrown for an input that is not a decodable image, or one too large to decode. */
export class ImageInputError extends Error {
  constructor(message: string, readonly reason: 'unreadable' | 'too-large' | 'empty', options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ImageInputError'
  }
}

/** EXIF orientations 5–8 turn the picture by 90°, swapping width and height. */
const TRANSPOSING_ORIENTATIONS = new Set([5, 6, 7, 8])

/**
 * Decodes image bytes with sharp into a greyscale image at a fixed working pixel count, so
 * that all later stages see the same scale whatever the camera (a 12 MP photo and a 0.5 MP
 * copy of it give the same working image); images under a quarter of the working size are
 * enlarged by at most `maxUpscale`. Honours EXIF orientation and flattens alpha onto
 * white paper.
 *
 * @param input encoded image bytes (JPEG, PNG, WebP, TIFF, GIF, …)
 * @returns the working image and the scale back to the upload's oriented pixels
 * @throws ImageInputError when the bytes are empty, not an image, or over `maxInputPixels`
 */
export async function decodeImage(input: Uint8Array, options: DecodeOptions): Promise<DecodedImage> {
  if (input.length === 0) throw new ImageInputError('The image is empty.', 'empty')
  let metadata: Metadata
  try {
    metadata = await sharp(input, { limitInputPixels: false }).metadata()
  } catch (cause) {
    throw new ImageInputError('The data is not an image that can be decoded.', 'unreadable', { cause })
  }
  const rawWidth = metadata.width, rawHeight = metadata.height
  if (!rawWidth || !rawHeight) throw new ImageInputError('The image has no size.', 'unreadable')
  if (rawWidth * rawHeight > options.maxInputPixels) {
    throw new ImageInputError(
      `The image has ${rawWidth} × ${rawHeight} pixels, more than the limit of ${options.maxInputPixels}.`,
      'too-large',
    )
  }
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
