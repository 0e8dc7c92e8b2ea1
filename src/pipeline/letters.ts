import type { BinaryImage, Box } from './image.js'
import { boxBottom, boxRight, forEachRun, unionBoxes } from './image.js'
import { median } from './stroke.js'

/**
 * A letter candidate: ink that belongs together, as a set of labels of the dilated image and the
 * tight box of their ink. The ink pixels of a candidate are those inside `box` whose dilated label
 * is in `labels`, so a neighbour's stroke reaching into the box is not part of it.
 */
export interface Candidate {
  readonly box: Box
  readonly labels: readonly number[]
  /** Ink pixels (before dilation). */
  readonly area: number
}

/** What a finished candidate turned out to be. */
export type GlyphKind = 'glyph' | 'period'

/** Size thresholds of {@link classifyBySize}, in units of letter height or stroke width. */
export interface CandidateLimits {
  /** Ink area below this many stroke-width squares is a speck. */
  readonly speckAreaStrokes: number
  /** A dot is at most this tall and wide, as a fraction of the letter height... */
  readonly dotMaxSize: number
  /** ...and no longer than this many times its width (or height): a short dash is a piece of a rule, not a period. */
  readonly dotMaxElongation: number
  /** A candidate touching the border and bigger than this many letter heights is a page edge... */
  readonly borderObjectHeights: number
  /** ...and one smaller than this many is a sliver of shadow or table, not a letter cut by the frame. */
  readonly borderSliverHeights: number
  /** A candidate touching the border and wider or taller than this fraction of the page is background. */
  readonly maxPageFraction: number
  /** Anything longer than this many letter heights is a rule, border or drawing, not a letter... */
  readonly maxLetterHeights: number
  /**
   * ...unless it is a run of touching letters: as tall as a letter (from `minRunHeightFraction` to this
   * many letter heights) and wider than tall, which segmentation by recognition can take apart. Absent: no exception.
   */
  readonly maxRunHeightHeights?: number
  /** The least height of such a run, as a fraction of the letter height (thinner is a rule). */
  readonly minRunHeightFraction?: number
}

/**
 * Gathers ink into candidates: one per connected component of the dilated image, with the
 * box, area and labels of the original (undilated) ink it covers.
 *
 * @param ink binary image before dilation
 * @param dilatedLabels label image of the dilated ink (0 = background)
 * @param labelCount number of labels in `dilatedLabels`
 */
export function gatherCandidates(ink: BinaryImage, dilatedLabels: Int32Array, labelCount: number): Candidate[] {
  const { width, height, data } = ink
  const minX = new Int32Array(labelCount + 1).fill(width)
  const minY = new Int32Array(labelCount + 1).fill(height)
  const maxX = new Int32Array(labelCount + 1).fill(-1)
  const maxY = new Int32Array(labelCount + 1).fill(-1)
  const area = new Float64Array(labelCount + 1)
  for (let y = 0; y < height; y++) {
    const row = y * width
    forEachRun(data, row, width, (start, end) => {
      for (let x = start; x < end; x++) {
        const l = dilatedLabels[row + x]
        area[l]++
        if (x < minX[l]) minX[l] = x
        if (x > maxX[l]) maxX[l] = x
        if (y < minY[l]) minY[l] = y
        if (y > maxY[l]) maxY[l] = y
      }
    })
  }
  const out: Candidate[] = []
  for (let l = 1; l <= labelCount; l++) {
    if (area[l] === 0) continue
    out.push({ box: { x: minX[l], y: minY[l], width: maxX[l] - minX[l] + 1, height: maxY[l] - minY[l] + 1 }, labels: [l], area: area[l] })
  }
  return out
}

/**
 * The typical letter height: the median height of candidates that are clearly more than specks
 * or dots (taller than `minHeight`). Falls back to the median of all heights.
 */
export function typicalLetterHeight(candidates: readonly Candidate[], minHeight: number): number {
  const tall = candidates.filter((c) => c.box.height >= minHeight).map((c) => c.box.height)
  const chosen = tall.length > 0 ? tall : candidates.map((c) => c.box.height)
  return chosen.length > 0 ? median(chosen) : 0
}

/** How {@link classifyBySize} sorted the candidates. */
export interface SizedCandidates {
  /** Letter-sized candidates (and letter fragments). */
  readonly letters: Candidate[]
  /** Small compact blobs that may be periods, depending on where they sit. */
  readonly dots: Candidate[]
}

/**
 * Drops specks, page edges, table borders and rules; sets dots aside.
 *
 * @param candidates all candidates of the page
 * @param letterHeight typical letter height in pixels
 * @param strokeWidth pen stroke width in pixels
 * @param imageWidth page width, to recognise objects touching the border
 * @param imageHeight page height
 * @param atEdge whether a box touches the edge of the photo (by default, of the image given; a page turned
 *   upright has the photo's edges inside it)
 */
