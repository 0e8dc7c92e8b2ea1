import sharp from 'sharp'
import type { Box } from './pipeline/image.js'

/** The nested boxes to draw; text and confidence are optional labels. */
export interface AnnotatedLine {
  readonly box: Box
  readonly words: ReadonlyArray<{
    readonly box: Box
    readonly chars: ReadonlyArray<{ readonly box: Box, readonly text?: string, readonly confidence?: number }>
  }>
}

/** Colours of the drawing: lines, words, characters, and characters read with low confidence. */
const COLOURS = { line: '#00a050', word: '#1e64ff', char: '#e0201c', doubtful: '#ff9800' } as const
/** Characters read with less confidence than this are drawn in the "doubtful" colour. */
export const LOW_CONFIDENCE = 0.6

const escapeXml = (s: string): string => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * Draws line, word and character boxes (and each character's reading, if given) over the image,
 * the first thing anyone wants to look at when a note reads wrongly.
 *
 * @param image the encoded upload (any format sharp reads); drawn after EXIF orientation
 * @param lines boxes in the pixels of the oriented upload
 * @returns a PNG
 */
export async function renderAnnotated(image: Uint8Array, lines: readonly AnnotatedLine[], maxInputPixels: number): Promise<Buffer> {
  const base = sharp(image, { limitInputPixels: maxInputPixels }).rotate().flatten({ background: '#ffffff' })
  const { data, info } = await base.raw().toBuffer({ resolveWithObject: true })
  const { width, height } = info
  const stroke = Math.max(1, Math.round(Math.sqrt(width * height) / 700))
  const rect = (b: Box, colour: string, pad: number): string =>
    `<rect x="${b.x - pad}" y="${b.y - pad}" width="${b.width + 2 * pad}" height="${b.height + 2 * pad}" fill="none" stroke="${colour}" stroke-width="${stroke}"/>`
  const parts: string[] = []
  for (const line of lines) {
    parts.push(rect(line.box, COLOURS.line, 4 * stroke))
    for (const word of line.words) {
      parts.push(rect(word.box, COLOURS.word, 2 * stroke))
      for (const c of word.chars) {
        const doubtful = c.confidence !== undefined && c.confidence < LOW_CONFIDENCE
        const colour = doubtful ? COLOURS.doubtful : COLOURS.char
        parts.push(rect(c.box, colour, 0))
        if (c.text !== undefined) {
          const size = Math.max(10, Math.round(c.box.height * 0.35))
          parts.push(`<text x="${c.box.x}" y="${c.box.y - stroke * 2}" font-family="DejaVu Sans, sans-serif" font-size="${size}" fill="${colour}">${escapeXml(c.text)}</text>`)
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
