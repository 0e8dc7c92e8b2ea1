import type { CharLanguageModel } from './search.js'
import { markLogProbability } from './mark-frequency.js'

/** How a state remembers that a mark other than {@link IN_WORD_MARKS} just followed a letter or digit. */
const AFTER_MARK_IN_WORD = '\u0001'
/** Marks that stand inside words ("don't", "e-mail"): no extra cost between letters. */
export const IN_WORD_MARKS = "'-"

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
  /** Charged on top when a mark other than an apostrophe or hyphen stands between two letters or digits. */
  readonly markInWordLogProb: number
}

const isLetterOrDigit = (char: string): boolean => /^[\p{L}\p{N}]$/u.test(char)

/**
 * A character language model over capitals, digits and spaces made to read any classifier's
 * labels: a letter is read in capitals (so "o" and "O" weigh alike, and case is left to the
 * pixels and the line, see `letter-case.ts`), and a mark the model does not hold (punctuation) is
 * passed over at the cost of its frequency in English text, the state carrying across it. Passed over for free, a mark inside a
 * word would let the model skip a letter it finds unlikely ("A%WAYS" for "AIWAYS"): a mark between
 * two letters or digits costs more, unless it is one that stands inside words. States are strings
 * that name what they predict (`language-model.ts`), so they are their own keys: the search merges
 * hypotheses that reach a node in the same state.
 *
 * @param alphabet the characters the model holds
 */
export function caseFolded(model: CharLanguageModel<string>, alphabet: string, costs: MarkCosts): CharLanguageModel<string> {
  const markCost = (mark: string): number =>
    (costs.markCostFromFrequency > 0 ? markLogProbability(mark, costs.charactersPerWord) : undefined) ?? costs.markLogProb
  const inner = (state: string): string => (state.startsWith(AFTER_MARK_IN_WORD) ? state.slice(1) : state)
  return {
    initialState: () => model.initialState(),
    advance: (state, char) => {
      const context = inner(state)
      const upper = char.toUpperCase()
      if (upper.length === 1 && alphabet.includes(upper)) {
        const next = model.advance(context, upper)
        const inWord = state !== context && isLetterOrDigit(upper)
        return inWord ? { state: next.state, logProb: next.logProb + costs.markInWordLogProb } : next
      }
      const afterLetter = isLetterOrDigit(context.slice(-1)) && !IN_WORD_MARKS.includes(char)
      return { state: afterLetter ? AFTER_MARK_IN_WORD + context : context, logProb: markCost(char) }
    },
    endLogProb: (state) => model.endLogProb(inner(state)),
    key: (state) => (model.key ? (state === inner(state) ? model.key(state) : AFTER_MARK_IN_WORD + model.key(inner(state))) : state),
  }
}
