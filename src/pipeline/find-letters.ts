import { estimateBackground, flattenBackground } from './background.js'
import { labelComponents } from './components.js'
import { PIPELINE_CONFIG, type PipelineConfig } from './config.js'
import { deskewPage, touchesPhotoEdge, type ReadingFrame } from './deskew.js'
import type { BinaryImage, Box, GrayImage } from './image.js'
import { unionBoxes } from './image.js'
import {
  type Candidate, type GlyphKind, candidateMask, classifyBySize, gatherCandidates, mergeFragments,
  splitTouching, typicalLetterHeight,
} from './letters.js'
import { dilate } from './morphology.js'
import { findSheet, type Point } from './page.js'
import { removeRules } from './rules.js'
import { assignToRows, clusterRows, deskewedCentre, estimateSkew, rowBand } from './rows.js'
import { estimateStrokeWidth, median } from './stroke.js'
import { binarize } from './threshold.js'
import { splitWords, wordGapThreshold, lineGaps } from './words.js'

/** One letter (or period) found on the page, in reading-frame pixels (see {@link PageLayout.frame}). */
export interface FoundGlyph {
  readonly box: Box
  readonly kind: GlyphKind
  /** The glyph's own ink, cropped to `box` (1 = ink). */
  readonly mask: BinaryImage
}

/** A word: glyphs left to right. */
export interface FoundWord {
  readonly box: Box
  readonly glyphs: FoundGlyph[]
}

/** A line of text: words left to right. */
export interface FoundLine {
  readonly box: Box
  readonly words: FoundWord[]
}

/** What {@link findLetters} measured and found. */
export interface PageLayout {
  /** Lines top to bottom, in reading-frame pixels (see `frame`). */
  readonly lines: FoundLine[]
  /** Where the letters were found: the working image cut to the sheet and turned upright (`deskew.ts` maps back). */
  readonly frame: ReadingFrame
  /** The sheet of paper's corners in working pixels, when one was found in the frame. */
  readonly sheet?: Point[]
  readonly strokeWidth: number
  readonly letterHeight: number
  /** Line slope in degrees, positive when lines descend to the right. */
  readonly skewDegrees: number
  /** Binarisation threshold on the flattened image. */
  readonly threshold: number
  /** Milliseconds spent in each stage. */
  readonly timingsMs: Record<FindStage, number>
}

/** The stages of {@link findLetters}, in order, as named in timings. */
export type FindStage = 'background' | 'page' | 'deskew' | 'threshold' | 'rules' | 'morphology' | 'components' | 'letters' | 'layout'

/**
 * Finds the letters of a handwritten note and orders them into lines and words: background
 * flattening → the sheet of paper cut out and turned upright (`page.ts`, `deskew.ts`) → Otsu
 * threshold → ruled lines removed (`rules.ts`) → dilation sized from the measured stroke width → 8-connected
 * components → letter candidates (specks, borders and rules dropped, fragments merged, touching
 * letters split, periods kept) → lines (skew-robust) → words (by each line's gap distribution).
 *
 * @param gray the page at working resolution (see `decodeImage`)
 * @returns lines of words of glyphs, with boxes and masks in reading-frame pixels (`layout.frame`)
 */
