import t from 'tap'
import { decodeLine, type DecodeSlot } from '../../src/reading/line-decoder.js'
import { kindBigram } from '../helpers/language-models.js'

const slot = (readings: Record<string, number>): DecodeSlot => ({
  readings: Object.entries(readings).map(([text, p]) => ({ text, logProb: Math.log(p) })),
})
const OPTIONS = { languageModel: kindBigram, lmWeight: 1, beamWidth: 8 }

t.test("a look-alike is read by its neighbours' kind, each word on its own", async (t) => {
  // "NY 10025" with the classifier holding the first 0 as O and the S-like 5 as S.
  const words = [
    [slot({ N: 0.9 }), slot({ Y: 0.9 })],
    [slot({ '1': 0.6, I: 0.4 }), slot({ O: 0.55, '0': 0.45 }), slot({ '0': 0.8, O: 0.2 }), slot({ '2': 0.9 }), slot({ S: 0.5, '5': 0.45 })],
  ]
  t.same(decodeLine(words, OPTIONS), [
    ['N', 'Y'],
    ['1', '0', '0', '2', '5'],
  ])
  t.same(
    decodeLine(words, { ...OPTIONS, lmWeight: 0 }),
    [
      ['N', 'Y'],
      ['1', 'O', '0', '2', 'S'],
    ],
    'λ = 0: the classifier alone',
  )
})

t.test('a fixed character (a period) is read as itself and does not break the context', async (t) => {
  const words = [[slot({ A: 0.9 }), slot({ '8': 0.55, B: 0.45 }), { fixed: '.' }, slot({ C: 0.9 })]]
  t.same(decodeLine(words, OPTIONS), [['A', 'B', '.', 'C']])
})

t.test('an empty line decodes to nothing', async (t) => {
  t.same(decodeLine([], OPTIONS), [])
})
