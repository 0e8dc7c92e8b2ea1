import type { OcrResult } from '../../recognize.js'
import { HOCR_CONTENT_TYPE, toHocr } from './hocr.js'
import { PNG_CONTENT_TYPE, toAnnotatedPng } from './png.js'
import { TEXT_CONTENT_TYPE, toPlainText } from './text.js'

/** The answers `POST /ocr?format=` offers; `json` is the default. */
export const OCR_FORMATS = ['json', 'text', 'hocr', 'png'] as const
export type OcrFormat = typeof OCR_FORMATS[number]

/** Media type of each format's answer, for the route and the OpenAPI document. */
export const FORMAT_CONTENT_TYPES: Record<OcrFormat, string> = {
  json: 'application/json; charset=utf-8',
  text: TEXT_CONTENT_TYPE,
  hocr: HOCR_CONTENT_TYPE,
  png: PNG_CONTENT_TYPE,
}

/** What a format needs beside the reading. */
export interface FormatContext {
  /** The upload's bytes (the picture is drawn over them). */
  readonly image: Uint8Array
  /** Engine name and version, for the hOCR `ocr-system`. */
  readonly system: string
}

/**
 * Renders a reading in one of {@link OCR_FORMATS}.
 *
 * @returns the media type and the body; JSON is the result object itself, for fastify to serialise
 */
export async function renderResult(format: OcrFormat, result: OcrResult, context: FormatContext): Promise<{ contentType: string, body: OcrResult | string | Buffer }> {
  const contentType = FORMAT_CONTENT_TYPES[format]
  switch (format) {
    case 'json': return { contentType, body: result }
    case 'text': return { contentType, body: toPlainText(result) }
    case 'hocr': return { contentType, body: toHocr(result, { system: context.system }) }
    case 'png': return { contentType, body: await toAnnotatedPng(context.image, result) }
  }
}
