import { decodeImage } from './decode.js'
import { inkBoxInWorking, isIdentityFrame } from './deskew.js'
import { findLetters, type FoundGlyph } from './find-letters.js'
import { PIPELINE_CONFIG, type PipelineConfig } from './config.js'
import { scaleBox, unionBoxes, type BinaryImage, type Box, type TextLine } from './image.js'

/** The letter layout of an upload, in its own (EXIF-oriented) pixel coordinates; masks stay upright, as they were read. */
export interface LocatedPage {
  readonly width: number
  readonly height: number
  /** Lines of words of glyphs; boxes in the upload's pixels, masks at working resolution. */
  readonly lines: TextLine<FoundGlyph>[]
  /** Milliseconds for `decode` and each finding stage. */
  readonly timingsMs: Record<string, number>
}

/**
 * Decodes an upload and finds its letters, reporting every box in the upload's pixels (after
 * EXIF orientation) whatever the working resolution was.
 *
 * @param image encoded image bytes
 * @param cancellation checked between decoding and finding
 * @throws ImageInputError for empty, unreadable or oversized images
 */
export async function locateLetters(
  image: Uint8Array, config: PipelineConfig = PIPELINE_CONFIG, cancellation?: { throwIfAborted(): void },
): Promise<LocatedPage> {
  const start = performance.now()
  const decoded = await decodeImage(image, config.decode)
  const decodeMs = performance.now() - start
  cancellation?.throwIfAborted()
  const layout = findLetters(decoded.gray, config)
  const back = 1 / decoded.scale
  const { originalWidth: width, originalHeight: height } = decoded
  const toOriginal = (b: Box): Box => scaleBox(b, back, width, height)
  // Letters were found in the sheet, turned upright: each glyph's ink is mapped back to the working image.
  const upright = isIdentityFrame(layout.frame, decoded.gray.width, decoded.gray.height)
  const toWorking = (g: { box: Box, mask: BinaryImage }): Box => (upright ? g.box : inkBoxInWorking(layout.frame, g.box, g.mask))
  const lines = layout.lines.map((line) => {
    const words = line.words.map((word) => {
      const glyphs = word.glyphs.map((g) => ({ ...g, box: toOriginal(toWorking(g)) }))
      return { box: unionBoxes(glyphs.map((g) => g.box)), glyphs }
    })
    return { box: unionBoxes(words.map((w) => w.box)), words }
  })
  return { width, height, lines, timingsMs: { decode: decodeMs, ...layout.timingsMs } }
}
