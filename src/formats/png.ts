import sharp from 'sharp'
import type { OcrResult } from '../reading/result.js'
import { annotationSvg, type AnnotatedLine } from './annotation.js'

/** Media type of the annotated picture. */
export const PNG_CONTENT_TYPE = 'image/png'

/**
 * The upload with its reading's boxes drawn over it ({@link annotationSvg}): the first thing
 * anyone wants to look at when a note reads wrongly (`scrawl --boxes`, `format=png`).
 *
 * @param image the encoded upload (any format sharp reads); drawn after EXIF orientation
 * @param lines boxes in the pixels of the oriented upload
 * @param maxInputPixels refuse to decode larger images (the upload was read within this limit already)
 * @returns a PNG of the oriented upload's size
 */
export async function renderAnnotated(image: Uint8Array, lines: readonly AnnotatedLine[], maxInputPixels: number): Promise<Buffer> {
  const base = sharp(image, { limitInputPixels: maxInputPixels }).rotate().flatten({ background: '#ffffff' })
  const { data, info } = await base.raw().toBuffer({ resolveWithObject: true })
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .composite([{ input: Buffer.from(annotationSvg(lines, info.width, info.height)), top: 0, left: 0 }])
    .png()
    .toBuffer()
}

/**
 * The annotated picture of a reading.
 *
 * @param image the upload's bytes, already read successfully into `result`
 * @param result its reading; boxes in the pixels of the oriented upload
 */
export function toAnnotatedPng(image: Uint8Array, result: OcrResult): Promise<Buffer> {
  // The upload was decoded once already within the pixel limit; allowing exactly its own pixel
  // count keeps that limit without needing to know it here.
  return renderAnnotated(image, result.lines, result.image.width * result.image.height)
}
