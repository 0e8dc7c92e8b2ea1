import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { normalizeGlyph, GLYPH_SIZE } from '../../src/classifier/normalize-glyph.js'
import { MODELS_DIR } from '../../src/classifier/registry.js'
import {
  REJECTOR_CARD,
  REJECTOR_MIXED_CARD,
  loadRejector,
  readRejectorCard,
  rejectorCardsFor,
  sigmoid,
  unlearntLetters,
} from '../../src/classifier/rejector.js'
import { UNLEARNT_LETTERS } from '../../src/reading/lattice-scores.js'
import { FIXTURE_DIR, loadFixtureMasks } from '../helpers/glyph-fixtures.js'

/** fixtures/rejector: generated negatives (training/make_rejector_fixtures.py) made from the hand-drawn fixture strokes. */
const NEGATIVE_DIR = fileURLToPath(new URL('../../fixtures/rejector', import.meta.url))
/**
 * The shipped rejector and the two it was compared with (training/train_rejector.py writes all three),
 * and the one that learnt lower case and marks too (`--classes mixed`, which writes its best only).
 */
const REJECTORS = ['rejector', 'rejector-autoencoder', 'rejector-pca', 'rejector-mixed']
/** Node (onnxruntime) and PyTorch logits on the same inputs agree to this. */
const LOGIT_TOLERANCE = 1e-4
/** Python float64 and TypeScript float64 agree to rounding; the stored references carry 7 decimals. */
const PARITY_TOLERANCE = 1e-6
/**
 * Share of the hand-drawn letters the shipped rejector must accept and of the generated negatives it
 * must reject at its card's threshold; set a little under what the committed model reaches (see its
 * card's `fixtures`), so that a broken model or input path fails while a retrained one passes.
 */
const LETTERS_ACCEPTED_BAR = 0.95
const NEGATIVES_REJECTED_BAR = 0.8

interface ReferenceOutputs {
  model: string
  outputs: { set: 'glyphs' | 'rejector'; file: string; logit: number }[]
}

const pythonNormalised: Record<'glyphs' | 'rejector', Record<string, number[]>> = {
  glyphs: JSON.parse(readFileSync(`${FIXTURE_DIR}/normalized.json`, 'utf8')) as Record<string, number[]>,
  rejector: JSON.parse(readFileSync(`${NEGATIVE_DIR}/normalized.json`, 'utf8')) as Record<string, number[]>,
}

for (const name of REJECTORS) {
  t.test(`${name}: loads from its card and matches PyTorch on every fixture in one batch`, async (t) => {
    const rejector = await loadRejector(join(MODELS_DIR, `${name}.json`), { intraOpNumThreads: 1 })
    t.teardown(() => rejector.close())
    const reference = JSON.parse(readFileSync(`${NEGATIVE_DIR}/${name}.reference.json`, 'utf8')) as ReferenceOutputs
    t.equal(reference.model, name)
    const inputs = reference.outputs.map((o) => Float32Array.from(pythonNormalised[o.set][o.file]))
    const logits = await rejector.logits(inputs)
    t.equal(logits.length, inputs.length, 'one logit per glyph')
    let worst = 0
    logits.forEach((v, i) => {
      worst = Math.max(worst, Math.abs(v - reference.outputs[i].logit))
    })
    t.ok(worst <= LOGIT_TOLERANCE, `largest logit difference to PyTorch: ${worst}`)
    const probabilities = await rejector.characterProbabilities(inputs)
    const worstSigmoid = Math.max(...probabilities.map((p, i) => Math.abs(p - sigmoid(logits[i]))))
    t.ok(worstSigmoid <= 1e-6, `probabilities are the sigmoid of the logits (largest difference ${worstSigmoid})`)
    t.ok(rejector.threshold > 0 && rejector.threshold < 1, `threshold ${rejector.threshold}`)
  })
}

t.test('the TypeScript normaliser matches training/normalize.py on the generated negatives', async (t) => {
  const negatives = await loadFixtureMasks(NEGATIVE_DIR)
  t.ok(negatives.length >= 30, 'negative fixtures are present')
  for (const negative of negatives) {
    const expected = pythonNormalised.rejector[negative.file]
    const actual = normalizeGlyph(negative.mask)
    t.equal(actual.length, GLYPH_SIZE * GLYPH_SIZE)
    let worst = 0
    for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]))
    t.ok(worst <= PARITY_TOLERANCE, `${negative.file}: largest difference ${worst}`)
  }
})

