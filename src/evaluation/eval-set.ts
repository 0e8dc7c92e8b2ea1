import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ReadOptions } from '../reading/options.js'
import type { Reader } from '../reading/reader.js'
import { addCounts, characterAccuracy, compareTexts, wordAccuracy, type AccuracyCounts, type TextComparison } from './metrics.js'

/** A set's truth: image file name → its lines. */
export type Truth = Record<string, string[]>

/** What {@link evaluateSet} measured. */
export interface SetEvaluation {
  readonly images: ReadonlyArray<{ readonly file: string; readonly counts: ScoredCounts; readonly read: string }>
  readonly total: ScoredCounts
}

/** The comparisons `scrawl eval` reports, by name (see `TextComparison`). */
export const EVAL_COMPARISONS = {
  /** Letters upper-cased, punctuation left out: what scrawl has always reported. */
  caseInsensitive: {},
  caseSensitive: { caseSensitive: true },
  /** Case-sensitive, and the punctuation of everyday notes scored too. */
  withPunctuation: { caseSensitive: true, punctuation: true },
} as const satisfies Record<string, TextComparison>

/** Counts of one reading (or a sum) under each of {@link EVAL_COMPARISONS}. */
export type ScoredCounts = Record<keyof typeof EVAL_COMPARISONS, AccuracyCounts>

const scoreAll = (read: string, truth: string): ScoredCounts => ({
  caseInsensitive: compareTexts(read, truth, EVAL_COMPARISONS.caseInsensitive),
  caseSensitive: compareTexts(read, truth, EVAL_COMPARISONS.caseSensitive),
  withPunctuation: compareTexts(read, truth, EVAL_COMPARISONS.withPunctuation),
})

const addScored = (a: ScoredCounts, b: ScoredCounts): ScoredCounts => ({
  caseInsensitive: addCounts(a.caseInsensitive, b.caseInsensitive),
  caseSensitive: addCounts(a.caseSensitive, b.caseSensitive),
  withPunctuation: addCounts(a.withPunctuation, b.withPunctuation),
})

/**
 * Reads every image named in a truth file and scores it with {@link compareTexts}
 * (`scrawl eval DIR TRUTH.json`).
 *
 * @param dir the folder the truth's file names are relative to
 * @param onImage called after each image, for progress output
 */
export async function evaluateSet(
  reader: Reader,
  dir: string,
  truth: Truth,
  options: ReadOptions,
  onImage?: (image: SetEvaluation['images'][number]) => void,
): Promise<SetEvaluation> {
  const images: Array<SetEvaluation['images'][number]> = []
  const none = { characters: 0, characterErrors: 0, words: 0, wordsFound: 0 }
  let total: ScoredCounts = { caseInsensitive: none, caseSensitive: none, withPunctuation: none }
  for (const [file, lines] of Object.entries(truth)) {
    const result = await reader.recognize(readFileSync(join(dir, file)), options)
    const counts = scoreAll(result.text, lines.join('\n'))
    total = addScored(total, counts)
    const image = { file, counts, read: result.text }
    images.push(image)
    onImage?.(image)
  }
  return { images, total }
}

const percent = (v: number): string => `${(v * 100).toFixed(1)} %`

/** One line of `scrawl eval` output: character and word accuracy with their counts. */
export function formatCounts(counts: AccuracyCounts): string {
  const right = counts.characters - counts.characterErrors
  return `characters ${percent(characterAccuracy(counts))} (${right}/${counts.characters}), words ${percent(wordAccuracy(counts))} (${counts.wordsFound}/${counts.words})`
}

/** `scrawl eval DIR TRUTH.json`: prints a line per image and the total; returns the exit code. */
export async function runEval(
  reader: Reader,
  dir: string,
  truthPath: string,
  options: ReadOptions,
  out: (s: string) => void,
): Promise<number> {
  const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as Truth
  const { total } = await evaluateSet(reader, dir, truth, options, (image) =>
    out(
      `${image.file}: ${formatCounts(image.counts.caseInsensitive)}; case-sensitive characters ` +
        `${percent(characterAccuracy(image.counts.caseSensitive))}, words ${percent(wordAccuracy(image.counts.caseSensitive))}` +
        `  read: ${JSON.stringify(image.read)}\n`,
    ),
  )
  out(`total: ${formatCounts(total.caseInsensitive)}\n`)
  out(`total, case-sensitive: ${formatCounts(total.caseSensitive)}\n`)
  out(`total, case-sensitive with punctuation: ${formatCounts(total.withPunctuation)}\n`)
  return 0
}
