import type { Box } from './image.js'
import { deskewedCentre } from './rows.js'
import { median } from './stroke.js'

/** Options of {@link splitWords}. */
export interface WordOptions {
  /** The wide gaps must average at least this many times the narrow ones to be word gaps. */
  readonly minGapContrast: number
  /** A word gap is at least this many letter heights wide. */
  readonly minWordGapHeights: number
  /** A gap this many times the line's median gap is a word gap whatever the others are. */
  readonly outlierGapRatio: number
  /** A line with at least this many gaps is judged by its own spacing as well as the page's. */
  readonly minGapsForOwnEvidence: number
  /** Gaps narrower than this many letter heights are treated as this wide when comparing groups. */
  readonly gapFloorHeights: number
  /**
   * A clear split whose wide gaps leave words of at most this many characters on average has found
   * the words: its narrow gaps are letter gaps, and the letters standing apart set the spacing.
   */
  readonly maxLettersPerWord: number
  /**
   * A line whose every gap is at least this many of its letters' median widths holds no word of
   * two letters: it is single characters spaced apart (a grid, a spaced-out code), one word each.
   */
  readonly spacedOutWidths: number
}

/**
 * The horizontal gaps between consecutive boxes of a line, measured along the deskewed line.
 *
 * @param row boxes of one line, left to right
 * @returns `row.length - 1` gaps in pixels (negative when boxes overlap)
 */
export function lineGaps(row: readonly Box[], skew: number): number[] {
  const gaps: number[] = []
  for (let i = 0; i + 1 < row.length; i++) {
    const a = deskewedCentre(row[i], skew).u + row[i].width / 2
    const b = deskewedCentre(row[i + 1], skew).u - row[i + 1].width / 2
    gaps.push(b - a)
  }
  return gaps
}

/**
 * Finds the word-gap threshold of a set of gaps. Two tests, either of which marks a word gap:
 * Otsu's split of the gap values into narrow (between letters) and wide (between words), kept
 * only when the wide group is clearly wider; and, with enough gaps to know the letter spacing,
 * any gap far wider than the writer's {@link letterSpacing} (a line whose word gaps differ in
 * width, where Otsu finds only the widest).
 *
 * @param gaps gap widths in pixels
 * @param lines how many lines the gaps come from (each line is at least one word)
 * @returns the smallest gap that counts as a word gap, or undefined when there is no clear split
 */
export function wordGapThreshold(gaps: readonly number[], letterHeight: number, options: WordOptions, lines = 1): number | undefined {
  if (gaps.length < 2) return undefined
  const sorted = [...gaps].sort((a, b) => a - b)
  const minWordGap = options.minWordGapHeights * letterHeight
  const floor = options.gapFloorHeights * letterHeight
  const [low, high] = otsuSplit(sorted)
  const byOtsu = isClearSplit(low, high, floor, minWordGap, options) ? high[0] : Infinity
  const spacing = letterSpacing(sorted, Number.isFinite(byOtsu) ? low : undefined, lines, floor, minWordGap, options)
  const outlierGap = Math.max(minWordGap, options.outlierGapRatio * spacing)
  const byOutlier = sorted.length >= options.minGapsForOwnEvidence ? (sorted.find((g) => g >= outlierGap) ?? Infinity) : Infinity
  const threshold = Math.min(byOtsu, byOutlier)
  return Number.isFinite(threshold) ? threshold : undefined
}

/**
 * The writer's gap between letters, against which a gap counts as far wider: the median of all
 * gaps, at least the floor. Touching letters (gap at or under the floor: letters joined in one
 * stroke and cut apart, or boxes that overlap) are a population of their own: a word written with
 * touching letters pulls that median to the floor, and every gap of a writer who spaces the
 * other letters widely then looks far wider ("Th s i s" for "This is"). So when Otsu's wide gaps
 * already cut the gaps' letters into words of plausible length (at most
 * {@link WordOptions.maxLettersPerWord} on average), the narrow gaps are taken as letter gaps,
 * and the spacing is at least the median of those wider than the floor, the letters that stand
 * apart (given at least {@link WordOptions.minGapsForOwnEvidence} of them). When Otsu's words
 * are long, the narrow group still holds word gaps (touching letters, word gaps of half a letter
 * height, one stray far off on the line), and those must stay far wider than the spacing.
 *
 * @param sorted all gaps, ascending
 * @param narrow the narrow group of Otsu's split, when the split is clear
 * @param lines how many lines the gaps come from
 * @param minWordGap the narrowest word gap in pixels, for splitting the letters apart again
 * @returns the letter spacing in pixels
 */
export function letterSpacing(
  sorted: readonly number[],
  narrow: readonly number[] | undefined,
  lines: number,
  floor: number,
  minWordGap: number,
  options: WordOptions,
): number {
  const all = Math.max(median(sorted), floor)
  if (narrow === undefined) return all
  const letters = sorted.length + lines,
    words = sorted.length - narrow.length + lines
  if (letters / words > options.maxLettersPerWord) return all
  const apart = narrow.filter((g) => g > floor)
  if (apart.length < options.minGapsForOwnEvidence) return all
  // The wide group was one stray far off ("TEL 996 8973  1"): the letters apart still hold the word gaps.
  const [closer, wider] = otsuSplit(apart)
  return Math.max(all, median(isClearSplit(closer, wider, floor, minWordGap, options) ? closer : apart))
}

/**
 * Otsu's split of ascending values into a low and a high group (the split that maximises the
 * variance between the groups).
 *
 * @param sorted at least two values, ascending
 */
