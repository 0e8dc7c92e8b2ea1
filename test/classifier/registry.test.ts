import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseModelCard } from '../../src/classifier/card.js'
import { DEFAULT_MODEL, MODELS_DIR, SHIPPED_MODELS, shippedModel, shippedModelNames } from '../../src/classifier/registry.js'
import { GLYPH_SIZE, INNER_SIZE, MIN_STROKE_RATIO } from '../../src/classifier/normalize-glyph.js'

t.test('every shipped model has a valid card and its ONNX file', async (t) => {
  t.ok(shippedModelNames().includes(DEFAULT_MODEL))
  for (const model of SHIPPED_MODELS) {
    const card = parseModelCard(JSON.parse(readFileSync(model.cardPath, 'utf8')))
    // A model read together with a companion names its own card; the pair has a name of its own.
    if (model.foldedCompanion === undefined) t.equal(card.name, model.name)
    else t.ok(shippedModelNames().includes(model.foldedCompanion.name), `${model.name}'s companion is shipped`)
    t.ok(existsSync(join(MODELS_DIR, card.file)), `${card.file} exists`)
    t.same(card.input.shape.slice(1), [1, GLYPH_SIZE, GLYPH_SIZE])
    // The card records the normaliser the model was trained with; the service's must be the same.
    const normaliser = card.input.normaliser as { inner_size: number; min_stroke_ratio: number }
    t.same([normaliser.inner_size, normaliser.min_stroke_ratio], [INNER_SIZE, MIN_STROKE_RATIO])
  }
})

t.test('unknown names are refused with the choices', async (t) => {
  t.throws(() => shippedModel('nope'), /choose one of mixed, cnn, mlp, cnn-mixed, mlp-mixed/)
})

t.test('a card without classes is refused', async (t) => {
  const card = JSON.parse(readFileSync(shippedModel().cardPath, 'utf8'))
  delete card.classes
  t.throws(() => parseModelCard(card))
  t.throws(() => parseModelCard({ ...card, classes: ['A', 'A'] }))
})
