import t from 'tap'
import { clampBitsToOne, estimateBackground, flattenBackground, steppedCells } from '../../src/pipeline/background.js'
import { PIPELINE_CONFIG } from '../../src/pipeline/config.js'
import { binarize, otsuThreshold } from '../../src/pipeline/threshold.js'
import { grayFrom, seededRandom } from '../helpers/images.js'

const OPTIONS = { ...PIPELINE_CONFIG.background, cellSize: 8 }
/** A page 200 × 120 whose light falls from 0.95 on the left to 0.45 on the right, with a 3 px stroke every 20 px. */
const isStroke = (x: number, y: number): boolean => x % 20 < 3 && y > 30 && y < 90
const gradientPage = grayFrom(200, 120, (x, y) => {
  const paper = 0.95 - 0.5 * (x / 199)
  return isStroke(x, y) ? paper * 0.3 : paper
})

t.test('flattening makes uneven paper white and keeps the ink dark', async (t) => {
  const flat = flattenBackground(gradientPage, OPTIONS)
  let worstPaper = 1,
    worstInk = 0
  for (let y = 0; y < 120; y++)
    for (let x = 0; x < 200; x++) {
      const v = flat.data[y * 200 + x]
      if (isStroke(x, y)) worstInk = Math.max(worstInk, v)
      else if (y < 25 || y > 95) worstPaper = Math.min(worstPaper, v)
    }
  t.ok(worstPaper > 0.9, `paper at least ${worstPaper.toFixed(3)}`)
  t.ok(worstInk < 0.45, `ink at most ${worstInk.toFixed(3)}`)
  // A global threshold on the raw image fails on this page; on the flattened one it finds exactly the strokes.
  const ink = binarize(flat, otsuThreshold(flat))
  let wrong = 0
  for (let y = 0; y < 120; y++) for (let x = 0; x < 200; x++) if ((ink.data[y * 200 + x] === 1) !== isStroke(x, y)) wrong++
  t.equal(wrong, 0)
})

t.test('a hard shadow edge stays an edge in the estimate, not a band of ink', async (t) => {
  const shadowed = grayFrom(160, 80, (x) => (x < 80 ? 0.9 : 0.45))
  const flat = flattenBackground(shadowed, OPTIONS)
  const ink = binarize(flat, 0.6)
  t.equal(
    ink.data.reduce((s, v) => s + v, 0),
    0,
    'no pixel of the shadow turns to ink',
  )
})

t.test('the estimate is on the cell grid', async (t) => {
  const estimate = estimateBackground(
    grayFrom(20, 9, () => 0.8),
    OPTIONS,
  )
  t.equal(estimate.width, 3)
  t.equal(estimate.height, 2)
  for (const v of estimate.data) t.ok(Math.abs(v - 0.8) < 1e-6)
})

/**
 * A page 200 × 120 with a hard cast shadow (×0.55) over its right part whose edge runs at a slant
 * between cells, and two letters: an H on the lit paper just left of the edge and an L in the shadow
 * just right of it, 2 px strokes.
 */
const shadowEdge = (y: number): number => 97 + 0.15 * y
const isLetter = (x: number, y: number): boolean => {
  if (y < 40 || y >= 60) return false
  const h = x >= 70 && x < 86 && (x < 72 || x >= 84 || (y >= 49 && y < 51))
  const l = x >= 112 && x < 124 && (x < 114 || y >= 58)
  return h || l
}
const random = seededRandom(7)
const shadowPage = grayFrom(200, 120, (x, y) => {
  const light = x + 0.5 < shadowEdge(y) ? 0.9 : 0.9 * 0.55
  return light * (isLetter(x, y) ? 0.25 : 1) + 0.01 * (random() - 0.5)
})

t.test('a hard shadow edge between cells is not ink; letters on both sides of it are', async (t) => {
  // Otsu's threshold on photographed pages, whose ink is fainter and blurred, falls at 0.75–0.95.
  const threshold = 0.85
  const flat = flattenBackground(shadowPage, OPTIONS)
  const ink = binarize(flat, threshold)
  let falseInk = 0,
    lostInk = 0
  for (let y = 0; y < 120; y++)
    for (let x = 0; x < 200; x++) {
      const inked = ink.data[y * 200 + x] === 1
      if (inked && !isLetter(x, y)) falseInk++
      if (!inked && isLetter(x, y)) lostInk++
    }
  t.equal(falseInk, 0, 'no paper along the edge turns to ink')
  t.equal(lostInk, 0, 'every pixel of both letters stays ink')
  // Without the refinement near steps, the dark side of the edge turns to a band of ink.
  const coarse = flattenBackground(shadowPage, { ...OPTIONS, stepContrast: Infinity })
  const coarseInk = binarize(coarse, threshold)
  let band = 0
  for (let y = 0; y < 120; y++) for (let x = 0; x < 200; x++) if (coarseInk.data[y * 200 + x] === 1 && !isLetter(x, y)) band++
  t.ok(band > 100, `the coarse estimate alone leaves ${band} pixels of band`)
})

t.test('a big bold letter is not taken for a step: its strokes, thicker than the refining closing, stay ink', async (t) => {
  const isBold = (x: number, y: number): boolean => x >= 60 && x < 140 && y >= 20 && y < 100 && (x < 84 || y < 44)
  const page = grayFrom(200, 120, (x, y) => (isBold(x, y) ? 0.15 : 0.9))
  const flat = flattenBackground(page, OPTIONS)
  let lost = 0
  for (let y = 0; y < 120; y++) for (let x = 0; x < 200; x++) if (isBold(x, y) && flat.data[y * 200 + x] > 0.5) lost++
  t.equal(lost, 0)
  const background = estimateBackground(page, OPTIONS)
  t.notOk(steppedCells(background, OPTIONS.stepContrast, OPTIONS.stepMinCells).includes(1), 'no cell is near a step')
})

t.test('clampBitsToOne is Math.min(v, 1) on non-negative floats, rounded to float either way', async (t) => {
  const values = [0, 1e-45, 1e-30, 0.25, 0.9999999, 1, 1.0000001, 1 + 2 ** -23, 1.5, 2, 3e38, Infinity]
  const random = seededRandom(3)
  for (let i = 0; i < 200; i++) values.push(0.9 + 0.2 * random())
  const floats = Float32Array.from(values)
  clampBitsToOne(new Int32Array(floats.buffer), 0, floats.length)
  t.same(
    [...floats],
    values.map((v) => Math.fround(Math.min(v, 1))),
  )
})