export function classifyBySize(
  candidates: readonly Candidate[],
  letterHeight: number,
  strokeWidth: number,
  imageWidth: number,
  imageHeight: number,
  limits: CandidateLimits,
  atEdge?: (box: Box) => boolean,
): SizedCandidates {
  const letters: Candidate[] = [],
    dots: Candidate[] = []
  const dotMax = limits.dotMaxSize * letterHeight
  for (const c of candidates) {
    const { box } = c
    const longest = Math.max(box.width, box.height)
    const isTextRun =
      limits.maxRunHeightHeights !== undefined &&
      box.width > box.height &&
      box.height <= limits.maxRunHeightHeights * letterHeight &&
      box.height >= (limits.minRunHeightFraction ?? 1) * letterHeight
    if (longest > limits.maxLetterHeights * letterHeight && !isTextRun) continue
    const touchesBorder =
      box.x === 0 || box.y === 0 || boxRight(box) === imageWidth || boxBottom(box) === imageHeight || atEdge?.(box) === true
    // Measured against the page too: on a page that is all edge, shadow or noise, the median
    // "letter" is that blob itself.
    const spansPage = box.width > limits.maxPageFraction * imageWidth || box.height > limits.maxPageFraction * imageHeight
    if (
      touchesBorder &&
      (spansPage || longest > limits.borderObjectHeights * letterHeight || longest < limits.borderSliverHeights * letterHeight)
    )
      continue
    if (c.area < limits.speckAreaStrokes * strokeWidth * strokeWidth) continue
    if (box.width <= dotMax && box.height <= dotMax) {
      // A mark too small for a letter and too long for a dot is left out (hyphens are not read yet).
      if (longest <= limits.dotMaxElongation * Math.min(box.width, box.height)) dots.push(c)
      continue
    }
    letters.push(c)
  }
  return { letters, dots }
}

/** Merges two candidates into one. */
export function mergeCandidates(a: Candidate, b: Candidate): Candidate {
  return { box: unionBoxes([a.box, b.box]), labels: [...a.labels, ...b.labels], area: a.area + b.area }
}

/** Options of {@link mergeFragments}. */
export interface FragmentOptions {
  /** Neighbours overlapping by this fraction of the narrower one's width are one letter. */
  readonly minOverlap: number
  /** A piece narrower than this fraction of the line's letter width is a stroke fragment... */
  readonly fragmentWidth: number
  /** ...and joins a neighbour whose box it touches if together they are at most this many letter heights wide. */
  readonly maxMergedHeights: number
}

/**
 * Merges the fragments of one letter within a row (an E drawn in separate strokes, a broken
 * stroke, a W drawn as two Vs): neighbours, in left-to-right order, whose horizontal extents
 * overlap by at least `minOverlap` of the narrower one, or, when the narrower one is a thin
 * stroke, whose boxes touch at all and make a letter-sized union.
 *
 * @param row candidates of one row, sorted by left edge
 * @param letterWidth the row's median candidate width; @param letterHeight the typical letter height
 * @returns the merged candidates, sorted by left edge
 */
export function mergeFragments(
  row: readonly Candidate[],
  letterWidth: number,
  letterHeight: number,
  options: FragmentOptions,
): Candidate[] {
  const out: Candidate[] = []
  for (const c of row) {
    const last = out[out.length - 1]
    if (last !== undefined) {
      const overlap = Math.min(boxRight(last.box), boxRight(c.box)) - Math.max(last.box.x, c.box.x)
      const narrower = Math.min(last.box.width, c.box.width)
      const mergedWidth = Math.max(boxRight(last.box), boxRight(c.box)) - Math.min(last.box.x, c.box.x)
      const touchingPieces =
        overlap >= 0 && narrower < options.fragmentWidth * letterWidth && mergedWidth <= options.maxMergedHeights * letterHeight
      if (overlap >= options.minOverlap * narrower || touchingPieces) {
        out[out.length - 1] = mergeCandidates(last, c)
        continue
      }
    }
    out.push(c)
  }
  return out
}

/** Options of {@link splitTouching}. */
export interface SplitOptions {
  /** A candidate this many times wider than the row's median letter width may be several letters. */
  readonly minWidthRatio: number
  /** ...and must also be this many times wider than it is tall (a W or M rarely is). */
  readonly minAspect: number
  /** The cut must cross at most this many stroke widths of ink. */
  readonly maxCutInkStrokes: number
}

/**
 * The letters of one line: its candidates left to right with the fragments of a letter merged
 * ({@link mergeFragments}) and touching letters split ({@link splitTouching}), each judged
 * against the line's own median letter width.
 *
 * @param line candidates of one line
 * @param ink the binary image; @param dilatedLabels its dilated label image
 */
export function separateLetters(
  line: readonly Candidate[],
  ink: BinaryImage,
  dilatedLabels: Int32Array,
  letterHeight: number,
  strokeWidth: number,
  fragments: FragmentOptions,
  split: SplitOptions,
): Candidate[] {
  const sorted = [...line].sort((a, b) => a.box.x - b.box.x)
  const merged = mergeFragments(sorted, median(sorted.map((c) => c.box.width)), letterHeight, fragments)
  const letterWidth = median(merged.map((c) => c.box.width))
  return merged.flatMap((c) => splitTouching(c, ink, dilatedLabels, letterWidth, strokeWidth, split))
}

