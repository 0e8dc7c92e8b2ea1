import t from 'tap'
import { topK } from '../../src/classifier/scores.js'
import { SMALL_MARKS, withoutTallMarks } from '../../src/reading/mark-size.js'

const LABELS = ['1', 'I', 'l', "'", ',', '.', '!']
const classificationOf = (values: number[]) => {
  const probabilities = Float32Array.from(values)
  return { probabilities, top: topK(probabilities, LABELS, 3) }
}
// A bare stroke: the crop says apostrophe first, then I, l and 1.
const STROKE = classificationOf([0.1, 0.2, 0.1, 0.5, 0.05, 0.0, 0.05])

t.test('a stroke as tall as the letters is not an apostrophe: the marks go, the rest keep their order', async (t) => {
  const read = withoutTallMarks(STROKE, LABELS, 1.0, 0.8, 3)
  t.same(
    read.top.map((r) => r.label),
    ['I', '1', 'l'],
  )
  t.equal(read.probabilities[3], 0)
  t.equal(read.probabilities[4], 0)
  t.ok(Math.abs(read.probabilities.reduce((s, p) => s + p, 0) - 1) < 1e-6, 'still sums to 1')
  t.ok(Math.abs(read.probabilities[1] - 0.2 / 0.45) < 1e-6, 'renormalised')
  t.ok(read.probabilities[6] > 0, 'an exclamation mark is tall: it stays')
})

t.test('a stroke half a letter high may be an apostrophe: the classification is the classifier’s', async (t) => {
  t.equal(withoutTallMarks(STROKE, LABELS, 0.5, 0.8, 3), STROKE)
})

t.test('a classifier without marks, and a candidate read as nothing but marks, keep their readings', async (t) => {
  const capitals = { probabilities: Float32Array.from([0.7, 0.3]), top: topK(Float32Array.from([0.7, 0.3]), ['1', 'I'], 2) }
  t.equal(withoutTallMarks(capitals, ['1', 'I'], 1.2, 0.8, 2), capitals)
  const onlyMarks = classificationOf([0, 0, 0, 0.6, 0.4, 0, 0])
  t.equal(withoutTallMarks(onlyMarks, LABELS, 1.2, 0.8, 3), onlyMarks)
})

t.test('the small marks are the ones a line holds below its letters’ height', async (t) => {
  t.same([...SMALL_MARKS].sort(), ['"', "'", ',', '-', '.'].sort())
})
