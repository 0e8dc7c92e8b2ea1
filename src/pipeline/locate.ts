import { decodeImage } from './decode.js'
import { inkBoxInWorking, isIdentityFrame } from './deskew.js'
import { findLetters, type PageLayout } from './find-letters.js'
import { PIPELINE_CONFIG, type PipelineConfig } from './config.js'
import { scaleBox, unionBoxes, type BinaryImage, type Box } from './image.js'
import type { GlyphKind } from './letters.js'

/** A glyph with its box in the upload's pixels and its mask at working resolution, upright (as it was read). */
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
  // Letters were found in the sheet, turned upright: each glyph's ink is mapped back to the working image.
  const upright = isIdentityFrame(layout.frame, decoded.gray.width, decoded.gray.height)
  const toWorking = (g: { box: Box, mask: BinaryImage }): Box => (upright ? g.box : inkBoxInWorking(layout.frame, g.box, g.mask))
  const lines = layout.lines.map((line) => {
    const words = line.words.map((word) => {
      const glyphs = word.glyphs.map((g) => ({ box: toOriginal(toWorking(g)), kind: g.kind, mask: g.mask }))
      return { box: unionBoxes(glyphs.map((g) => g.box)), glyphs }
    })
    return { box: unionBoxes(words.map((w) => w.box)), words }
  })
  return { width, height, lines, layout, timingsMs: { decode: decodeMs, ...layout.timingsMs } }
}
