import sharp from 'sharp'
import type { Box } from '../pipeline/image.js'
import type { OcrResult } from '../reading/result.js'
import { BOX_COLOURS, LOW_CONFIDENCE } from './presentation.js'
import { escapeXml } from './xml.js'

/** Media type of the annotated picture. */
export const PNG_CONTENT_TYPE = 'image/png'

/** The nested boxes to draw; a character's text and confidence label it when given. */
export type AnnotatedLine = Pick<OcrResult['lines'][number], 'box'> & {
  readonly words: ReadonlyArray<{ readonly box: Box, readonly chars: ReadonlyArray<{ readonly box: Box, readonly text?: string, readonly confidence?: number }> }>
}

/** Stroke width of the boxes: about one pixel per 700 pixels of the picture's geometric mean side. */
const STROKE_PER_PIXELS = 700
/** A character's label is this fraction of its box's height, and never smaller than {@link MIN_LABEL_PX}. */
const LABEL_HEIGHT_FRACTION = 0.35
const MIN_LABEL_PX = 10

/**
 * The upload with line (green), word (blue) and character (red; orange below
 * {@link LOW_CONFIDENCE}) boxes drawn over it, each character labelled with its reading: the first
 * thing anyone wants to look at when a note reads wrongly (`scrawl --boxes`, `format=png`).
 *
 * @param image the encoded upload (any format sharp reads); drawn after EXIF orientation
 * @param lines boxes in the pixels of the oriented upload
 * @param maxInputPixels refuse to decode larger images (the upload was read within this limit already)
 * @returns a PNG of the oriented upload's size
 */
export async function renderAnnotated(image: Uint8Array, lines: readonly AnnotatedLine[], maxInputPixels: number): Promise<Buffer> {
  const base = sharp(image, { limitInputPixels: maxInputPixels }).rotate().flatten({ background: '#ffffff' })
  const { data, info } = await base.raw().toBuffer({ resolveWithObject: true })
  const { width, height } = info
  const stroke = Math.max(1, Math.round(Math.sqrt(width * height) / STROKE_PER_PIXELS))
  const rect = (b: Box, colour: string, pad: number): string =>
    `<rect x="${b.x - pad}" y="${b.y - pad}" width="${b.width + 2 * pad}" height="${b.height + 2 * pad}" fill="none" stroke="${colour}" stroke-width="${stroke}"/>`
  const parts: string[] = []
  for (const line of lines) {
    parts.push(rect(line.box, BOX_COLOURS.line, 4 * stroke))
    for (const word of line.words) {
      parts.push(rect(word.box, BOX_COLOURS.word, 2 * stroke))
      for (const c of word.chars) {
        const doubtful = c.confidence !== undefined && c.confidence < LOW_CONFIDENCE
        const colour = doubtful ? BOX_COLOURS.doubtful : BOX_COLOURS.char
        parts.push(rect(c.box, colour, 0))
        if (c.text !== undefined) {
          const size = Math.max(MIN_LABEL_PX, Math.round(c.box.height * LABEL_HEIGHT_FRACTION))
          parts.push(
            `<text x="${c.box.x}" y="${c.box.y - stroke * 2}" font-family="DejaVu Sans, sans-serif" font-size="${size}" fill="${colour}">${escapeXml(c.text)}</text>`,
          )
        }
      }
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`
  return sharp(data, { raw: { width, height, channels: info.channels } })
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
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
