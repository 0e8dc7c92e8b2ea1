import type { CharLanguageModel } from '../../src/reading/search.js'

/**
 * A tiny character model for tests: letters follow letters and digits follow digits (probability
 * 0.5), a switch between them is rare (0.02), a line or word start and a space are 0.3.
 */
export const kindBigram: CharLanguageModel<string> = {
  initialState: () => '',
  advance: (state, char) => {
    const digit = (c: string): boolean => /[0-9]/.test(c)
    const logProb =
      state === '' || state === ' ' || char === ' ' ? Math.log(0.3) : digit(state) === digit(char) ? Math.log(0.5) : Math.log(0.02)
    return { state: char, logProb }
  },
  endLogProb: () => 0,
  key: (state) => state,
}
