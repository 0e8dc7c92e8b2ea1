import t from 'tap'
import { PIPELINE_CONFIG } from '../../src/pipeline/config.js'
import { smallWritingPixels } from '../../src/pipeline/writing-size.js'

const OPTIONS = { minLetterPixels: 30, targetLetterPixels: 40, maxWorkingPixels: 4_800_000, maxUpscale: 2 }

t.test('writing of ordinary size, or none, is read once', async (t) => {
  t.equal(smallWritingPixels(30, 1, 1_200_000, OPTIONS), undefined)
  t.equal(smallWritingPixels(55, 0.3, 12_000_000, OPTIONS), undefined)
  t.equal(smallWritingPixels(0, 1, 1_200_000, OPTIONS), undefined, 'no letters measured')
})

t.test('small writing is read again so that its letters are the target height', async (t) => {
  // A 1.2 MP upload read at its own size, letters 20 px tall: twice the size per side, four times the pixels.
  t.equal(smallWritingPixels(20, 1, 1_200_000, OPTIONS), 4_800_000)
  // A 12 MP photo read at 0.3, letters 25 px: 1.6 times per side.
  const pixels = smallWritingPixels(25, 0.3, 12_000_000, OPTIONS)!
  t.ok(Math.abs(Math.sqrt(pixels / 12_000_000) - 0.48) < 1e-3)
})

t.test('the larger size is bounded by the pixel budget and by the upscale limit', async (t) => {
  // Letters 10 px tall would want 4 times per side: the budget allows 2 (4.8 MP over 1.2 MP).
  t.equal(smallWritingPixels(10, 1, 1_200_000, OPTIONS), 4_800_000)
  // A small upload already enlarged twice cannot grow further: read once.
  t.equal(smallWritingPixels(15, 2, 300_000, OPTIONS), undefined)
  // A 12 MP photo of tiny writing stays within the budget.
  t.ok(smallWritingPixels(8, 0.32, 12_000_000, OPTIONS)! <= 4_800_000)
  // Less than a tenth larger is not worth a second reading.
  t.equal(smallWritingPixels(29, 1, 1_200_000, { ...OPTIONS, targetLetterPixels: 31 }), undefined)
})

t.test('the shipped configuration holds the settings', async (t) => {
  const { minLetterPixels, targetLetterPixels, maxWorkingPixels, workingPixels } = PIPELINE_CONFIG.decode
  t.ok(targetLetterPixels > minLetterPixels && maxWorkingPixels > workingPixels)
})
