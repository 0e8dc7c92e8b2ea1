import type { Box } from '../pipeline/image.js'
import { BOX_COLOURS, LOW_CONFIDENCE } from './presentation.js'
import { escapeXml } from './xml.js'

/** The nested boxes to draw; a character's text and confidence label it when given. */
export interface AnnotatedLine {
  readonly box: Box
  readonly words: ReadonlyArray<{
    readonly box: Box
    readonly chars: ReadonlyArray<{ readonly box: Box; readonly text?: string; readonly confidence?: number }>
  }>
}

/** Stroke width of the boxes: about one pixel per this many pixels of the picture's geometric mean side. */
const PIXELS_PER_STROKE = 700
/** A character's label is this fraction of its box's height, and never smaller than {@link MIN_LABEL_PX}. */
const LABEL_HEIGHT_FRACTION = 0.35
const MIN_LABEL_PX = 10

/**
 * The boxes of a reading as an SVG overlay of the picture's size: lines green, words blue,
 * characters red (orange below {@link LOW_CONFIDENCE}) and labelled with their readings.
 * Browser-safe: the PNG format composites it over the upload, and the web page draws the same
 * overlay for its picture download.
 *
 * @param width the oriented upload's width in pixels; @param height its height
 * @returns an SVG document
 */
export function annotationSvg(lines: readonly AnnotatedLine[], width: number, height: number): string {
  const stroke = Math.max(1, Math.round(Math.sqrt(width * height) / PIXELS_PER_STROKE))
  const rect = (b: Box, colour: string, pad: number): string =>
    `<rect x="${b.x - pad}" y="${b.y - pad}" width="${b.width + 2 * pad}" height="${b.height + 2 * pad}" fill="none" stroke="${colour}" stroke-width="${stroke}"/>`
  const parts: string[] = []
  for (const line of lines) {
    parts.push(rect(line.box, BOX_COLOURS.line, 4 * stroke))
    for (const word of line.words) {
      parts.push(rect(word.box, BOX_COLOURS.word, 2 * stroke))
      for (const c of word.chars) {
        const colour = c.confidence !== undefined && c.confidence < LOW_CONFIDENCE ? BOX_COLOURS.doubtful : BOX_COLOURS.char
        parts.push(rect(c.box, colour, 0))
        if (c.text === undefined) continue
        const size = Math.max(MIN_LABEL_PX, Math.round(c.box.height * LABEL_HEIGHT_FRACTION))
        parts.push(
          `<text x="${c.box.x}" y="${c.box.y - stroke * 2}" font-family="DejaVu Sans, sans-serif" font-size="${size}" fill="${colour}">${escapeXml(c.text)}</text>`,
        )
      }
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`
}
