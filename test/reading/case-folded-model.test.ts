import t from 'tap'
import { caseFolded } from '../../src/reading/case-folded-model.js'
import type { CharLanguageModel } from '../../src/reading/search.js'

const upperOnly: CharLanguageModel<string> = {
  initialState: () => '',
  advance: (state, char) => {
    if (!/^[A-Z0-9 ]$/.test(char)) throw new RangeError(`not in the alphabet: ${char}`)
    return { state: state + char, logProb: char === 'O' ? -1 : -2 }
  },
  endLogProb: () => -0.5,
  key: (state) => state,
}

t.test('letters are read in capitals, marks are passed over at a fixed cost', async (t) => {
  const model = caseFolded(upperOnly, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ', -4)
  t.same(model.advance('', 'o'), { state: 'O', logProb: -1 })
  t.same(model.advance('', 'O'), { state: 'O', logProb: -1 })
  t.same(model.advance('AB', ','), { state: 'AB', logProb: -4 }, 'the state carries over the comma')
  t.same(model.advance('', 'ß'), { state: '', logProb: -4 }, 'a letter whose capital is two letters is a mark to the model')
  t.equal(model.endLogProb('X'), -0.5)
  t.equal(model.key?.('AB'), 'AB')
  t.equal(model.initialState(), '')
})
