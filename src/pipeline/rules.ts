import { forEachRun, type BinaryImage } from './image.js'

/** Options of {@link removeRules}. */
export interface RuleOptions {
  /** Rules are at most this thick, as a fraction of the page's size (√(width·height)): printed hairlines. */
  readonly ruleWidthFraction: number
  /** A horizontal rule's pieces add up to at least this fraction of the image's width along one band... */
  readonly minLengthFraction: number
  /** ...each piece that counts at least this fraction long (longer than any letter's bar)... */
  readonly minPieceFraction: number
  /** ...the longest at least this fraction (bars of neighbouring letters never are)... */
  readonly minLongestFraction: number
  /** Gaps along a piece up to this many rule widths are bridged (a faint line binarises as dashes). */
  readonly bridgeWidths: number
  /** A vertical rule is at least this fraction of the image's height long (letters' stems can be long). */
  readonly minVerticalLengthFraction: number
  /** Vertical rules are looked for only when at least this many horizontal ones were found (ruled or grid paper). */
  readonly minRulesForVertical: number
}

/** What {@link removeRules} did. */
export interface RuleRemoval {
  /** The ink without the rules, letters that crossed them kept whole. */
  readonly ink: BinaryImage
  /** How many bands of rows (and of columns) held a rule. */
  readonly horizontal: number
  readonly vertical: number
  /** Ink pixels removed. */
  readonly removedPixels: number
}

/**
 * Removes ruled and grid lines: long thin lines of ink along the text lines (and, on ruled paper,
 * across them), keeping the letters that cross or touch them whole.
 *
 * Lines are found with line-shaped morphology: each row, with the rows just above and below OR-ed
 * in (so that a slightly tilted or one-pixel line stays one run) and gaps of a few rule widths
 * bridged, keeps its runs of at least a few rule widths. Every thin cross-section of a long piece
 * of that mask votes for its centre, along the text's slope; a band whose pieces add up to a good
 * part of the page's width, one of them longer than any letter's bar, is a rule. In a rule's band,
 * every column's run of ink no thicker than the rules is removed, even a dotted stretch of a faint
 * one; a letter's stroke crossing the rule or lying on it makes a longer run, and one touching it
 * continues diagonally beyond the run's ends: those stay, so a letter keeps its ink where it meets
 * the line and no longer joins its neighbours through it.
 *
 * @param ink binary image, 1 = ink
 * @param slope the text lines' slope (tan of their angle, positive when they descend to the right):
 *   rules run with the text
 * @returns the cleaned ink (`ink` itself when nothing is removed)
 */
export function removeRules(ink: BinaryImage, options: RuleOptions, slope = 0): RuleRemoval {
  const rows = removeAlongRows(ink, options.minLengthFraction, options, slope)
  let result = rows.ink,
    vertical = 0,
    removed = rows.removed
  if (options.minRulesForVertical > 0 && rows.rules >= options.minRulesForVertical) {
    // Transposed, the columns' lines run down to the right where the rows' run up.
    const columns = removeAlongRows(transpose(result), options.minVerticalLengthFraction, options, -slope)
    if (columns.rules > 0) {
      result = transpose(columns.ink)
      vertical = columns.rules
      removed += columns.removed
    }
  }
  return { ink: result, horizontal: rows.rules, vertical, removedPixels: removed }
}

/**
 * Removes the horizontal rules (see {@link removeRules}).
 *
 * @param lengthFraction a rule's pieces add up to at least this fraction of the width
 * @param slope the rules' expected slope (tan of their angle, positive descending to the right)
 * @returns the ink without them, how many bands of rules there were and how many ink pixels went
 */
