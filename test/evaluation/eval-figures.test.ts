import { readFileSync } from 'node:fs'
import t from 'tap'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { evaluateOnIdx } from '../../src/evaluation/evaluate-idx.js'
import { readIdxImages, readIdxLabels } from '../../src/evaluation/idx.js'
import { loadShippedClassifier, SHIPPED_MODELS } from '../../src/classifier/registry.js'
import { REPO_ROOT } from '../helpers/glyph-fixtures.js'

/** The capitals-and-digits models these fixtures and sets were made for (mixed-case ones: mixed-model.test.ts). */
const CAPITALS_MODELS = SHIPPED_MODELS.filter(
  (m) => (JSON.parse(readFileSync(m.cardPath, 'utf8')) as { classes: string[] }).classes.length === 36,
)

/** The shared, read-only data folder beside the repository. */
const DATA_ROOT = resolve(REPO_ROOT, '../shared/data')
const DERIVED = `${DATA_ROOT}/train/derived`
const TEST_SETS = {
  'test-unmixed': 'emnist-balanced-train-tail-unmixed',
  'test-all': 'emnist-balanced-train-tail-digits-upper',
} as const
/** Node and PyTorch may part on a glyph whose two best logits tie to float precision; allow one. */
const ALLOWED_GLYPH_DIFFERENCE = 1

if (!existsSync(DERIVED)) {
  if (process.env.CI === 'true') t.fail(`${DERIVED} is missing: CI must provide ../shared/data to check the model cards' test figures`)
  else t.plan(0, `${DERIVED} is missing (../shared/data beside the repository): the cards' test figures cannot be checked here`)
} else {
  for (const { name } of CAPITALS_MODELS) {
    t.test(`${name}: Node's test-set figures agree with the card`, async (t) => {
      const classifier = await loadShippedClassifier(name, { intraOpNumThreads: 2 })
      t.teardown(() => classifier.close())
      for (const [set, stem] of Object.entries(TEST_SETS)) {
        const card = classifier.card.metrics.test[set]
        const evaluation = await evaluateOnIdx(
          classifier,
          readIdxImages(`${DERIVED}/${stem}-images-idx3-ubyte.gz`),
          readIdxLabels(`${DERIVED}/${stem}-labels-idx1-ubyte.gz`),
        )
        t.equal(evaluation.count, card.count, `${set}: count`)
        const slack = ALLOWED_GLYPH_DIFFERENCE / evaluation.count + 5e-5
        t.ok(
          Math.abs(evaluation.top1 - card.top1) <= slack,
          `${set}: top-1 ${evaluation.top1.toFixed(4)} in Node, ${card.top1} on the card`,
        )
        t.ok(
          Math.abs(evaluation.top3 - card.top3) <= slack,
          `${set}: top-3 ${evaluation.top3.toFixed(4)} in Node, ${card.top3} on the card`,
        )
      }
    })
  }
}
