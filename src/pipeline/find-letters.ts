import { estimateBackground, flattenBackground } from './background.js'
import { findBindingMarks } from './bindings.js'
import { chromaGrid, type ColourImage } from './chroma.js'
import { labelComponents } from './components.js'
import { PIPELINE_CONFIG, type PipelineConfig } from './config.js'
import { deskewPage, inkDensity, touchesPhotoEdge, type ReadingFrame } from './deskew.js'
import type { BinaryImage, Box, GrayImage } from './image.js'
import { type Candidate, candidateMask, classifyBySize, gatherCandidates, separateLetters, typicalLetterHeight } from './letters.js'
import { type LineLattice, lineLattice, pathLattice } from './lattice.js'
import { findTextLines } from './lines.js'
import { lineLetterHeight, overSegmentLine, type Piece, piecesByCandidate } from './pieces.js'
import { dilate } from './morphology.js'
import { findSheet, mayHoldSheet, type Point } from './page.js'
import { findGridDots } from './grid-dots.js'
import { estimateSkew, placePeriods } from './rows.js'
import { removeRules } from './rules.js'
import { estimateStrokeWidth } from './stroke.js'
import { binarize } from './threshold.js'

/** What {@link findLetters} measured and found. */
export interface PageLayout {
  /** Lines top to bottom, each the lattice of its candidate characters, in reading-frame pixels (see `frame`). */
  readonly lines: LineLattice[]
  /** Where the letters were found: the working image cut to the sheet and turned upright (`deskew.ts` maps back). */
  readonly frame: ReadingFrame
  /** The sheet of paper's corners in working pixels, when one was found in the frame. */
  readonly sheet?: Point[]
  readonly strokeWidth: number
  readonly letterHeight: number
  /** Line slope in radians and degrees, positive when lines descend to the right. */
  readonly skew: number
  readonly skewDegrees: number
  /** Binarisation threshold on the flattened image. */
  readonly threshold: number
  /** Milliseconds spent in each stage. */
  readonly timingsMs: Record<FindStage, number>
}

/** The stages of {@link findLetters}, in order, as named in timings. */
export const FIND_STAGES = ['background', 'page', 'deskew', 'threshold', 'rules', 'morphology', 'components', 'letters', 'lattice'] as const
export type FindStage = (typeof FIND_STAGES)[number]

/**
 * Finds the letters of a handwritten note and orders them into lines: background flattening →
 * the sheet of paper cut out and turned upright (`page.ts`, `deskew.ts`) → Otsu threshold →
 * ruled lines removed (`rules.ts`) → dilation sized from the measured stroke width → 8-connected components →
 * letter candidates (specks, borders and rules dropped) → lines (skew-robust) → periods → per
 * line, the lattice of candidate characters: pieces of undilated ink, cut where wide, joined
 * in runs (`pieces.ts`, `lattice.ts`); or, with `segmentation.byRecognition` off, the heuristic
 * letters (fragments merged, touching letters split) as a lattice of one path. Which candidates
 * are the letters, and where the words break, the reader decides (`reading/search.ts`). Each step
 * is its stage module's; this function only runs them in order.
 *
 * @param gray the page at working resolution (see `decodeImage`)
 * @param colour the same page in colour, when the upload has colour: the sheet is told from a coloured desk by it
 * @returns lines of candidate characters, with boxes and masks in reading-frame pixels (`layout.frame`)
 */
