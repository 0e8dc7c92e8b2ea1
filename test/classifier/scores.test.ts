import t from 'tap'
import { softmax, topK } from '../../src/classifier/scores.js'

t.test('softmax is stable for large logits and sums to one', async (t) => {
  const probabilities = softmax([1000, 1001, 999])
  t.ok(probabilities.every((p) => Number.isFinite(p)))
  t.ok(Math.abs(probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-6)
  t.ok(probabilities[1] > probabilities[0] && probabilities[0] > probabilities[2])
  const uniform = softmax([-5e4, -5e4])
  t.same(Array.from(uniform), [0.5, 0.5])
})

t.test('topK ranks by probability and keeps class order on ties', async (t) => {
  const labels = ['A', 'B', 'C', 'D']
  t.same(
    topK([0.1, 0.4, 0.4, 0.1], labels, 3).map((r) => r.label),
    ['B', 'C', 'A'],
  )
  t.same(
    topK([0.2, 0.8], ['X', 'Y'], 5).map((r) => r.index),
    [1, 0],
  )
})

t.test('topK agrees with a full sort, ties in class order, whatever k', async (t) => {
  let seed = 7
  const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647
  for (let trial = 0; trial < 50; trial++) {
    // Few distinct values, so that ties are common.
    const probabilities = Array.from({ length: 1 + (trial % 13) }, () => Math.floor(random() * 5) / 5)
    const labels = probabilities.map((_, i) => `c${i}`)
    const sorted = probabilities.map((_, i) => i).sort((a, b) => probabilities[b] - probabilities[a] || a - b)
    for (const k of [0, 1, 3, 20])
      t.same(
        topK(probabilities, labels, k).map((r) => r.index),
        sorted.slice(0, k),
        `trial ${trial}, k ${k}`,
      )
  }
})