t.test('the shipped rejector accepts hand-drawn letters and rejects generated negatives, normalised in Node', async (t) => {
  const rejector = await loadRejector(undefined, { intraOpNumThreads: 1 })
  t.teardown(() => rejector.close())
  const letters = (await loadFixtureMasks()).filter((f) => f.label !== null)
  const negatives = await loadFixtureMasks(NEGATIVE_DIR)
  const scores = await rejector.characterProbabilities([...letters, ...negatives].map((f) => normalizeGlyph(f.mask)))
  const letterScores = scores.subarray(0, letters.length)
  const negativeScores = scores.subarray(letters.length)
  const accepted = letterScores.filter((p) => p >= rejector.threshold).length / letters.length
  const rejected = negativeScores.filter((p) => p < rejector.threshold).length / negatives.length
  t.ok(accepted >= LETTERS_ACCEPTED_BAR, `letters accepted: ${accepted.toFixed(3)} of ${letters.length} (bar ${LETTERS_ACCEPTED_BAR})`)
  t.ok(rejected >= NEGATIVES_REJECTED_BAR, `negatives rejected: ${rejected.toFixed(3)} (bar ${NEGATIVES_REJECTED_BAR})`)
  const mean = (values: Float32Array): number => values.reduce((a, b) => a + b, 0) / values.length
  const [letterMean, negativeMean] = [mean(letterScores), mean(negativeScores)]
  t.ok(letterMean > negativeMean + 0.3, `mean probability: letters ${letterMean.toFixed(3)}, negatives ${negativeMean.toFixed(3)}`)
})

/** The fixture negatives whose shape is never a mark's (the mixed rejector learnt marks: a speck is a period, a bare line a dash). */
const NON_MARK_KINDS = ['pair', 'triple', 'fragment', 'edge', 'grain']

t.test("the mixed rejector accepts hand-drawn letters and rejects the generated negatives that have no mark's shape", async (t) => {
  const rejector = await loadRejector(REJECTOR_MIXED_CARD, { intraOpNumThreads: 1 })
  t.teardown(() => rejector.close())
  const letters = (await loadFixtureMasks()).filter((f) => f.label !== null)
  const negatives = (await loadFixtureMasks(NEGATIVE_DIR)).filter((f) => NON_MARK_KINDS.includes(f.file.split('-')[0]))
  t.equal(negatives.length, 3 * NON_MARK_KINDS.length)
  const scores = await rejector.characterProbabilities([...letters, ...negatives].map((f) => normalizeGlyph(f.mask)))
  const accepted = scores.subarray(0, letters.length).filter((p) => p >= rejector.threshold).length / letters.length
  const rejected = scores.subarray(letters.length).filter((p) => p < rejector.threshold).length / negatives.length
  t.ok(accepted >= LETTERS_ACCEPTED_BAR, `letters accepted: ${accepted.toFixed(3)} of ${letters.length} (bar ${LETTERS_ACCEPTED_BAR})`)
  t.ok(rejected >= NEGATIVES_REJECTED_BAR, `negatives rejected: ${rejected.toFixed(3)} (bar ${NEGATIVES_REJECTED_BAR})`)
})

t.test('the shipped card is the best method by validation AUC and names its threshold', async (t) => {
  const card = readRejectorCard(REJECTOR_CARD)
  const comparison = card.comparison as { shipped: string; validation: Record<string, { auc: number }> }
  t.equal(comparison.shipped, card.method)
  for (const [method, figures] of Object.entries(comparison.validation)) {
    const shipped = comparison.validation[card.method].auc
    t.ok(figures.auc <= shipped, `${method} validation AUC ${figures.auc} <= shipped ${shipped}`)
  }
  t.ok(Math.abs(sigmoid(card.threshold.logit) - card.threshold.probability) < 1e-9, 'threshold probability is the sigmoid of its logit')
})

t.test('a glyph of the wrong size is refused; an empty batch gives no scores', async (t) => {
  const rejector = await loadRejector(undefined, { intraOpNumThreads: 1 })
  t.teardown(() => rejector.close())
  await t.rejects(rejector.characterProbabilities([new Float32Array(10)]), /takes 784/)
  t.equal((await rejector.characterProbabilities([])).length, 0)
})

t.test('each rejector names what it learnt; a classifier that reads lower case also gets the one that learnt it', async (t) => {
  const capitals = readRejectorCard(REJECTOR_CARD)
  t.same([...unlearntLetters(capitals)].sort(), [...UNLEARNT_LETTERS].sort(), 'the capitals rejector: the letters the search stands in for')
  const mixed = readRejectorCard(REJECTOR_MIXED_CARD)
  t.equal(unlearntLetters(mixed).size, 0, 'the mixed rejector learnt every lower-case letter')
  t.ok(
    [...'.,;:!?\'"-()/&+=#@%*'].every((mark) => mixed.classes.includes(mark)),
    'and every mark',
  )
  t.same(rejectorCardsFor(['0', 'A', 'a', '.']), { main: REJECTOR_CARD, lowerCase: REJECTOR_MIXED_CARD })
  t.same(rejectorCardsFor(['0', 'A', 'Z']), { main: REJECTOR_CARD })
  t.equal(unlearntLetters({ classes: '0AaBb' }).has('c'), true)
  t.equal(unlearntLetters({ classes: '0AaBb' }).has('a'), false)
})
