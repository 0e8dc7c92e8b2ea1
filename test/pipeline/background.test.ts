import t from 'tap'
import { estimateBackground, flattenBackground } from '../../src/pipeline/background.js'
import { PIPELINE_CONFIG } from '../../src/pipeline/config.js'
import { binarize, otsuThreshold } from '../../src/pipeline/threshold.js'
import { grayFrom } from '../helpers/images.js'

const OPTIONS = { cellSize: 8, closingRadius: 2, minPaperBrightness: PIPELINE_CONFIG.background.minPaperBrightness }
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
