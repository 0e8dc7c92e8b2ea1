/**
 * Scoring helpers of `bench/synthetic.ts` for mixed-case pages: the same reading scored the three
 * ways `scrawl eval` scores it ({@link EVAL_COMPARISONS}: case-insensitive, case-sensitive, and
 * case-sensitive with punctuation), lines compared the same ways, and the confusions of characters
 * whose boxes were matched (what was written, what was read in its place).
 */
import { EVAL_COMPARISONS } from '../../src/evaluation/eval-set.js'
import { addCounts, comparableWords, compareTexts, type AccuracyCounts, type TextComparison } from '../../src/evaluation/metrics.js'

/** The comparisons, by name, in `scrawl eval`'s order. */
export type ComparisonName = keyof typeof EVAL_COMPARISONS
export const COMPARISON_NAMES = Object.keys(EVAL_COMPARISONS) as ComparisonName[]

/** Text counts and exactly read lines under one comparison. */
export interface ComparisonCounts {
  readonly text: AccuracyCounts
  readonly lines: number
  readonly linesRight: number
}

/**
 * True lines read exactly: a true line counts when some read line, not already counted for another,
 * has the same words in the same order, words compared as `comparison` compares them.
 */
export function linesRight(truthLines: readonly string[], readLines: readonly string[], comparison: TextComparison = {}): number {
  const available = readLines.map((l) => comparableWords(l, comparison).join(' '))
  let right = 0
  for (const line of truthLines) {
    const at = available.indexOf(comparableWords(line, comparison).join(' '))
    if (at >= 0) {
      right++
      available.splice(at, 1)
    }
  }
  return right
}

/** One page's reading scored under every comparison. */
export function scoreComparisons(
  truthLines: readonly string[],
  readLines: readonly string[],
  readText: string,
): Record<ComparisonName, ComparisonCounts> {
  const truthText = truthLines.join('\n')
  const scored = (comparison: TextComparison): ComparisonCounts => ({
    text: compareTexts(readText, truthText, comparison),
    lines: truthLines.length,
    linesRight: linesRight(truthLines, readLines, comparison),
  })
  return Object.fromEntries(COMPARISON_NAMES.map((name) => [name, scored(EVAL_COMPARISONS[name])])) as Record<
    ComparisonName,
    ComparisonCounts
  >
}

/** Sums two pages' (or groups') counts. */
export const addComparisonCounts = (a: ComparisonCounts, b: ComparisonCounts): ComparisonCounts => ({
  text: addCounts(a.text, b.text),
  lines: a.lines + b.lines,
  linesRight: a.linesRight + b.linesRight,
})

export const emptyComparisonCounts = (): ComparisonCounts => ({
  text: { characters: 0, characterErrors: 0, words: 0, wordsFound: 0 },
  lines: 0,
  linesRight: 0,
})

/**
 * What kind of error reading `read` where `truth` was written is: `case` (the same letter in the other
 * case), `mark` (a punctuation mark written or read), `other` (a different letter or digit), or
 * `null` when it is no error.
 */
export function confusionKind(truth: string, read: string): 'case' | 'mark' | 'other' | null {
  if (truth === read) return null
  if (truth.toLowerCase() === read.toLowerCase()) return 'case'
  if (!/^[A-Za-z0-9]$/.test(truth) || !/^[A-Za-z0-9]$/.test(read)) return 'mark'
  return 'other'
}

/** Counts of (written → read) pairs of matched boxes; right readings are counted under `right`. */
export interface Confusions {
  right: number
  byKind: Record<'case' | 'mark' | 'other', number>
  pairs: Map<string, number>
}

export const emptyConfusions = (): Confusions => ({ right: 0, byKind: { case: 0, mark: 0, other: 0 }, pairs: new Map() })

/** Adds matched (written, read) character pairs to the confusion counts. */
export function addConfusions(into: Confusions, matched: ReadonlyArray<readonly [string, string]>): void {
  for (const [truth, read] of matched) {
    const kind = confusionKind(truth, read)
    if (kind === null) {
      into.right++
      continue
    }
    into.byKind[kind]++
    const key = `${truth}→${read}`
    into.pairs.set(key, (into.pairs.get(key) ?? 0) + 1)
  }
}

/** The most frequent confusions, most first (ties by key, so that the list is stable). */
export function topConfusions(confusions: Confusions, count: number): Array<[string, number]> {
  return [...confusions.pairs].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, count)
}

/**
 * The group a written character is counted in for box recall: capitals, digits, lower case by height
 * (x-height, tall: ascenders and i, descenders), or the mark itself.
 */
export function characterGroup(ch: string): string {
  if (/^[A-Z]$/.test(ch)) return 'capitals'
  if (/^[0-9]$/.test(ch)) return 'digits'
  if (/^[acemnorsuvwxz]$/.test(ch)) return 'x-height letters'
  if (/^[bdfhiklt]$/.test(ch)) return 'tall lower case'
  if (/^[gjpqy]$/.test(ch)) return 'descenders'
  return ch
}
