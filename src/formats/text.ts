import type { OcrResult } from '../reading/result.js'

/** Media type of the plain-text answer. */
export const TEXT_CONTENT_TYPE = 'text/plain; charset=utf-8'

/**
 * The reading as plain text: lines joined by newlines, words by single spaces (the JSON `text`).
 *
 * Browser-safe: the web page derives its text download with it.
 *
 * @param result a reading
 * @returns the text, ending with a newline (as a text file does) unless nothing was read
 */
export function toPlainText(result: Pick<OcrResult, 'text'>): string {
  return result.text === '' ? '' : `${result.text}\n`
}