function otsuSplit(sorted: readonly number[]): [number[], number[]] {
  let bestScore = -1,
    bestIndex = 1
  const total = sorted.reduce((s, g) => s + g, 0)
  let below = 0
  for (let i = 1; i < sorted.length; i++) {
    below += sorted[i - 1]
    const meanLow = below / i,
      meanHigh = (total - below) / (sorted.length - i)
    const score = i * (sorted.length - i) * (meanHigh - meanLow) ** 2
    if (score > bestScore) {
      bestScore = score
      bestIndex = i
    }
  }
  return [sorted.slice(0, bestIndex), sorted.slice(bestIndex)]
}

/** Whether a split of gaps sets word gaps apart: the wide group clearly wider, and wide enough to be word gaps. */
function isClearSplit(low: readonly number[], high: readonly number[], floor: number, minWordGap: number, options: WordOptions): boolean {
  // A floor of a small fraction of the letter height keeps touching letters (gap ≤ 0) from making every gap look wide.
  const contrast = median(high) / Math.max(median(low), floor)
  return contrast >= options.minGapContrast && high[0] >= minWordGap
}

/**
 * Whether a line is single characters spaced apart: at least two gaps, and none narrower than
 * `spacedOutWidths` of the median width of its letters (its boxes at least half the letter height
 * tall, so that periods do not count). Handwriting spaces the letters of a word less than a letter
 * width apart somewhere in nearly every word, however wide the writer's spacing.
 */
function isSpacedOut(row: readonly Box[], gaps: readonly number[], letterHeight: number, options: WordOptions): boolean {
  if (gaps.length < 2) return false
  const letterWidths = row.filter((b) => b.height >= letterHeight / 2).map((b) => b.width)
  if (letterWidths.length < 2) return false
  return Math.min(...gaps) >= options.spacedOutWidths * median(letterWidths)
}

/**
 * A line's word-gap rule, from the distribution of its gaps. When the line's own gaps show no
 * clear split (a short line, or evenly spaced letters), the page's threshold is used, but only
 * for gaps well above the line's typical gap.
 *
 * @param row boxes of one line, left to right
 * @param pageThreshold word-gap threshold from all lines of the page, if there is one
 * @returns whether a gap (in pixels along the line, as {@link lineGaps} measures) is a word gap
 */
export function wordGapRule(
  row: readonly Box[],
  skew: number,
  letterHeight: number,
  pageThreshold: number | undefined,
  options: WordOptions,
): (gap: number) => boolean {
  const gaps = lineGaps(row, skew)
  if (isSpacedOut(row, gaps, letterHeight, options)) return () => true
  const own = wordGapThreshold(gaps, letterHeight, options)
  if (own !== undefined) return (g) => g >= own
  if (pageThreshold !== undefined) {
    // With few gaps the line says little about itself; with many, evenly spaced letters must not all split.
    const typical = gaps.length >= options.minGapsForOwnEvidence ? Math.max(median(gaps), options.gapFloorHeights * letterHeight) : 0
    return (g) => g >= pageThreshold && g >= options.minGapContrast * typical
  }
  return () => false
}

/**
 * Groups a line's boxes into words by its {@link wordGapRule}.
 *
 * @param row boxes of one line, left to right
 * @param pageThreshold word-gap threshold from all lines of the page, if there is one
 * @returns index ranges `[start, end)` of the words, left to right
 */
export function splitWords(
  row: readonly Box[],
  skew: number,
  letterHeight: number,
  pageThreshold: number | undefined,
  options: WordOptions,
): Array<[number, number]> {
  if (row.length === 0) return []
  return splitByRule(row, skew, wordGapRule(row, skew, letterHeight, pageThreshold, options))
}

function splitByRule(row: readonly Box[], skew: number, isWordGap: (gap: number) => boolean): Array<[number, number]> {
  if (row.length === 0) return []
  const words: Array<[number, number]> = []
  let start = 0
  lineGaps(row, skew).forEach((g, i) => {
    if (isWordGap(g)) {
      words.push([start, i + 1])
      start = i + 1
    }
  })
  words.push([start, row.length])
  return words
}

/**
 * Every line's word-gap rule: the page's word-gap threshold comes from the gaps between letters
 * of all lines (periods left out, since the gap before a period says nothing about spacing); each
 * line then splits by its own gaps or, lacking evidence, the page's.
 *
 * @param lines each line's boxes, left to right
 * @param isLetter whether an item counts for the page's spacing (line index, item index)
 * @returns per line, whether a gap along it is a word gap
 */
export function pageWordGapRules(
  lines: readonly (readonly Box[])[],
  isLetter: (line: number, item: number) => boolean,
  skew: number,
  letterHeight: number,
  options: WordOptions,
): Array<(gap: number) => boolean> {
  const letterLines = lines.map((line, l) => line.filter((_, i) => isLetter(l, i))).filter((line) => line.length > 0)
  const letterGaps = letterLines.flatMap((line) => lineGaps(line, skew))
  const pageThreshold = wordGapThreshold(letterGaps, letterHeight, options, letterLines.length)
  return lines.map((line) => wordGapRule(line, skew, letterHeight, pageThreshold, options))
}

/**
 * Splits every line of a page into words by {@link pageWordGapRules}.
 *
 * @param lines each line's boxes, left to right
 * @param isLetter whether an item counts for the page's spacing (line index, item index)
 * @returns per line, index ranges `[start, end)` of its words
 */
export function splitPageWords(
  lines: readonly (readonly Box[])[],
  isLetter: (line: number, item: number) => boolean,
  skew: number,
  letterHeight: number,
  options: WordOptions,
): Array<Array<[number, number]>> {
  const rules = pageWordGapRules(lines, isLetter, skew, letterHeight, options)
  return lines.map((line, l) => splitByRule(line, skew, rules[l]))
}
