import t from 'tap'
import { readFileSync } from 'node:fs'
import { loadShippedClassifier } from '../../src/classifier/registry.js'
import { SHIPPED_MODELS } from '../../src/classifier/registry.js'
import { normalizeGlyph } from '../../src/classifier/normalize-glyph.js'
import { FIXTURE_DIR, loadFixtureMasks } from '../helpers/glyph-fixtures.js'

/** The capitals-and-digits models these fixtures and sets were made for (mixed-case ones: mixed-model.test.ts). */
const CAPITALS_MODELS = SHIPPED_MODELS.filter(
  (m) => (JSON.parse(readFileSync(m.cardPath, 'utf8')) as { classes: string[] }).classes.length === 36,
)

/** Node (onnxruntime) and PyTorch logits on the same inputs agree to this. */
const LOGIT_TOLERANCE = 1e-4
/**
 * Share of the labelled fixtures (hand-drawn block letters, not from any training source) each
 * model must get right; set a little under what the committed models reach, so that a broken
 * model or input path fails while a retrained one of the same quality passes.
 */
const FIXTURE_BARS: Record<string, { top1: number; top3: number }> = {
  cnn: { top1: 0.93, top3: 0.98 },
  mlp: { top1: 0.85, top3: 0.95 },
}

interface ReferenceOutputs {
  classes: string[]
  outputs: { file: string; label: string | null; logits: number[]; top3: string[] }[]
}

const pythonNormalised = JSON.parse(readFileSync(`${FIXTURE_DIR}/normalized.json`, 'utf8')) as Record<string, number[]>

for (const { name } of CAPITALS_MODELS) {
  t.test(`${name}: loads, matches PyTorch and reads the fixtures`, async (t) => {
    const classifier = await loadShippedClassifier(name, { intraOpNumThreads: 1 })
    t.teardown(() => classifier.close())
    const reference = JSON.parse(readFileSync(`${FIXTURE_DIR}/${name}.reference.json`, 'utf8')) as ReferenceOutputs
    t.same(classifier.card.classes, reference.classes, 'card classes are the training classes')

    const inputs = reference.outputs.map((o) => Float32Array.from(pythonNormalised[o.file]))
    const logits = await classifier.logits(inputs)
    t.equal(logits.length, inputs.length, 'one row per glyph from one batch')
    let worst = 0
    logits.forEach((row, i) =>
      row.forEach((v, c) => {
        worst = Math.max(worst, Math.abs(v - reference.outputs[i].logits[c]))
      }),
    )
    t.ok(worst <= LOGIT_TOLERANCE, `largest logit difference to PyTorch: ${worst}`)

    const fixtures = await loadFixtureMasks()
    const results = await classifier.classify(
      fixtures.map((f) => normalizeGlyph(f.mask)),
      3,
    )
    const byFile = new Map(reference.outputs.map((o) => [o.file, o]))
    let top1 = 0,
      top3 = 0,
      labelled = 0
    fixtures.forEach((fixture, i) => {
      const ranked = results[i].top.map((r) => r.label)
      t.equal(ranked[0], byFile.get(fixture.file)?.top3[0], `${fixture.file}: same top-1 as PyTorch`)
      if (fixture.label === null) return
      labelled++
      if (ranked[0] === fixture.label) top1++
      if (ranked.includes(fixture.label)) top3++
    })
    const bar = FIXTURE_BARS[name]
    t.ok(top1 / labelled >= bar.top1, `top-1 on ${labelled} hand-drawn fixtures: ${top1} (bar ${bar.top1})`)
    t.ok(top3 / labelled >= bar.top3, `top-3 on hand-drawn fixtures: ${top3} (bar ${bar.top3})`)
    const sums = results.map((r) => r.probabilities.reduce((a, b) => a + b, 0))
    t.ok(
      sums.every((s) => Math.abs(s - 1) < 1e-5),
      'probabilities sum to one',
    )
  })
}

t.test('a glyph of the wrong size is refused', async (t) => {
  const classifier = await loadShippedClassifier(undefined, { intraOpNumThreads: 1 })
  t.teardown(() => classifier.close())
  await t.rejects(classifier.classify([new Float32Array(10)]), /takes 784/)
  t.same(await classifier.classify([]), [])
})
