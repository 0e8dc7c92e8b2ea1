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

/**
 * How texts are compared. The default (both false) is what scrawl has always reported: letters
 * upper-cased, punctuation left out.
 */
export interface TextComparison {
  /** Whether "o" and "O" differ. */
  readonly caseSensitive?: boolean
  /** Whether the punctuation of everyday notes ({@link SCORED_PUNCTUATION}) is scored too. */
  readonly punctuation?: boolean
}

/** The punctuation a comparison with `punctuation` scores: what notes are written with. */
export const SCORED_PUNCTUATION = '.,;:!?\'"-()/&+=#@%*'

const escapeForClass = (chars: string): string => chars.replace(/[\\\]^-]/g, '\\$&')
const NOT_SCORED = {
  upper: /[^A-Z0-9]/g,
  mixed: /[^A-Za-z0-9]/g,
  upperPunctuation: new RegExp(`[^A-Z0-9${escapeForClass(SCORED_PUNCTUATION)}]`, 'g'),
  mixedPunctuation: new RegExp(`[^A-Za-z0-9${escapeForClass(SCORED_PUNCTUATION)}]`, 'g'),
}

const scoredText = (text: string, comparison: TextComparison): string => {
  const cased = comparison.caseSensitive ? text : text.toUpperCase()
  const notScored = comparison.caseSensitive
    ? comparison.punctuation
      ? NOT_SCORED.mixedPunctuation
      : NOT_SCORED.mixed
    : comparison.punctuation
      ? NOT_SCORED.upperPunctuation
      : NOT_SCORED.upper
  return cased.replace(notScored, (c) => (/\s/.test(c) ? ' ' : ''))
}

/** The characters a comparison scores, spaces and everything unscored removed (by default: upper-cased letters and digits). */
export const comparableCharacters = (text: string, comparison: TextComparison = {}): string =>
  scoredText(text, comparison).replace(/ /g, '')

/** The words of a text as a comparison scores them (by default upper-cased, punctuation removed). */
export const comparableWords = (text: string, comparison: TextComparison = {}): string[] =>
  text
    .split(/\s+/)
    .map((w) => scoredText(w, comparison))
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
 * @param comparison case and punctuation (by default neither is scored)
 */
export function compareTexts(read: string, truth: string, comparison: TextComparison = {}): AccuracyCounts {
  const trueChars = comparableCharacters(truth, comparison)
  const characterErrors = Math.min(editDistance(comparableCharacters(read, comparison), trueChars), trueChars.length)
  const available = new Map<string, number>()
  for (const w of comparableWords(read, comparison)) available.set(w, (available.get(w) ?? 0) + 1)
  let wordsFound = 0
  const trueWords = comparableWords(truth, comparison)
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
