import t from 'tap'
import { binarize, otsuThreshold } from '../../src/pipeline/threshold.js'
import { grayFrom, seededRandom } from '../helpers/images.js'

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

/** Otsu's threshold counted into one histogram, as it was first written (the reference). */
function referenceOtsu(data: Float32Array): number {
  const bins = 256,
    scale = bins - 1e-3
  const histogram = new Uint32Array(bins)
  for (const v of data) histogram[(v * scale) | 0]++
  let sumAll = 0
  for (let b = 0; b < bins; b++) sumAll += b * histogram[b]
  let weightBelow = 0,
    sumBelow = 0,
    bestVariance = -1,
    bestBin = 0
  for (let b = 0; b < bins; b++) {
    weightBelow += histogram[b]
    if (weightBelow === 0) continue
    const weightAbove = data.length - weightBelow
    if (weightAbove === 0) break
    sumBelow += b * histogram[b]
    const variance = weightBelow * weightAbove * (sumBelow / weightBelow - (sumAll - sumBelow) / weightAbove) ** 2
    if (variance > bestVariance) {
      bestVariance = variance
      bestBin = b
    }
  }
  return (bestBin + 1) / scale
}

t.test('the threshold is the one-histogram reference on images of every length', async (t) => {
  const random = seededRandom(11)
  for (let length = 1; length <= 41; length++) {
    const data = Float32Array.from({ length }, () => (random() < 0.6 ? 1 : random()))
    t.equal(otsuThreshold({ width: length, height: 1, data }), referenceOtsu(data), `${length} pixels`)
  }
})