export function removeAlongRows(
  ink: BinaryImage,
  lengthFraction: number,
  options: RuleOptions,
  slope = 0,
): { ink: BinaryImage; rules: number; removed: number } {
  const { width, height, data } = ink
  // Measured against the page, not the pen: a thick pen's measure would bridge and join the bars of
  // neighbouring letters, and on ruled paper the pen's measure is the rules' own.
  const ruleWidth = Math.max(1, options.ruleWidthFraction * Math.sqrt(width * height))
  const bridge = Math.max(1, Math.round(options.bridgeWidths * ruleWidth))
  const longPiece = Math.max(2, Math.round(options.minPieceFraction * width))
  const { mask: pieces, longest: longestPiece } = longRuns(ink, longPiece, bridge)
  if (longestPiece < options.minLongestFraction * width) return { ink, rules: 0, removed: 0 }
  // A rule's cross-section, with the two rows OR-ed in; thicker pieces are blobs (a desk, a filled shape).
  const maxThickness = Math.ceil(ruleWidth) + 2

  // Each thin cross-section of a long piece (a column's run of the pieces' mask) votes for the band
  // through its centre along the slope, weighted one column; the bands around a band sum what lies
  // along it. A band also keeps the longest piece that voted for it.
  const offset = Math.ceil(Math.abs(slope) * width) + 1
  const bands = height + 2 * offset
  const bandOf = (x: number, y: number): number => Math.round(y - x * slope) + offset
  const lengthByBand = new Float64Array(bands),
    longestByBand = new Float64Array(bands)
  const thicknesses = new Float64Array(maxThickness + 1)
  const runStart = new Int32Array(width)
  const p = pieces.data
  for (let y = 0; y < height; y++) {
    const row = y * width
    forEachRun(p, row, width, (start, end) => {
      for (let x = start; x < end; x++) {
        if (y === 0 || p[row - width + x] === 0) runStart[x] = y
        if (y + 1 < height && p[row + width + x] !== 0) continue
        const thickness = y - runStart[x] + 1
        if (thickness > maxThickness) continue
        const band = bandOf(x, (runStart[x] + y) / 2)
        lengthByBand[band]++
        longestByBand[band] = Math.max(longestByBand[band], end - start)
        thicknesses[thickness]++
      }
    })
  }
  // A rule's pieces are centred within a few pixels of one another (a notebook's page curves a little):
  // a band is on a rule when it holds pieces itself and the bands around it hold enough of them.
  const window = Math.max(2, Math.ceil(maxThickness))
  const halfLine = Math.max(1, Math.ceil(maxThickness / 2))
  const isRuleBand = new Uint8Array(bands)
  let rules = 0
  for (let b = 0; b < bands; b++) {
    if (lengthByBand[b] === 0) continue
    let along = 0,
      longest = 0
    for (let k = Math.max(0, b - window); k <= Math.min(bands - 1, b + window); k++) {
      along += lengthByBand[k]
      longest = Math.max(longest, longestByBand[k])
    }
    if (along < lengthFraction * width || longest < options.minLongestFraction * width) continue
    if (!isRuleBand.subarray(Math.max(0, b - halfLine - 1), b).includes(1)) rules++
    isRuleBand.fill(1, Math.max(0, b - halfLine), Math.min(bands, b + halfLine + 1))
  }
  if (rules === 0) return { ink, rules: 0, removed: 0 }

  // On a rule's rows, every column's run of ink no thicker than the rules (the pieces' typical
  // cross-section, less the two rows OR-ed in, plus a pixel) is rule, even a dotted stretch of a faint
  // one. A letter's stroke crossing the rule or lying on it makes a longer run, and one touching it
  // continues diagonally beyond the run's ends: those stay, so a letter keeps its ink where it meets
  // the line and stays whole.
  const out = data.slice()
  const maxRun = medianIndex(thicknesses) - 2 + 1
  let removed = 0
  for (let y = 0; y < height; y++) {
    forEachRun(data, y * width, width, (start, end) => {
      for (let x = start; x < end; x++) {
        if (out[y * width + x] === 0 || isRuleBand[bandOf(x, y)] === 0) continue
        let top = y,
          bottom = y
        while (top > 0 && data[(top - 1) * width + x] !== 0 && y - top < maxRun) top--
        while (bottom < height - 1 && data[(bottom + 1) * width + x] !== 0 && bottom - top < maxRun) bottom++
        if (bottom - top + 1 > maxRun) continue
        if (inkAcross(data, width, height, x, top - 1) || inkAcross(data, width, height, x, bottom + 1)) continue
        for (let k = top; k <= bottom; k++) {
          if (out[k * width + x] !== 0) {
            out[k * width + x] = 0
            removed++
          }
        }
      }
    })
  }
  return { ink: { width, height, data: out }, rules, removed }
}

/**
 * The mask of long horizontal runs: each row OR-ed with its neighbours above and below, gaps of at
 * most `bridge` pixels filled, and runs shorter than `minLength` dropped; and the longest run's length.
 */
export function longRuns(ink: BinaryImage, minLength: number, bridge: number): { mask: BinaryImage; longest: number } {
  const { width, height, data } = ink
  const out = new Uint8Array(width * height)
  const merged = new Uint8Array(width)
  let longest = 0
  for (let y = 0; y < height; y++) {
    const row = y * width
    for (let x = 0; x < width; x++) {
      merged[x] = data[row + x] | (y > 0 ? data[row - width + x] : 0) | (y + 1 < height ? data[row + width + x] : 0)
    }
    let x = 0
    while (x < width) {
      if (merged[x] === 0) {
        x++
        continue
      }
      // A run, continued across gaps of at most `bridge` pixels.
      const start = x
      let end = x
      while (end < width) {
        while (end < width && merged[end] !== 0) end++
        let gap = end
        while (gap < width && merged[gap] === 0 && gap - end < bridge) gap++
        if (gap < width && merged[gap] !== 0 && gap - end <= bridge) end = gap
        else break
      }
      if (end - start >= minLength) out.fill(1, row + start, row + end)
      longest = Math.max(longest, end - start)
      x = end
    }
  }
  return { mask: { width, height, data: out }, longest }
}

/** Whether row `y` has ink in column `x` or either column beside it. */
function inkAcross(data: Uint8Array, width: number, height: number, x: number, y: number): boolean {
  if (y < 0 || y >= height) return false
  const row = y * width
  return (x > 0 && data[row + x - 1] !== 0) || data[row + x] !== 0 || (x + 1 < width && data[row + x + 1] !== 0)
}

/** The index at which a histogram's running total passes half its total. */
function medianIndex(histogram: Float64Array): number {
  let total = 0
  for (const v of histogram) total += v
  let seen = 0
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i]
    if (seen >= total / 2) return i
  }
  return histogram.length - 1
}

/** The image mirrored about its diagonal (rows become columns). */
export function transpose(image: BinaryImage): BinaryImage {
  const { width, height, data } = image
  const out = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    const row = y * width
    for (let x = 0; x < width; x++) out[x * height + y] = data[row + x]
  }
  return { width: height, height: width, data: out }
}
