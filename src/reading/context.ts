import { bestLexiconMatch, type CharOptions, type Lexicon } from './lexicon.js'

/** Letter ↔ digit pairs that handwriting and the classifier confuse. */
const DIGIT_TO_LETTER: Readonly<Record<string, string>> = { 0: 'O', 1: 'I', 5: 'S', 2: 'Z', 8: 'B', 6: 'G' }
const LETTER_TO_DIGIT: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(DIGIT_TO_LETTER).map(([d, l]) => [l, d]))

const isDigit = (c: string): boolean => c >= '0' && c <= '9'
const isLetter = (c: string): boolean => c >= 'A' && c <= 'Z'
const isAnyCaseLetter = (c: string): boolean => c.length === 1 && isLetter(c.toUpperCase())

/**
 * A character's candidates with the two cases of each letter taken together (as capitals, their
 * probabilities summed), most probable first; other readings as they are.
 */
export function foldCase(candidates: CharOptions): CharOptions {
  const folded = new Map<string, number>()
  for (const o of candidates) {
    const text = isAnyCaseLetter(o.text) ? o.text.toUpperCase() : o.text
    folded.set(text, (folded.get(text) ?? 0) + o.confidence)
  }
  return [...folded].map(([text, confidence]) => ({ text, confidence })).sort((a, b) => b.confidence - a.confidence)
}

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
 * dictionary word can be spelled from the candidates and is far more probable than the reading:
 * the product over the changed letters of P(new letter) / P(letter read), each letter's two cases
 * taken together, times `lexiconPriorOdds` must exceed 1. A letter the classifier holds far above
 * every letter that would make a word is kept; a doubtful one in a near-word is corrected. Words of
 * small letters are corrected as capitals are (the lexicon and the language model are blind to case).
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
  const spelled = letters.join('').toUpperCase()
  if (lexicon && letters.length >= options.lexiconMinLength && letters.every(isAnyCaseLetter) && !lexicon.has(spelled)) {
    // The lexicon spells letters, not cases: a letter's evidence is what the classifier gives both its cases.
    const positions = classified.map(({ c }) => foldCase(c.candidates))
    const match = bestLexiconMatch(positions, lexicon)
    const current = positions.reduce((sum, p, k) => sum + Math.log(p.find((o) => o.text === spelled[k])?.confidence ?? 1e-12), 0)
    if (match && match.logProbability + Math.log(options.lexiconPriorOdds) > current) {
      classified.forEach(({ i }, k) => {
        // A letter put in takes the case of the one it replaces; the line decides case afterwards.
        if (match.word[k] !== spelled[k]) chars[i] = letters[k] === spelled[k] ? match.word[k] : match.word[k].toLowerCase()
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