export function findLetters(gray: GrayImage, config: PipelineConfig = PIPELINE_CONFIG, colour?: ColourImage): PageLayout {
  const timings = Object.fromEntries(FIND_STAGES.map((s) => [s, 0])) as Record<FindStage, number>
  let mark = performance.now()
  const lap = (stage: FindStage): void => {
    const now = performance.now()
    timings[stage] += now - mark
    mark = now
  }

  const cellSize = Math.max(2, Math.round(Math.sqrt(gray.width * gray.height) / config.background.cellsAcrossPage))
  const backgroundOptions = { ...config.background, cellSize }
  const backgroundGrid = estimateBackground(gray, backgroundOptions)
  const flat = flattenBackground(gray, backgroundOptions, backgroundGrid)
  lap('background')

  // Only the sheet is read (the desk around it is not text), turned so that its lines run horizontally.
  const coverage = inkDensity(flat, config.page.inkCoverageLevel, cellSize)
  const chroma = colour && mayHoldSheet(backgroundGrid) ? chromaGrid(colour, backgroundGrid, cellSize, config.page) : undefined
  const sheet = findSheet(backgroundGrid, cellSize, gray.width, gray.height, config.page, coverage, chroma)?.corners
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

  const dilated = dilate(
    ink,
    Math.max(1, Math.round(config.morphology.dilationAcross * strokeWidth)),
    Math.max(1, Math.round(config.morphology.dilationAlong * strokeWidth)),
  )
  lap('morphology')

  const { labels, count } = labelComponents(dilated)
  const components = gatherCandidates(ink, labels, count)
  // A notebook's spiral binding is no text, and its rings would pass for the page's letters.
  const binding = findBindingMarks(
    components.map((c) => c.box),
    image.width,
    image.height,
    config.bindings,
  )
  const all = binding.size === 0 ? components : components.filter((_, i) => !binding.has(i))
  lap('components')

  const letterHeight = typicalLetterHeight(all, config.candidates.minLetterStrokes * strokeWidth)
  const page = { frame, sheet, strokeWidth, letterHeight, threshold, timingsMs: timings }
  if (letterHeight <= 0) return { ...page, lines: [], skew: 0, skewDegrees: 0 }
  const { letters, dots } = classifyBySize(all, letterHeight, strokeWidth, image.width, image.height, config.candidates, (box) =>
    touchesPhotoEdge(frame, box, gray.width, gray.height),
  )
  if (letters.length === 0) return { ...page, lines: [], skew: 0, skewDegrees: 0 }
  const skew = estimateSkew(
    letters.map((c) => c.box),
    letterHeight,
    config.skew,
  )
  // Pieces (undilated components) of each candidate: a candidate that dilation joined across two lines is split into them.
  const { labels: inkLabels, count: inkCount } = labelComponents(ink)
  const piecesOf = piecesByCandidate(ink, inkLabels, inkCount, labels)
  const rows = findTextLines<LineCandidate>(letters, letterHeight, skew, config.lines, (c) =>
    c.labels.flatMap((l) => piecesOf.get(l) ?? []).map((piece) => ({ ...piece, labels: c.labels, pieces: [piece] })),
  )
  // A dotted grid's dots (or a faint grid's crossings) would sit on every line as periods.
  const gridDots = findGridDots(
    dots.map((d) => d.box),
    letterHeight,
    config.gridDots,
  )
  const marks = gridDots.size === 0 ? dots : dots.filter((_, i) => !gridDots.has(i))
  const periods = placePeriods(rows, marks, skew, letterHeight, config.dots).map((line) =>
    line.filter((p) => p.kind === 'period').map((p) => p.item.box),
  )
  lap('letters')
  const lines = config.segmentation.byRecognition
    ? latticeLines(rows, periods, ink, inkLabels, piecesOf, letterHeight, strokeWidth, config)
    : rows.map((row, l) =>
        pathLattice(
          separateLetters(row, ink, labels, letterHeight, strokeWidth, config.fragments, config.split).map((c) => ({
            box: c.box,
            mask: candidateMask(c, ink, labels),
          })),
          letterHeight,
          periods[l],
        ),
      )
  lap('lattice')
  return { ...page, lines: lines.filter((l) => l.candidates.length > 0), skew, skewDegrees: (skew * 180) / Math.PI }
}

/** A letter candidate in a line: when it is part of a candidate split between two lines, the pieces it holds. */
type LineCandidate = Candidate & { readonly pieces?: readonly Piece[] }

/**
 * Segmentation by recognition, the finding half: each line over-segmented into pieces and
 * segments (`pieces.ts`) and its lattice of candidate characters built (`lattice.ts`). The page's
 * candidates are bounded: past `maxCandidatesPerPage`, the lines with most candidates keep their
 * single segments only.
 *
 * @param rows the lines' letter candidates (dilated components); @param periods each line's periods
 * @param inkLabels the labels of the undilated ink; @param piecesOf the pieces of each dilated label
 */
function latticeLines(
  rows: readonly LineCandidate[][],
  periods: Box[][],
  ink: BinaryImage,
  inkLabels: Int32Array,
  piecesOf: ReadonlyMap<number, Piece[]>,
  letterHeight: number,
  strokeWidth: number,
  config: PipelineConfig,
): LineLattice[] {
  const minArea = config.candidates.speckAreaStrokes * strokeWidth * strokeWidth
  const split = rows.map((row) => {
    const pieces = row.flatMap((c) => c.pieces ?? c.labels.flatMap((l) => piecesOf.get(l) ?? []))
    const height = lineLetterHeight(pieces, config.candidates.minLetterStrokes * strokeWidth, letterHeight)
    return { height, ...overSegmentLine(pieces, ink, inkLabels, height, strokeWidth, minArea, config.pieces) }
  })
  const build = (l: number, maxSegments?: number): LineLattice =>
    lineLattice(split[l].segments, split[l].pieces, ink, inkLabels, split[l].height, periods[l], config.lattice, maxSegments)
  const lines = split.map((_, l) => build(l))
  let total = lines.reduce((n, l) => n + l.candidates.length, 0)
  const byCount = lines.map((l, index) => ({ index, count: l.candidates.length })).sort((a, b) => b.count - a.count)
  for (const { index } of byCount) {
    if (total <= config.lattice.maxCandidatesPerPage) break
    const single = build(index, 1)
    total -= lines[index].candidates.length - single.candidates.length
    lines[index] = single
  }
  return lines
}
