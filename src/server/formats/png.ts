import { renderAnnotated } from '../../annotate.js'
import type { OcrResult } from '../../recognize.js'

/** Media type of the annotated picture. */
export const PNG_CONTENT_TYPE = 'image/png'

/**
 * The upload with the reading's line, word and character boxes drawn over it (as `scrawl --boxes`
 * draws them).
 *
 * @param image the upload's bytes, already read successfully into `result`
 * @param result its reading; boxes in the pixels of the oriented upload
 * @returns a PNG of the oriented upload's size
 */
export function toAnnotatedPng(image: Uint8Array, result: OcrResult): Promise<Buffer> {
  // The upload was decoded once already within the server's pixel limit; allowing exactly its
  // own pixel count keeps that limit without needing to know it here.
  const pixels = result.image.width * result.image.height
  return renderAnnotated(image, result.lines, pixels)
}
