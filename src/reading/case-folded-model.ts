import type { CharLanguageModel } from './search.js'

/**
 * A character language model over capitals, digits and spaces made to read any classifier's
 * labels: a letter is read in capitals (so "o" and "O" weigh alike, and case is left to the
 * pixels and the line, see `letter-case.ts`), and a mark the model does not hold (punctuation) is
 * passed over at a fixed cost, the state carrying across it. States are strings that name what
 * they predict (`language-model.ts`), so they are their own keys: the search merges hypotheses
 * that reach a node in the same state.
 *
 * @param alphabet the characters the model holds
 * @param markLogProb log-probability charged for a character outside the alphabet
 */
export function caseFolded(model: CharLanguageModel<string>, alphabet: string, markLogProb: number): CharLanguageModel<string> {
  return {
    initialState: () => model.initialState(),
    advance: (state, char) => {
      const upper = char.toUpperCase()
      return upper.length === 1 && alphabet.includes(upper) ? model.advance(state, upper) : { state, logProb: markLogProb }
    },
    endLogProb: (state) => model.endLogProb(state),
    key: (state) => (model.key ? model.key(state) : state),
  }
}
