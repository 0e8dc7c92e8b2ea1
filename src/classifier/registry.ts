import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { loadClassifier, type ClassifierOptions, type GlyphClassifier } from './model.js'

/**
 * The models shipped in `models/`, by name. The `/ocr` route offers `model=<name>` from this list;
 * {@link DEFAULT_MODEL} reads mixed case and punctuation, and block capitals as well as the
 * capitals-only `cnn` does (README, "Lower case and punctuation").
 */

/** `models/` at the repository root (the same from `src/classifier/` and from `dist/classifier/`). */
export const MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url))

/** A shipped model. */
export interface ShippedModel {
  readonly name: string
  readonly description: string
  /** Path of the model card; the ONNX file sits beside it. */
  readonly cardPath: string
  /**
   * A capitals-and-digits model whose readings of letters and digits are combined with this
   * mixed-case model's (`ensemble.ts`), with this weight.
   */
  readonly foldedCompanion?: { readonly name: string; readonly weight: number }
}

const shipped = (
  name: string,
  description: string,
  { card = name, foldedCompanion }: { card?: string; foldedCompanion?: ShippedModel['foldedCompanion'] } = {},
): ShippedModel => ({
  name,
  description,
  cardPath: join(MODELS_DIR, `${card}.json`),
  ...(foldedCompanion ? { foldedCompanion } : {}),
})

/** Every shipped model, best first. */
export const SHIPPED_MODELS: readonly ShippedModel[] = [
  shipped('mixed', 'cnn-mixed, case from the line, lines in block capitals read by cnn: mixed case and punctuation', {
    card: 'cnn-mixed',
    // Each model reads the lines it was trained for: lines in block capitals are re-read by cnn alone
    // (`capitalsReading`), so cnn's vote in the other lines only pulls lower case towards capitals and
    // digits. At weight 0.5 the synthetic mixed-case pages read 60.4 % case-sensitive, at 0 63.8 %
    // (dev mixed 79.0 -> 79.9 %); block capitals 84.5 -> 84.3 %, samples, fixtures, dev upper equal.
    foldedCompanion: { name: 'cnn', weight: 0 },
  }),
  shipped(
    'cnn',
    'capitals and digits only: convolutional network (5 conv layers with batch norm, dropout), trained on EMNIST + Chars74K with photo-style augmentation',
  ),
  shipped('mlp', "the seed's baseline: one hidden layer of 64 sigmoid units, same data and training script"),
  shipped('cnn-mixed', 'the CNN retrained for mixed case and punctuation: digits, A–Z, a–z and . , ; : ! ? \' " - ( ) / & + = # @ % *'),
  shipped('mlp-mixed', 'the MLP baseline retrained for the same 81 classes as cnn-mixed'),
]

/** The model the service uses unless told otherwise. */
export const DEFAULT_MODEL = 'mixed'

/** Names of the shipped models, best first. */
export function shippedModelNames(): string[] {
  return SHIPPED_MODELS.map((m) => m.name)
}

/**
 * Looks a shipped model up by name.
 *
 * @throws RangeError naming the choices when `name` is not shipped
 */
export function shippedModel(name: string = DEFAULT_MODEL): ShippedModel {
  const model = SHIPPED_MODELS.find((m) => m.name === name)
  if (model === undefined) throw new RangeError(`unknown model "${name}"; choose one of ${shippedModelNames().join(', ')}`)
  if (!existsSync(model.cardPath)) throw new Error(`model "${name}" is listed but ${model.cardPath} is missing`)
  return model
}

/** Loads a shipped model by name (default {@link DEFAULT_MODEL}). */
export function loadShippedClassifier(name: string = DEFAULT_MODEL, options: ClassifierOptions = {}): Promise<GlyphClassifier> {
  return loadClassifier(shippedModel(name).cardPath, options)
}