export function findLetters(gray: GrayImage, config: PipelineConfig = PIPELINE_CONFIG): PageLayout {
  const timings = {} as Record<FindStage, number>
  let mark = performance.now()
  const lap = (stage: FindStage): void => {
    const now = performance.now()
    timings[stage] = (timings[stage] ?? 0) + now - mark
    mark = now
  }

  const cellSize = Math.max(2, Math.round(Math.sqrt(gray.width * gray.height) / config.background.cellsAcrossPage))
  const backgroundOptions = { cellSize, closingRadius: config.background.closingRadius }
  const backgroundGrid = estimateBackground(gray, backgroundOptions)
  const flat = flattenBackground(gray, backgroundOptions, backgroundGrid)
  lap('background')

  // Only the sheet is read (the desk around it is not text), turned so that its lines run horizontally.
  const sheet = findSheet(backgroundGrid, cellSize, gray.width, gray.height, config.page)?.corners
  lap('page')
  const { image, frame, skew: textSkew, threshold } = deskewPage(flat, sheet, config.page.marginCells * cellSize, config.deskew)
  lap('deskew')

  const rawInk = binarize(image, threshold)
  lap('threshold')
  // Ruled and grid lines would join every letter they touch into one page-wide component.
  const ink = removeRules(rawInk, config.rules, Math.tan(textSkew)).ink
  lap('rules')
  const strokeWidth = estimateStrokeWidth(ink)
  lap('threshold')

  const dilated = dilate(ink,
    Math.max(1, Math.round(config.morphology.dilationAcross * strokeWidth)),
    Math.max(1, Math.round(config.morphology.dilationAlong * strokeWidth)))
  lap('morphology')

  const { labels, components } = labelComponents(dilated)
  const all = gatherCandidates(ink, labels, components.length)
  lap('components')

  const letterHeight = typicalLetterHeight(all, config.candidates.minLetterStrokes * strokeWidth)
  const empty = (): PageLayout => ({
    lines: [], frame, sheet, strokeWidth, letterHeight, skewDegrees: 0, threshold, timingsMs: fill(timings),
  })
  if (letterHeight <= 0) return empty()
  const { letters, dots } = classifyBySize(all, letterHeight, strokeWidth, image.width, image.height, config.candidates,
    (box) => touchesPhotoEdge(frame, box, gray.width, gray.height))
  if (letters.length === 0) return empty()

  const skew = estimateSkew(letters.map((c) => c.box), letterHeight, config.skew)
  // A line of nothing but small marks is texture, shadow or dirt: real lines hold letter-sized ink.
  const rawRows = clusterRows(letters, letterHeight, skew, config.rows)
    .filter((row) => row.some((c) => c.box.height >= config.rows.minLineHeightFraction * letterHeight))
  const rows = rawRows.map((row) => {
    const sorted = [...row].sort((a, b) => a.box.x - b.box.x)
    const merged = mergeFragments(sorted, median(sorted.map((c) => c.box.width)), letterHeight, config.fragments)
    const letterWidth = median(merged.map((c) => c.box.width))
    return merged.flatMap((c) => splitTouching(c, ink, labels, letterWidth, strokeWidth, config.split))
  })
  lap('letters')

  const withKinds: Array<Array<{ box: Box, kind: GlyphKind, candidate: Candidate }>> =
    rows.map((row) => row.map((candidate) => ({ box: candidate.box, kind: 'glyph' as GlyphKind, candidate })))
  const rowOfDot = assignToRows(dots, rows, skew, config.dots.maxDistanceHeights * letterHeight)
  dots.forEach((dot, d) => {
    const r = rowOfDot[d]
    if (r < 0) return
    const band = rowBand(rows[r], skew)
    const v = deskewedCentre(dot.box, skew).v
    // A period sits low on the line; a dot higher up is noise or a fragment that lost its letter.
    if (v < band.top + config.dots.minBaselineFraction * (band.bottom - band.top)) return
    withKinds[r].push({ box: dot.box, kind: 'period', candidate: dot })
  })
  for (const row of withKinds) row.sort((a, b) => deskewedCentre(a.box, skew).u - deskewedCentre(b.box, skew).u)

  const glyphGaps = withKinds.flatMap((row) => lineGaps(row.filter((g) => g.kind === 'glyph').map((g) => g.box), skew))
  const pageThreshold = wordGapThreshold(glyphGaps, letterHeight, config.words)
  const lines: FoundLine[] = withKinds.filter((row) => row.length > 0).map((row) => {
    const ranges = splitWords(row.map((g) => g.box), skew, letterHeight, pageThreshold, config.words)
    const words = ranges.map(([start, end]) => {
      const glyphs = row.slice(start, end).map((g) => ({ box: g.box, kind: g.kind, mask: candidateMask(g.candidate, ink, labels) }))
      return { box: unionBoxes(glyphs.map((g) => g.box)), glyphs }
    })
    return { box: unionBoxes(words.map((w) => w.box)), words }
  })
  lap('layout')
  return { lines, frame, sheet, strokeWidth, letterHeight, skewDegrees: (skew * 180) / Math.PI, threshold, timingsMs: fill(timings) }
}

const STAGES: readonly FindStage[] = [
  'background', 'page', 'deskew', 'threshold', 'rules', 'morphology', 'components', 'letters', 'layout',
]

function fill(timings: Partial<Record<FindStage, number>>): Record<FindStage, number> {
  const out = {} as Record<FindStage, number>
  for (const s of STAGES) out[s] = timings[s] ?? 0
  return out
}