/**
 * Splits a candidate that is several touching letters, cutting at minima of the vertical ink
 * projection near the expected letter boundaries.
 *
 * @param candidate the candidate to inspect
 * @param ink the binary image; @param dilatedLabels its dilated label image (for membership)
 * @param letterWidth the row's median letter width
 * @returns the pieces, left to right (the candidate itself when it is one letter)
 */
export function splitTouching(
  candidate: Candidate,
  ink: BinaryImage,
  dilatedLabels: Int32Array,
  letterWidth: number,
  strokeWidth: number,
  options: SplitOptions,
): Candidate[] {
  const { box } = candidate
  if (box.width < options.minWidthRatio * letterWidth || box.width < options.minAspect * box.height) return [candidate]
  const pieces = Math.round(box.width / letterWidth)
  if (pieces < 2) return [candidate]
  const member = new Set(candidate.labels)
  const projection = new Float64Array(box.width)
  for (let y = box.y; y < boxBottom(box); y++) {
    for (let x = box.x; x < boxRight(box); x++) {
      const i = y * ink.width + x
      if (ink.data[i] !== 0 && member.has(dilatedLabels[i])) projection[x - box.x]++
    }
  }
  const pitch = box.width / pieces
  const cuts: number[] = []
  for (let k = 1; k < pieces; k++) {
    const centre = k * pitch
    const from = Math.max(1, Math.round(centre - pitch / 3)),
      to = Math.min(box.width - 2, Math.round(centre + pitch / 3))
    let best = -1,
      bestInk = Infinity
    for (let x = from; x <= to; x++) {
      const inkHere = projection[x] + Math.abs(x - centre) * 1e-6 // ties go to the expected position
      if (inkHere < bestInk) {
        bestInk = inkHere
        best = x
      }
    }
    if (best < 0 || Math.floor(bestInk) > options.maxCutInkStrokes * strokeWidth) return [candidate]
    cuts.push(best)
  }
  const out: Candidate[] = []
  let start = 0
  for (const end of [...cuts, box.width]) {
    const piece = trimToInk(ink, dilatedLabels, member, { x: box.x + start, y: box.y, width: end - start, height: box.height })
    if (piece !== undefined) out.push({ ...piece, labels: candidate.labels })
    start = end
  }
  return out.length >= 2 ? out : [candidate]
}

/** The tight ink box and area of the member ink inside `box`, or undefined when it holds none. */
function trimToInk(ink: BinaryImage, labels: Int32Array, member: Set<number>, box: Box): { box: Box; area: number } | undefined {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -1,
    y1 = -1,
    area = 0
  for (let y = box.y; y < boxBottom(box); y++) {
    for (let x = box.x; x < boxRight(box); x++) {
      const i = y * ink.width + x
      if (ink.data[i] === 0 || !member.has(labels[i])) continue
      area++
      if (x < x0) x0 = x
      if (x > x1) x1 = x
      if (y < y0) y0 = y
      if (y > y1) y1 = y
    }
  }
  return area === 0 ? undefined : { box: { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 }, area }
}

/**
 * Cuts a candidate's own ink out of the page: a binary mask the size of its box holding only the
 * pixels of its labels (what the classifier's normaliser takes).
 */
export function candidateMask(candidate: Candidate, ink: BinaryImage, dilatedLabels: Int32Array): BinaryImage {
  const { box } = candidate
  const member = new Set(candidate.labels)
  const data = new Uint8Array(box.width * box.height)
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) {
      const i = (box.y + y) * ink.width + box.x + x
      if (ink.data[i] !== 0 && member.has(dilatedLabels[i])) data[y * box.width + x] = 1
    }
  }
  return { width: box.width, height: box.height, data }
}

/**
 * Shrinks a mask whose longer side exceeds `maxSide` by an integer factor, keeping a pixel as ink
 * when any pixel of its block is ink (so thin strokes survive). Letters are far smaller than
 * `maxSide`; this bounds the normaliser's cost on a drawing or scribble the size of the page.
 *
 * @returns the mask itself when it is small enough
 */
export function boundMaskSize(mask: BinaryImage, maxSide: number): BinaryImage {
  const factor = Math.ceil(Math.max(mask.width, mask.height) / maxSide)
  if (factor <= 1) return mask
  const width = Math.ceil(mask.width / factor),
    height = Math.ceil(mask.height / factor)
  const data = new Uint8Array(width * height)
  for (let y = 0; y < mask.height; y++) {
    const row = Math.floor(y / factor) * width
    for (let x = 0; x < mask.width; x++) if (mask.data[y * mask.width + x] !== 0) data[row + Math.floor(x / factor)] = 1
  }
  return { width, height, data }
}
