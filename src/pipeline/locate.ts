import { decodeImage } from './decode.js'
import { findLetters, type PageLayout } from './find-letters.js'
import { PIPELINE_CONFIG, type PipelineConfig } from './config.js'
import { scaleBox, type BinaryImage, type Box } from './image.js'
import type { GlyphKind } from './letters.js'

/** A glyph with its box in the upload's pixels and its mask at working resolution. */
export interface LocatedGlyph { readonly box: Box, readonly kind: GlyphKind, readonly mask: BinaryImage }
export interface LocatedWord { readonly box: Box, readonly glyphs: LocatedGlyph[] }
export interface LocatedLine { readonly box: Box, readonly words: LocatedWord[] }

/** The letter layout of an upload, in its own (EXIF-oriented) pixel coordinates. */
export interface LocatedPage {
  readonly width: number
  readonly height: number
  readonly lines: LocatedLine[]
  readonly layout: PageLayout
  /** Milliseconds for `decode` and each finding stage. */
  readonly timingsMs: Record<string, number>
}

/**
 * Decodes an upload and finds its letters, reporting every box in the upload's pixels (after
 * EXIF orientation) whatever the working resolution was.
 *
 * @param image encoded image bytes
 * @throws ImageInputError for empty, unreadable or oversized images
 */
export async function locateLetters(image: Uint8Array, config: PipelineConfig = PIPELINE_CONFIG): Promise<LocatedPage> {
  const start = performance.now()
  const decoded = await decodeImage(image, config.decode)
  const decodeMs = performance.now() - start
  const layout = findLetters(decoded.gray, config)
  const back = 1 / decoded.scale
  const { originalWidth: width, originalHeight: height } = decoded
  const toOriginal = (b: Box): Box => scaleBox(b, back, width, height)
  const lines = layout.lines.map((line) => ({
    box: toOriginal(line.box),
    words: line.words.map((word) => ({
      box: toOriginal(word.box),
      glyphs: word.glyphs.map((g) => ({ box: toOriginal(g.box), kind: g.kind, mask: g.mask })),
    })),
  }))
  return { width, height, lines, layout, timingsMs: { decode: decodeMs, ...layout.timingsMs } }
}
