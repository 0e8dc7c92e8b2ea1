import type { CharLanguageModel } from './search.js'
import { markLogProbability } from './mark-frequency.js'

/** How a state remembers that a mark other than {@link IN_WORD_MARKS} just followed a letter or digit. */
const AFTER_MARK_IN_WORD = '\u0001'
/** Marks that stand inside words ("don't", "e-mail"): no extra cost between letters. */
export const IN_WORD_MARKS = "'-"
/**
 * How a state remembers that a mark stands at a word break (after a space or the line start): one
 * character, from {@link BREAK_FLAG} on, plus 1 when the mark opens words ({@link WORD_OPENING_MARKS},
 * {@link IN_WORD_MARKS}) and 2 when it stands alone as a word ({@link STANDALONE_MARKS}).
 */
const BREAK_FLAG = 2
const OPENS_BIT = 1
const STANDS_ALONE_BIT = 2
const breakFlag = (mark: string): string =>
  String.fromCharCode(
    BREAK_FLAG +
      (WORD_OPENING_MARKS.includes(mark) || IN_WORD_MARKS.includes(mark) ? OPENS_BIT : 0) +
      (STANDALONE_MARKS.includes(mark) ? STANDS_ALONE_BIT : 0),
  )
const isFlag = (c: string): boolean => c.charCodeAt(0) >= 1 && c.charCodeAt(0) <= BREAK_FLAG + OPENS_BIT + STANDS_ALONE_BIT
/**
 * Marks written at a word's start, directly before its first letter: "(see", "'tis", "\"so\"", "#tag",
 * "@name", "*note*". Any other mark so placed ("+his", ".this") is glued to a letter on a side where it
 * does not stand in text: the letter after it pays `markInWordLogProb`, as after a mark inside a word.
 * A digit after it pays nothing more: marks do stand before numbers ("+44", "#5", ".5").
 */
export const WORD_OPENING_MARKS = '("\'#@*'
/**
 * Marks written as words of their own, between spaces: "a + b", "x = 5", "Ann & Bob", "Ann @ 5", a dash
 * between clauses, "-", "+" and "*" bullets at a line's start. After one of them the space is no second
 * word break. The other marks stand against a word (". , ; : ! ? ) %" after it, "( \" ' #" before it, "/"
 * between words): alone between spaces they are rare, and the space after them stays charged.
 */
export const STANDALONE_MARKS = '-+*&=@'

/** Costs of {@link caseFolded}: the configuration's `context` section. */
export interface MarkCosts {
  /** Log-probability charged for a character outside the alphabet (a mark) whose frequency in text is not known... */
  readonly markLogProb: number
  /**
   * ...and, when 1, for the marks whose frequency is known, the log of that frequency (`mark-frequency.ts`);
   * when 0, markLogProb for every mark.
   */
  readonly markCostFromFrequency: number
  /** Characters per running word of English text, its space and punctuation included: turns marks per word into marks per character. */
  readonly charactersPerWord: number
  /**
   * Charged on top when a mark other than an apostrophe or hyphen stands between two letters or digits,
   * and when a mark that does not open words ({@link WORD_OPENING_MARKS}) begins a word before a letter.
   */
  readonly markInWordLogProb: number
}

const isLetterOrDigit = (char: string): boolean => /^[\p{L}\p{N}]$/u.test(char)
const isLetter = (char: string): boolean => /^\p{L}$/u.test(char)

/**
 * A character language model over capitals, digits and spaces made to read any classifier's
 * labels: a letter is read in capitals (so "o" and "O" weigh alike, and case is left to the
 * pixels and the line, see `letter-case.ts`), and a mark the model does not hold (punctuation) is
 * passed over at the cost of its frequency in English text, the state carrying across it.
 *
 * Where the mark stands among letters and word breaks matters, as it does in text:
 * - Passed over for free, a mark inside a word would let the model skip a letter it finds unlikely
 *   ("A%WAYS" for "AIWAYS"): a mark between two letters or digits costs more, unless it is one that
 *   stands inside words.
 * - Likewise a mark that begins a word directly before a letter, unless it opens words
 *   ({@link WORD_OPENING_MARKS}): without the charge the model read "+HIS" as the word "HIS" after a
 *   sign, and a handwritten t with a long bar at a word's start was read "+" ("+hi" for "thi").
 * - A mark that stands alone as a word ({@link STANDALONE_MARKS}: "a + b", a "+" or "-" bullet at the
 *   line's start): the text without the mark has one word break there, read before the mark, so the
 *   space after it is free and changes no state. Charged, it was a double space (or a space at the
 *   line's start, about e^−12), and a "+" bullet was read as a one-letter word "t". Any other mark alone
 *   between spaces keeps that charge: a "?" or "!" as a word of its own is as rare as the double space
 *   says (a list's "2" was read "?").
 *
 * States are strings that name what they predict (`language-model.ts`), so they are their own keys:
 * the search merges hypotheses that reach a node in the same state.
 *
 * @param alphabet the characters the model holds
 */
export function caseFolded(model: CharLanguageModel<string>, alphabet: string, costs: MarkCosts): CharLanguageModel<string> {
  const markCost = (mark: string): number =>
    (costs.markCostFromFrequency > 0 ? markLogProbability(mark, costs.charactersPerWord) : undefined) ?? costs.markLogProb
  const flagOf = (state: string): string => (state.length > 0 && isFlag(state[0]) ? state[0] : '')
  const breakBits = (flag: string): number => (flag === '' || flag === AFTER_MARK_IN_WORD ? -1 : flag.charCodeAt(0) - BREAK_FLAG)
  const inner = (state: string): string => state.slice(flagOf(state).length)
  return {
    initialState: () => model.initialState(),
    advance: (state, char) => {
      const flag = flagOf(state)
      const context = inner(state)
      const upper = char.toUpperCase()
      if (upper.length === 1 && alphabet.includes(upper)) {
        const bits = breakBits(flag)
        if (upper === ' ' && bits >= 0 && (bits & STANDS_ALONE_BIT) !== 0) return { state: context, logProb: 0 }
        const next = model.advance(context, upper)
        const glued = (flag === AFTER_MARK_IN_WORD && isLetterOrDigit(upper)) || (bits >= 0 && (bits & OPENS_BIT) === 0 && isLetter(upper))
        return glued ? { state: next.state, logProb: next.logProb + costs.markInWordLogProb } : next
      }
      const afterLetter = isLetterOrDigit(context.slice(-1)) && !IN_WORD_MARKS.includes(char)
      const atBreak = context === model.initialState() || context.endsWith(' ')
      const nextFlag = afterLetter ? AFTER_MARK_IN_WORD : atBreak ? breakFlag(char) : ''
      return { state: nextFlag + context, logProb: markCost(char) }
    },
    endLogProb: (state) => model.endLogProb(inner(state)),
    key: (state) => (model.key ? flagOf(state) + model.key(inner(state)) : state),
  }
}
