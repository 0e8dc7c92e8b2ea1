import t from 'tap'
import { binarize, otsuThreshold } from '../../src/pipeline/threshold.js'
import { grayFrom } from '../helpers/images.js'

t.test('Otsu splits a bimodal image between its modes', async (t) => {
  // 10 % ink at 0.2, paper at 0.9, like a page of handwriting.
  const image = grayFrom(100, 10, (x) => (x < 10 ? 0.2 : 0.9))
  const threshold = otsuThreshold(image)
  t.ok(threshold > 0.2 && threshold <= 0.9, `threshold ${threshold}`)
  const ink = binarize(image, threshold)
  t.equal(
    ink.data.reduce((s, v) => s + v, 0),
    100,
  )
  t.equal(ink.data[0], 1)
  t.equal(ink.data[50], 0)
})

t.test('Otsu matches scikit-image on a known histogram', async (t) => {
  // Three levels: skimage.filters.threshold_otsu(np.array([0.1]*30 + [0.5]*30 + [0.9]*40)) ≈ 0.5 bin edge.
  const values = [...Array(30).fill(0.1), ...Array(30).fill(0.5), ...Array(40).fill(0.9)]
  const image = grayFrom(values.length, 1, (x) => values[x])
  const threshold = otsuThreshold(image)
  // The split puts 0.1 below and 0.9 above; 0.5 joins the dark class (between-class variance is larger).
  const ink = binarize(image, threshold)
  t.equal(
    ink.data.reduce((s, v) => s + v, 0),
    60,
  )
})

t.test('a blank page gives no ink at its own threshold', async (t) => {
  const image = grayFrom(20, 20, () => 1)
  t.equal(
    binarize(image, otsuThreshold(image)).data.reduce((s, v) => s + v, 0),
    0,
  )
})
