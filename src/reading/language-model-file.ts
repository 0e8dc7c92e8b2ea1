import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync, gzipSync } from 'node:zlib'
import { z } from 'zod'
import { PIPELINE_CONFIG } from '../pipeline/config.js'
import { countNGrams, createCharLanguageModel, type CharLanguageModel, type NGramCounts } from './language-model.js'
import { LANGUAGE_MODEL_ALPHABET, languageModelTrainingText, type LanguageModelConfig } from './note-text.js'

/**
 * The shipped character language model: `models/charlm.json`, a card saying what it was trained on
 * and how well it predicts held-out text, and beside it `models/charlm.counts.gz`, its n-gram counts
 * (written by `bench/train-language-model.ts`). Counting the training text takes about a second;
 * reading the counts, a few tens of milliseconds. The discount is applied when loading, so it can be
 * tuned without training again; every other setting of the `languageModel` configuration changes
 * the counts, and a configuration that differs from the card's is counted from the text instead.
 */

/** The card of the shipped model. */
export const LANGUAGE_MODEL_CARD_PATH = fileURLToPath(new URL('../../models/charlm.json', import.meta.url))

const bitsSchema = z.object({
  lines: z.number().int().nonnegative(),
  bitsPerChar: z.number().positive(),
  perplexity: z.number().positive(),
})

/** Schema of `models/charlm.json`. */
export const languageModelCardSchema = z.looseObject({
  format: z.literal(1),
  name: z.literal('charlm'),
  kind: z.string().min(1),
  file: z.string().regex(/\.counts\.gz$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().positive(),
  order: z.number().int().min(1).max(5),
  smoothing: z.string().min(1),
  alphabet: z.literal(LANGUAGE_MODEL_ALPHABET),
  /** The `languageModel` settings the counts come from: all but the discount. */
  training: z.record(z.string(), z.number()),
  sources: z.array(z.string().min(1)).min(1),
  trainingLines: z.number().int().positive(),
  trainingSymbols: z.number().int().positive(),
  ngramCounts: z.array(z.number().int().nonnegative()),
  evaluation: z.looseObject({ discount: z.number(), method: z.string(), sets: z.record(z.string(), bitsSchema) }),
  command: z.string().min(1),
})

/** A validated card. */
export type LanguageModelCard = z.infer<typeof languageModelCardSchema>

/** The settings of a configuration that decide the counts: all of them but the discount. */
export function countSettings(config: LanguageModelConfig): Record<string, number> {
  const { discount: _discount, ...settings } = config
  return settings
}

/** Whether a card's counts are those `config` asks for. */
export function cardMatches(card: LanguageModelCard, config: LanguageModelConfig): boolean {
  const wanted = countSettings(config)
  const keys = Object.keys(wanted)
  return keys.length === Object.keys(card.training).length && keys.every((key) => card.training[key] === wanted[key])
}

/**
 * Writes n-gram counts compactly: little-endian 32-bit integers — the order, the number of n-grams
 * of each length, then per length the keys as differences from the previous key and the counts —
 * gzipped. The result is the same bytes for the same counts.
 */
export function encodeNGramCounts(ngrams: NGramCounts): Buffer {
  const total = ngrams.levels.reduce((sum, level) => sum + level.keys.length, 0)
  const words = new Int32Array(1 + ngrams.order + 2 * total)
  let at = 0
  words[at++] = ngrams.order
  for (const level of ngrams.levels) words[at++] = level.keys.length
  for (const { keys, counts } of ngrams.levels) {
    for (let i = 0; i < keys.length; i++) words[at++] = keys[i] - (i > 0 ? keys[i - 1] : 0)
    words.set(counts, at)
    at += counts.length
  }
  const bytes = Buffer.alloc(words.length * 4)
  for (let i = 0; i < words.length; i++) bytes.writeInt32LE(words[i], i * 4)
  return gzipSync(bytes, { level: 9 })
}

/** Reads what {@link encodeNGramCounts} wrote; throws when it is not such a file. */
export function decodeNGramCounts(gzipped: Uint8Array): NGramCounts {
  const bytes = gunzipSync(gzipped)
  if (bytes.length % 4 !== 0 || bytes.length < 4) throw new Error('language model counts: not a whole number of 32-bit words')
  const word = (i: number): number => bytes.readInt32LE(i * 4)
  const order = word(0)
  if (!(order >= 1 && order <= 5)) throw new Error(`language model counts: order ${order}`)
  const sizes = Array.from({ length: order }, (_, i) => word(1 + i))
  if (bytes.length / 4 !== 1 + order + 2 * sizes.reduce((a, b) => a + b, 0))
    throw new Error('language model counts: sizes do not match the length')
  let at = 1 + order
  const levels = sizes.map((size) => {
    const keys = new Int32Array(size),
      counts = new Int32Array(size)
    for (let i = 0; i < size; i++) keys[i] = word(at++) + (i > 0 ? keys[i - 1] : 0)
    for (let i = 0; i < size; i++) counts[i] = word(at++)
    return { keys, counts }
  })
  return { order, levels }
}

/** Reads and validates a card. */
export function readLanguageModelCard(path: string = LANGUAGE_MODEL_CARD_PATH): LanguageModelCard {
  return languageModelCardSchema.parse(JSON.parse(readFileSync(path, 'utf8')))
}

/**
 * Reads the counts a card names, checking their hash and order.
 *
 * @throws Error when the file is missing, altered, or not of the card's order
 */
export function readCardCounts(card: LanguageModelCard, cardPath: string = LANGUAGE_MODEL_CARD_PATH): NGramCounts {
  const gzipped = readFileSync(join(dirname(cardPath), card.file))
  const sha256 = createHash('sha256').update(gzipped).digest('hex')
  if (sha256 !== card.sha256) throw new Error(`${card.file}: sha256 ${sha256} is not the card's ${card.sha256}`)
  const ngrams = decodeNGramCounts(gzipped)
  if (ngrams.order !== card.order) throw new Error(`${card.file}: order ${ngrams.order}, the card says ${card.order}`)
  return ngrams
}

const loaded = new Map<string, CharLanguageModel>()

/**
 * The language model for a configuration (the one configuration by default), loaded once per
 * process: the shipped counts when the card's settings are the configuration's, else counted from
 * the training text ({@link languageModelTrainingText}); smoothed with the configuration's discount.
 */
export function loadCharLanguageModel(config: LanguageModelConfig = PIPELINE_CONFIG.languageModel): CharLanguageModel {
  const cacheKey = JSON.stringify(config)
  let model = loaded.get(cacheKey)
  if (!model) {
    const card = readLanguageModelCard()
    const ngrams = cardMatches(card, config) ? readCardCounts(card) : countNGrams(languageModelTrainingText(config), config.order)
    model = createCharLanguageModel(ngrams, config.discount)
    loaded.set(cacheKey, model)
  }
  return model
}
