import { bestLexiconMatch, type CharOptions, type Lexicon } from './lexicon.js'

/** Letter ↔ digit pairs that handwriting and the classifier confuse. */
const DIGIT_TO_LETTER: Readonly<Record<string, string>> = { 0: 'O', 1: 'I', 5: 'S', 2: 'Z', 8: 'B', 6: 'G' }
const LETTER_TO_DIGIT: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(DIGIT_TO_LETTER).map(([d, l]) => [l, d]))

const isDigit = (c: string): boolean => c >= '0' && c <= '9'
const isLetter = (c: string): boolean => c >= 'A' && c <= 'Z'

/** One character of a word as the classifier read it: candidates, most probable first. */
export interface CharCandidates {
  /** The classifier's readings, most probable first; empty for a period. */
  readonly candidates: CharOptions
  /** Set for marks that are not classified (a period). */
  readonly fixed?: string
}

/** Options of {@link readWord}. */
export interface ContextOptions {
  /** Swap look-alike letters and digits by the word around them. */
  readonly swapLookalikes: boolean
  /** How far down a character's candidates a swap may reach. */
  readonly swapTopK: number
  /** Correct words to the lexicon (when given). */
  readonly lexicon?: Lexicon
  /** Words shorter than this are never corrected to the lexicon. */
  readonly lexiconMinLength: number
  /**
   * Prior odds of a dictionary word over a non-word. A correction is made when the dictionary
   * word's probability from the pixels, times these odds, beats the current reading's.
   */
  readonly lexiconPriorOdds: number
}

/** What {@link readWord} chose for each character, and why. */
export interface WordReading {
  readonly chars: string[]
  readonly corrected: 'none' | 'lookalike' | 'lexicon'
}

/**
 * Reads a word in context: the classifier's top choice per character, then (1) look-alike
 * swaps — in a word of letters 0→O, 1→I, 5→S, 2→Z, 8→B, 6→G when that letter is among the
 * character's top candidates, and the reverse in a number — and (2) a lexicon correction when a
 * dictionary word can be spelled from the candidates and is far more probable than the reading.
 *
 * @param word the characters of one word, left to right
 * @param start the reading to start from (by default each character's top candidate)
 * @returns the chosen characters
 */
export function readWord(word: readonly CharCandidates[], options: ContextOptions, start?: readonly string[]): WordReading {
  const chars = start ? [...start] : word.map((c) => c.fixed ?? c.candidates[0]?.text ?? '')
  let corrected: WordReading['corrected'] = 'none'
  const classified = word.map((c, i) => ({ c, i })).filter(({ c }) => c.fixed === undefined)
  if (options.swapLookalikes && classified.length > 1) {
    const kind = wordKind(classified.map(({ i }) => chars[i]))
    const swaps = kind === 'letters' ? DIGIT_TO_LETTER : kind === 'number' ? LETTER_TO_DIGIT : undefined
    if (swaps) {
      for (const { c, i } of classified) {
        const wanted = swaps[chars[i]]
        if (wanted !== undefined && c.candidates.slice(0, options.swapTopK).some((o) => o.text === wanted)) {
          chars[i] = wanted
          corrected = 'lookalike'
        }
      }
    }
  }
  const lexicon = options.lexicon
  const letters = classified.map(({ i }) => chars[i])
  if (lexicon && letters.length >= options.lexiconMinLength && letters.every(isLetter) && !lexicon.has(letters.join(''))) {
    const positions = classified.map(({ c }) => c.candidates)
    const match = bestLexiconMatch(positions, lexicon)
    const current = positions.reduce((sum, p, k) => sum + Math.log(p.find((o) => o.text === letters[k])?.confidence ?? 1e-12), 0)
    if (match && match.logProbability + Math.log(options.lexiconPriorOdds) > current) {
      classified.forEach(({ i }, k) => {
        chars[i] = match.word[k]
      })
      corrected = 'lexicon'
    }
  }
  return { chars, corrected }
}

/**
 * Whether a word's characters are mostly letters or mostly digits. Unambiguous characters
 * decide; when all are look-alikes, the plain majority does; a tie is mixed.
 */
export function wordKind(chars: readonly string[]): 'letters' | 'number' | 'mixed' {
  const count = (list: readonly string[]): number => list.filter(isLetter).length - list.filter(isDigit).length
  const unambiguous = chars.filter((c) => DIGIT_TO_LETTER[c] === undefined && LETTER_TO_DIGIT[c] === undefined)
  const balance = unambiguous.length > 0 ? count(unambiguous) : count(chars)
  return balance > 0 ? 'letters' : balance < 0 ? 'number' : 'mixed'
}
