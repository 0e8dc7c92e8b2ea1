import { decodeImage } from './decode.js'
import { findLetters } from './find-letters.js'
import { PIPELINE_CONFIG, type PipelineConfig } from './config.js'
import { scaleBox, type Box } from './image.js'
import type { LineLattice } from './lattice.js'

/** The letter layout of an upload, in its own (EXIF-oriented) pixel coordinates. */
export interface LocatedPage {
  readonly width: number
  readonly height: number
  /** Lines, each the lattice of its candidate characters; boxes and letter heights in the upload's pixels, masks at working resolution. */
  readonly lines: LineLattice[]
  /** The page's typical letter height in the upload's pixels. */
  readonly letterHeight: number
  /** Line slope in radians, positive when lines descend to the right. */
  readonly skew: number
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
  const lines = layout.lines.map((line) => ({
    ...line,
    box: toOriginal(line.box),
    letterHeight: line.letterHeight * back,
    candidates: line.candidates.map((c) => ({ ...c, box: toOriginal(c.box) })),
    periods: line.periods.map(toOriginal),
  }))
  return {
    width, height, lines, letterHeight: layout.letterHeight * back, skew: layout.skew,
    timingsMs: { decode: decodeMs, ...layout.timingsMs },
  }
}
