import t from 'tap'
import { topK } from '../../src/classifier/scores.js'
import { maxMarkHeight, SMALL_MARKS, TWO_STROKE_MARKS, withoutTallMarks } from '../../src/reading/mark-size.js'

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

t.test('each small mark has its own height: a blob half a letter high is no period, but may be an apostrophe', async (t) => {
  const limits = { maxSmallMarkHeight: 0.8, maxDotHeight: 0.45, maxQuoteHeight: 0.6 }
  t.equal(maxMarkHeight('.', limits), 0.45)
  t.equal(maxMarkHeight('-', limits), 0.45)
  t.equal(maxMarkHeight("'", limits), 0.6)
  t.equal(maxMarkHeight(',', limits), 0.8)
  t.equal(maxMarkHeight('.', 0.8), 0.8, 'one number: the same limit for every mark')
  // A small thick "o" (0.55 line letter heights) read as a period first, then an apostrophe and an "l".
  const blob = classificationOf([0.05, 0.05, 0.25, 0.15, 0, 0.5, 0])
  const read = withoutTallMarks(blob, LABELS, 0.55, limits, 3)
  t.equal(read.probabilities[5], 0, 'not a period')
  t.ok(read.probabilities[3] > 0, 'an apostrophe may be this tall')
  t.same(
    read.top.slice(0, 2).map((r) => r.label),
    ['l', "'"],
  )
  // A period-sized dot keeps its reading.
  t.equal(withoutTallMarks(blob, LABELS, 0.3, limits, 3), blob)
})

t.test('a tall crop shaped like a double quote is two strokes: the others keep their own probabilities', async (t) => {
  t.equal(TWO_STROKE_MARKS, '"')
  const labels = ['l', 'I', 'u', '"', "'"]
  const values = [0.1, 0.05, 0.05, 0.6, 0.2]
  const probabilities = Float32Array.from(values)
  const twoStrokes = { probabilities, top: topK(probabilities, labels, 3) }
  const read = withoutTallMarks(twoStrokes, labels, 1.2, 0.8, 3)
  t.equal(read.probabilities[3], 0, 'not a quote')
  t.equal(read.probabilities[4], 0, 'not an apostrophe')
  // Only the apostrophe's share is handed on: "l" is 0.1 / 0.8, not 0.1 / 0.2.
  t.ok(Math.abs(read.probabilities[0] - 0.1 / 0.8) < 1e-6, 'the quote’s share is not handed on')
  t.ok(read.probabilities.reduce((s, p) => s + p, 0) < 1, 'less than certain of any one character')
  t.same(
    read.top.map((r) => r.label),
    ['l', 'I', 'u'],
  )
})
