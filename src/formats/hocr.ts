import type { Box } from '../pipeline/image.js'
import type { OcrResult } from '../reading/result.js'
import { escapeXml } from './xml.js'

/**
 * hOCR 1.2 (http://kba.github.io/hocr-spec/1.2/): the reading as an XHTML document that hOCR tools
 * (hocr-tools, hocrjs, OCRmyPDF's renderer, …) consume. Browser-safe: the web page derives its hOCR
 * download from the JSON it holds with this same module.
 */

/** Media type of the hOCR answer. */
export const HOCR_CONTENT_TYPE = 'text/vnd.hocr+html; charset=utf-8'

/** The hOCR classes and properties this document uses, announced in `ocr-capabilities`. */
const CAPABILITIES = ['ocr_page', 'ocr_line', 'ocrx_word', 'ocrx_cinfo', 'ocrp_wconf'] as const

/** What {@link toHocr} needs beside the reading. */
export interface HocrOptions {
  /** Name and version of the engine, for `<meta name="ocr-system">`, e.g. `scrawl 0.1.0`. */
  readonly system: string
}

/** hOCR `bbox`/`x_bboxes` corners: left, top, and the exclusive right and bottom. */
const corners = (b: Box): string => `${b.x} ${b.y} ${b.x + b.width} ${b.y + b.height}`
/** hOCR word confidence: a whole percentage. */
const wordConfidence = (confidence: number): number => Math.min(100, Math.max(0, Math.round(confidence * 100)))
/** hOCR char confidence: a percentage, to two decimals (the JSON keeps four decimals of a fraction). */
const charConfidence = (confidence: number): number => Math.min(100, Math.max(0, Math.round(confidence * 1e4) / 100))

/**
 * Writes a reading as an hOCR 1.2 document: one `ocr_page` holding an `ocr_line` per line, an
 * `ocrx_word` per word (`bbox`, `x_wconf` 0–100), and an `ocrx_cinfo` per character (`x_bboxes`,
 * `x_conf`). Boxes are in the pixels of the oriented upload, with exclusive right and bottom edges.
 *
 * @param result a reading, as `POST /ocr` answers it
 * @returns a well-formed XHTML document (UTF-8)
 */
export function toHocr(result: OcrResult, options: HocrOptions): string {
  const page: Box = { x: 0, y: 0, width: result.image.width, height: result.image.height }
  const lines = result.lines.map((line, l) => {
    const words = line.words.map((word, w) => {
      const chars = word.chars.map(
        (c) =>
          `<span class="ocrx_cinfo" title="x_bboxes ${corners(c.box)}; x_conf ${charConfidence(c.confidence)}">${escapeXml(c.text)}</span>`,
      )
      // No whitespace between the chars: the word's text content is its reading.
      return `<span class="ocrx_word" id="word_1_${l + 1}_${w + 1}" title="bbox ${corners(word.box)}; x_wconf ${wordConfidence(word.confidence)}">${chars.join('')}</span>`
    })
    return `   <span class="ocr_line" id="line_1_${l + 1}" title="bbox ${corners(line.box)}">${words.join(' ')}</span>`
  })
  const system = escapeXml(`${options.system} (model ${result.model.name} ${result.model.version})`)
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
    '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">',
    ' <head>',
    '  <title></title>',
    '  <meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>',
    `  <meta name="ocr-system" content="${system}"/>`,
    `  <meta name="ocr-capabilities" content="${CAPABILITIES.join(' ')}"/>`,
    '  <meta name="ocr-number-of-pages" content="1"/>',
    ' </head>',
    ' <body>',
    `  <div class="ocr_page" id="page_1" title="bbox ${corners(page)}; ppageno 0">`,
    ...lines,
    '  </div>',
    ' </body>',
    '</html>',
    '',
  ].join('\n')
}
