import { decodeImage } from './decode.js'
import { inkBoxInWorking, isIdentityFrame } from './deskew.js'
import { findLetters } from './find-letters.js'
import { PIPELINE_CONFIG, type PipelineConfig } from './config.js'
import { scaleBox, unionBoxes, type BinaryImage, type Box } from './image.js'
import { smallWritingPixels } from './writing-size.js'
import type { LineLattice } from './lattice.js'

/** The letter layout of an upload, in its own (EXIF-oriented) pixel coordinates. */
export interface LocatedPage {
  readonly width: number
  readonly height: number
  /** Lines, each the lattice of its candidate characters; boxes and letter heights in the upload's pixels, masks at working resolution. */
  readonly lines: LineLattice[]
  /** The page's typical letter height in the upload's pixels. */
  readonly letterHeight: number
  /** Working pixels (the masks' scale) per upload pixel. */
  readonly workingScale: number
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
  image: Uint8Array,
  config: PipelineConfig = PIPELINE_CONFIG,
  cancellation?: { throwIfAborted(): void },
): Promise<LocatedPage> {
  const start = performance.now()
  let decoded = await decodeImage(image, config.decode)
  let decodeMs = performance.now() - start
  cancellation?.throwIfAborted()
  let layout = findLetters(decoded.gray, config, decoded.colour)
  // Small writing is read again at a larger working size (`writing-size.ts`).
  const larger = smallWritingPixels(layout.letterHeight, decoded.scale, decoded.originalWidth * decoded.originalHeight, config.decode)
  if (larger !== undefined) {
    cancellation?.throwIfAborted()
    const again = performance.now()
    decoded = await decodeImage(image, { ...config.decode, workingPixels: larger })
    decodeMs += performance.now() - again
    cancellation?.throwIfAborted()
    const first = layout.timingsMs
    layout = findLetters(decoded.gray, config, decoded.colour)
    // The timings are of both readings: the first was spent finding out that the writing is small.
    for (const stage of Object.keys(first) as Array<keyof typeof first>) layout.timingsMs[stage] += first[stage]
  }
  const back = 1 / decoded.scale
  const { originalWidth: width, originalHeight: height } = decoded
  const toOriginal = (b: Box): Box => scaleBox(b, back, width, height)
  // Letters were found in the sheet, turned upright: each candidate's ink is mapped back to the working image.
  const upright = isIdentityFrame(layout.frame, decoded.gray.width, decoded.gray.height)
  const toWorking = (box: Box, mask?: BinaryImage): Box => (upright ? box : inkBoxInWorking(layout.frame, box, mask ?? solidMask(box)))
  const lines = layout.lines.map((line) => {
    const candidates = line.candidates.map((c) => ({ ...c, box: toOriginal(toWorking(c.box, c.mask)) }))
    return {
      ...line,
      box: upright || candidates.length === 0 ? toOriginal(line.box) : unionBoxes(candidates.map((c) => c.box)),
      letterHeight: line.letterHeight * back,
      candidates,
      periods: line.periods.map((p) => toOriginal(toWorking(p))),
    }
  })
  return {
    width,
    height,
    lines,
    letterHeight: layout.letterHeight * back,
    workingScale: decoded.scale,
    skew: layout.skew,
    timingsMs: { decode: decodeMs, ...layout.timingsMs },
  }
}

/** A box's whole area as a mask, for marks mapped back without their own ink. */
function solidMask(box: Box): BinaryImage {
  return { width: box.width, height: box.height, data: new Uint8Array(box.width * box.height).fill(1) }
}
