/**
 * Context per character: the readings of a line's characters chosen together under a character
 * language model, so that a look-alike (O/0, I/1, S/5, Z/2 …) is settled by its neighbours and
 * not by an all-or-nothing vote over its word. The segmentation and the word breaks are given;
 * only which of each character's few top readings is read changes.
 *
 * A path's score is the sum over the line's characters of log P_classifier(reading | crop) +
 * λ · log P_LM(reading | the characters before it), with a space read at every word break and the
 * line's end scored too. A fixed character (a period found by its shape) is read as itself and does
 * not advance the language model. The search is a beam over the characters; hypotheses with the
 * same language-model state are merged (the better kept), which is exact as long as the beam
 * holds every distinct state.
 */

import type { CharLanguageModel, Reading } from './search.js'

/** One character to read: its readings considered (best first), or a fixed text. */
export type DecodeSlot = { readonly readings: readonly Reading[] } | { readonly fixed: string }

/** Settings of {@link decodeLine}. */
export interface DecodeOptions<State> {
  readonly languageModel: CharLanguageModel<State>
  /** Weight λ of the language model's log-probabilities. */
  readonly lmWeight: number
  /** Hypotheses kept after each character. */
  readonly beamWidth: number
}

interface Hypothesis<State> {
  readonly score: number
  readonly state: State
  readonly text: string
  readonly previous: Hypothesis<State> | undefined
}

/**
 * Chooses the readings of one line's characters under the language model.
 *
 * @param words the line's words left to right, each a list of its characters' slots; a slot with
 *   readings must have at least one
 * @returns per word, per character, the reading chosen (a fixed slot's text as given)
 */
export function decodeLine<State>(words: readonly (readonly DecodeSlot[])[], options: DecodeOptions<State>): string[][] {
  const { languageModel: lm, lmWeight: lambda } = options
  const keyOf = (state: State): string => (lm.key ? lm.key(state) : String(state))
  let beam: Array<Hypothesis<State>> = [{ score: 0, state: lm.initialState(), text: '', previous: undefined }]
  words.forEach((word, w) => {
    word.forEach((slot, i) => {
      const next = new Map<string, Hypothesis<State>>()
      const offer = (h: Hypothesis<State>): void => {
        const key = keyOf(h.state)
        const held = next.get(key)
        if (held === undefined || held.score < h.score) next.set(key, h)
      }
      for (const h of beam) {
        if ('fixed' in slot) {
          // A distinct key per hypothesis: a fixed character changes no state, so nothing merges that did not before.
          next.set(`${next.size}`, { score: h.score, state: h.state, text: slot.fixed, previous: h })
          continue
        }
        let score = h.score,
          state = h.state
        if (w > 0 && i === 0) {
          const space = lm.advance(state, ' ')
          score += lambda * space.logProb
          state = space.state
        }
        for (const r of slot.readings) {
          const a = lm.advance(state, r.text)
          offer({ score: score + r.logProb + lambda * a.logProb, state: a.state, text: r.text, previous: h })
        }
      }
      beam = [...next.values()].sort((a, b) => b.score - a.score).slice(0, options.beamWidth)
    })
  })
  let best = beam[0]
  let bestScore = -Infinity
  for (const h of beam) {
    const score = h.score + lambda * lm.endLogProb(h.state)
    if (score > bestScore) {
      bestScore = score
      best = h
    }
  }
  const texts: string[] = []
  for (let h: Hypothesis<State> | undefined = best; h?.previous !== undefined; h = h.previous) texts.push(h.text)
  texts.reverse()
  let at = 0
  return words.map((word) => word.map(() => texts[at++]))
}
