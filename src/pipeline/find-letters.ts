import { estimateBackground, flattenBackground } from './background.js'
import { labelComponents } from './components.js'
import { PIPELINE_CONFIG, type PipelineConfig } from './config.js'
import { deskewPage, touchesPhotoEdge, type ReadingFrame } from './deskew.js'
import type { BinaryImage, Box, GrayImage, TextLine } from './image.js'
import { unionBoxes } from './image.js'
import { type GlyphKind, candidateMask, classifyBySize, gatherCandidates, separateLetters, typicalLetterHeight } from './letters.js'
import { dilate } from './morphology.js'
import { findSheet, type Point } from './page.js'
import { estimateSkew, findLines, placePeriods } from './rows.js'
import { removeRules } from './rules.js'
import { estimateStrokeWidth } from './stroke.js'
import { binarize } from './threshold.js'
import { splitPageWords } from './words.js'

/** One letter (or period) found on the page, in reading-frame pixels (see {@link PageLayout.frame}). */
export interface FoundGlyph {
  readonly box: Box
  readonly kind: GlyphKind
  /** The glyph's own ink, cropped to its box at working resolution (1 = ink). */
  readonly mask: BinaryImage
}

/** What {@link findLetters} measured and found. */
export interface PageLayout {
  /** Lines top to bottom, words and glyphs left to right, in reading-frame pixels (see `frame`). */
  readonly lines: TextLine<FoundGlyph>[]
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
export const FIND_STAGES = ['background', 'page', 'deskew', 'threshold', 'rules', 'morphology', 'components', 'letters', 'layout'] as const
export type FindStage = (typeof FIND_STAGES)[number]

/**
 * Finds the letters of a handwritten note and orders them into lines and words: background
 * flattening → the sheet of paper cut out and turned upright (`page.ts`, `deskew.ts`) → Otsu
 * threshold → ruled lines removed (`rules.ts`) → dilation sized from the measured stroke width → 8-connected
 * components → letter candidates (specks, borders and rules dropped) → lines (skew-robust) →
 * letters per line (fragments merged, touching letters split) → periods → words (by the gap
 * distribution). Each step is its stage module's; this function only runs them in order.
 *
 * @param gray the page at working resolution (see `decodeImage`)
 * @returns lines of words of glyphs, with boxes and masks in reading-frame pixels (`layout.frame`)
 */
export function findLetters(gray: GrayImage, config: PipelineConfig = PIPELINE_CONFIG): PageLayout {
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

  const dilated = dilate(
    ink,
    Math.max(1, Math.round(config.morphology.dilationAcross * strokeWidth)),
    Math.max(1, Math.round(config.morphology.dilationAlong * strokeWidth)),
  )
  lap('morphology')

  const { labels, count } = labelComponents(dilated)
  const all = gatherCandidates(ink, labels, count)
  lap('components')

  const letterHeight = typicalLetterHeight(all, config.candidates.minLetterStrokes * strokeWidth)
  const page = { frame, sheet, strokeWidth, letterHeight, threshold, timingsMs: timings }
  if (letterHeight <= 0) return { ...page, lines: [], skewDegrees: 0 }
  const { letters, dots } = classifyBySize(all, letterHeight, strokeWidth, image.width, image.height, config.candidates, (box) =>
    touchesPhotoEdge(frame, box, gray.width, gray.height),
  )
  if (letters.length === 0) return { ...page, lines: [], skewDegrees: 0 }
  const skew = estimateSkew(
    letters.map((c) => c.box),
    letterHeight,
    config.skew,
  )
  const rows = findLines(letters, letterHeight, skew, config.rows).map((line) =>
    separateLetters(line, ink, labels, letterHeight, strokeWidth, config.fragments, config.split),
  )
  lap('letters')

  const placed = placePeriods(rows, dots, skew, letterHeight, config.dots).filter((line) => line.length > 0)
  const wordRanges = splitPageWords(
    placed.map((line) => line.map((p) => p.item.box)),
    (l, i) => placed[l][i].kind === 'glyph',
    skew,
    letterHeight,
    config.words,
  )
  const lines = placed.map((line, l) => {
    const words = wordRanges[l].map(([start, end]) => {
      const glyphs = line.slice(start, end).map((p) => ({ box: p.item.box, kind: p.kind, mask: candidateMask(p.item, ink, labels) }))
      return { box: unionBoxes(glyphs.map((g) => g.box)), glyphs }
    })
    return { box: unionBoxes(words.map((w) => w.box)), words }
  })
  lap('layout')
  return { ...page, lines, skewDegrees: (skew * 180) / Math.PI }
}
