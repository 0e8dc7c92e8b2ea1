import type { OcrFormat } from '../reading/options.js'
import type { OcrResult } from '../reading/result.js'
import { HOCR_CONTENT_TYPE, toHocr } from './hocr.js'
import { PNG_CONTENT_TYPE, toAnnotatedPng } from './png.js'
import { TEXT_CONTENT_TYPE, toPlainText } from './text.js'

/** Media type of the JSON answer. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'

/** Media type of each format's answer, for the route, the CLI and the OpenAPI document. */
export const FORMAT_CONTENT_TYPES: Readonly<Record<OcrFormat, string>> = {
  json: JSON_CONTENT_TYPE,
  text: TEXT_CONTENT_TYPE,
  hocr: HOCR_CONTENT_TYPE,
  png: PNG_CONTENT_TYPE,
}

/** A reading in the format that was asked for. */
export type Rendered =
  | { readonly format: 'json'; readonly contentType: string; readonly body: OcrResult }
  | { readonly format: 'text' | 'hocr'; readonly contentType: string; readonly body: string }
  | { readonly format: 'png'; readonly contentType: string; readonly body: Uint8Array }

/** What a format needs beside the reading. */
export interface RenderContext {
  /** The upload's bytes (the picture is drawn over them). */
  readonly image: Uint8Array
  /** Engine name and version, for the hOCR `ocr-system`. */
  readonly system: string
}

/**
 * Renders a reading as one of the formats. JSON stays the result object, so that whoever sends it
 * serialises it against the result schema.
 */
export async function renderResult(format: OcrFormat, result: OcrResult, context: RenderContext): Promise<Rendered> {
  const contentType = FORMAT_CONTENT_TYPES[format]
  switch (format) {
    case 'json':
      return { format, contentType, body: result }
    case 'text':
      return { format, contentType, body: toPlainText(result) }
    case 'hocr':
      return { format, contentType, body: toHocr(result, { system: context.system }) }
    case 'png':
      return { format, contentType, body: await toAnnotatedPng(context.image, result) }
  }
}
