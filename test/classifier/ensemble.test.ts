import t from 'tap'
import { capitalsReading, combineCaseFolded } from '../../src/classifier/ensemble.js'

const MIXED = ['0', 'O', 'o', 'I', 'l', 'i', ',']
const FOLDED = ['0', 'O', 'I', 'L']

t.test('letters and digits are weighed by both models, shared between cases as the mixed model shares them', async (t) => {
  // The mixed model hesitates between o and O and 0; the capitals model is sure it is the letter O.
  const mixed = Float32Array.from([0.3, 0.2, 0.3, 0.05, 0.05, 0.0, 0.1])
  const folded = Float32Array.from([0.1, 0.9, 0.0, 0.0])
  const p = combineCaseFolded(mixed, folded, MIXED, FOLDED, 0.5)
  const near = (a: number, b: number): boolean => Math.abs(a - b) < 1e-6
  t.ok(
    near(
      p.reduce((s, v) => s + v, 0),
      1,
    ),
    'a distribution',
  )
  // Group O: (0.5 · 0.5 + 0.5 · 0.9 · 0.9) = 0.655, shared 0.2 : 0.3 between O and o.
  t.ok(near(p[1], 0.655 * 0.4) && near(p[2], 0.655 * 0.6), `O ${p[1]}, o ${p[2]}`)
  t.ok(near(p[0], 0.5 * 0.3 + 0.5 * 0.1 * 0.9), `0 ${p[0]}`)
  t.ok(near(p[6], 0.1), 'punctuation is the mixed model’s alone')
  // l has no group of its own in the capitals model: its capital L is one.
  t.ok(near(p[4], 0.5 * 0.05), `l ${p[4]}`)
})

t.test('weight 0 is the mixed model; a group the mixed model gave nothing is shared evenly', async (t) => {
  const mixed = Float32Array.from([0.5, 0.25, 0.25, 0, 0, 0, 0])
  const folded = Float32Array.from([0, 0, 1, 0])
  t.same([...combineCaseFolded(mixed, folded, MIXED, FOLDED, 0)], [...mixed])
  const p = combineCaseFolded(mixed, folded, MIXED, FOLDED, 1)
  t.equal(p[3], 0.5, 'I shares the I group evenly with i')
  t.equal(p[5], 0.5)
})

t.test('read as block capitals: the capitals model for letters and digits, small letters none, marks the mixed model’s', async (t) => {
  const labels = ['0', 'O', 'o', 'I', 'i', "'"]
  const mixed = Float32Array.from([0.1, 0.1, 0.3, 0.1, 0.2, 0.2])
  const folded = Float32Array.from([0.2, 0.7, 0.1])
  const p = capitalsReading(mixed, folded, labels, ['0', 'O', 'I'])
  const expected = [0.2 * 0.8, 0.7 * 0.8, 0, 0.1 * 0.8, 0, 0.2]
  t.ok(
    expected.every((v, i) => Math.abs(p[i] - v) < 1e-6),
    `${[...p].map((v) => v.toFixed(3)).join(' ')}`,
  )
  t.ok(Math.abs(p.reduce((s, v) => s + v, 0) - 1) < 1e-6, 'a distribution')
})
