/**
 * Reading-accuracy metrics, the ones `scrawl eval` and the benchmarks report.
 */

/** Levenshtein distance between two strings (insertions, deletions, substitutions cost 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0
  if (a.length === 0) return b.length
  if (b.length === 0) return a.length
  let previous = new Uint32Array(b.length + 1)
  let current = new Uint32Array(b.length + 1)
  for (let j = 0; j <= b.length; j++) previous[j] = j
  for (let i = 1; i <= a.length; i++) {
    current[0] = i
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution)
    }
    ;[previous, current] = [current, previous]
  }
  return previous[b.length]
}

/** Upper-cases and keeps only letters and digits: what character accuracy compares. */
export const comparableCharacters = (text: string): string => text.toUpperCase().replace(/[^A-Z0-9]/g, '')

/** The words of a text, upper-cased, with punctuation removed. */
export const comparableWords = (text: string): string[] =>
  text
    .toUpperCase()
    .split(/\s+/)
    .map((w) => w.replace(/[^A-Z0-9]/g, ''))
    .filter((w) => w.length > 0)

/** Counts behind an accuracy figure, so that totals over many images can be summed. */
export interface AccuracyCounts {
  /** True characters (letters and digits) and the edit distance of the reading to them. */
  readonly characters: number
  readonly characterErrors: number
  /** True words and how many of them were found among the read words. */
  readonly words: number
  readonly wordsFound: number
}

/**
 * Compares a reading with the truth. Character accuracy is 1 − edit distance / true characters,
 * with spaces and punctuation removed and letters upper-cased; word accuracy is the share of
 * true words found among the read words (each read word matches at most one true word).
 *
 * @param read the text read, lines joined by newlines
 * @param truth the true text
 */
export function compareTexts(read: string, truth: string): AccuracyCounts {
  const trueChars = comparableCharacters(truth)
  const characterErrors = Math.min(editDistance(comparableCharacters(read), trueChars), trueChars.length)
  const available = new Map<string, number>()
  for (const w of comparableWords(read)) available.set(w, (available.get(w) ?? 0) + 1)
  let wordsFound = 0
  const trueWords = comparableWords(truth)
  for (const w of trueWords) {
    const left = available.get(w) ?? 0
    if (left > 0) {
      wordsFound++
      available.set(w, left - 1)
    }
  }
  return { characters: trueChars.length, characterErrors, words: trueWords.length, wordsFound }
}

/** Sums counts over images. */
export function addCounts(a: AccuracyCounts, b: AccuracyCounts): AccuracyCounts {
  return {
    characters: a.characters + b.characters,
    characterErrors: a.characterErrors + b.characterErrors,
    words: a.words + b.words,
    wordsFound: a.wordsFound + b.wordsFound,
  }
}

/** Character accuracy in [0, 1] (1 when there is nothing to read). */
export const characterAccuracy = (c: AccuracyCounts): number => (c.characters === 0 ? 1 : 1 - c.characterErrors / c.characters)
/** Word accuracy in [0, 1] (1 when there are no words). */
export const wordAccuracy = (c: AccuracyCounts): number => (c.words === 0 ? 1 : c.wordsFound / c.words)
