import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ReadOptions } from '../reading/options.js'
import type { Reader } from '../reading/reader.js'
import { addCounts, characterAccuracy, compareTexts, wordAccuracy, type AccuracyCounts } from './metrics.js'

/** A set's truth: image file name → its lines. */
export type Truth = Record<string, string[]>

/** What {@link evaluateSet} measured. */
export interface SetEvaluation {
  readonly images: ReadonlyArray<{ readonly file: string; readonly counts: AccuracyCounts; readonly read: string }>
  readonly total: AccuracyCounts
}

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
  let total: AccuracyCounts = { characters: 0, characterErrors: 0, words: 0, wordsFound: 0 }
  for (const [file, lines] of Object.entries(truth)) {
    const result = await reader.recognize(readFileSync(join(dir, file)), options)
    const counts = compareTexts(result.text, lines.join('\n'))
    total = addCounts(total, counts)
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
    out(`${image.file}: ${formatCounts(image.counts)}  read: ${JSON.stringify(image.read)}\n`),
  )
  out(`total: ${formatCounts(total)}\n`)
  return 0
}
