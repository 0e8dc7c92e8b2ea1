import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { glyphInputSchema } from './card.js'
import { glyphBatch, openGlyphSession, type ClassifierOptions } from './model.js'
import { MODELS_DIR } from './registry.js'

/**
 * The glyph rejector: says whether a normalised crop is one whole character at all (not half a
 * letter, two touching letters, a sheet edge, a ruled line, a speck, wood grain or a smudge). It
 * takes the same 28×28 glyphs as the classifier (`normalizeGlyph`) and gives, per glyph, the
 * probability that it is a character, for a whole batch in one onnxruntime run.
 *
 * `training/train_rejector.py` trains three candidates and writes a card for each:
 * `models/rejector.json` (the one that separated best, shipped) and `models/rejector-<method>.json`
 * (the others, kept for comparison). Every one outputs one logit per glyph; the card holds the
 * threshold chosen on validation and the measured operating points. With `--classes mixed` it
 * trains `models/rejector-mixed.json` on the mixed classifier's characters (lower case and marks too).
 */

/** The shipped rejector's card: digits and capitals (and the lower case shaped like them). */
export const REJECTOR_CARD = join(MODELS_DIR, 'rejector.json')

/** The rejector that learnt the mixed classifier's characters: digits, A–Z, a–z and punctuation. */
export const REJECTOR_MIXED_CARD = join(MODELS_DIR, 'rejector-mixed.json')

/** Schema of `models/rejector*.json` (fields the service does not read are kept as they are). */
export const rejectorCardSchema = z.looseObject({
  format: z.literal(1),
  name: z.string().min(1),
  file: z.string().regex(/\.onnx$/),
  kind: z.literal('rejector'),
  method: z.enum(['cnn', 'autoencoder', 'pca']),
  /** The characters it learnt as whole characters (its positives). */
  classes: z.string().min(1),
  input: glyphInputSchema,
  output: z.looseObject({ name: z.string().min(1), shape: z.tuple([z.string(), z.literal(1)]), kind: z.literal('logit') }),
  threshold: z.looseObject({ logit: z.number(), probability: z.number().gt(0).lt(1), rule: z.string() }),
  training: z.looseObject({ seed: z.number().int(), command: z.string() }),
})

/** A validated rejector card. */
export type RejectorCard = z.infer<typeof rejectorCardSchema>

/** Reads and validates the rejector card at `path`; throws a ZodError naming the bad fields. */
export function readRejectorCard(path: string): RejectorCard {
  const card = rejectorCardSchema.parse(JSON.parse(readFileSync(path, 'utf8')))
  if (card.output.name === card.input.name) {
    throw new Error(`rejector card ${card.name}: input and output share the name ${card.input.name}`)
  }
  return card
}

/**
 * The lower-case letters a rejector never learnt as characters: to those it gives about what it
 * gives a fragment, so the search must not take its word on them (`judgedGlyphProbability`).
 */
export function unlearntLetters(card: Pick<RejectorCard, 'classes'>): ReadonlySet<string> {
  return new Set([...'abcdefghijklmnopqrstuvwxyz'].filter((letter) => !card.classes.includes(letter)))
}

/**
 * The cards of the rejectors for a classifier with these labels: the capitals one judges every
 * crop; for a classifier that reads lower case, the mixed one (where it is shipped) judges the crops
 * read as the letters the capitals one never learnt (`judgedGlyphProbability`, in place of the
 * configured prior). The mixed one does not judge the rest: by shape it cannot doubt a mark (a speck
 * is a period's shape, a fragment a comma's), so as the only rejector of model `mixed` it let the
 * search read fragments as marks (first 150 mixed-case synthetic pages: segmentation precision 0.885
 * -> 0.796, F1 0.811 -> 0.786) and read clutter and a merged "LWA" on the capitals sets (fixtures
 * 99.6 -> 98.9 %, dev upper 94.7 -> 93.9 %), though dev mixed case-sensitive characters rose 80.4 -> 83.1 %.
 */
export function rejectorCardsFor(labels: readonly string[]): { main: string; lowerCase?: string } {
  const readsLowerCase = labels.some((label) => label !== label.toUpperCase())
  return readsLowerCase && existsSync(REJECTOR_MIXED_CARD)
    ? { main: REJECTOR_CARD, lowerCase: REJECTOR_MIXED_CARD }
    : { main: REJECTOR_CARD }
}

/** A loaded rejector. */
export interface GlyphRejector {
  readonly name: string
  readonly card: RejectorCard
  /** The lower-case letters it never learnt ({@link unlearntLetters}). */
  readonly unlearnt: ReadonlySet<string>
  /** Probability below which a glyph is rejected (the card's threshold). */
  readonly threshold: number
  /** One logit per glyph ("is a character"), from one session run. */
  logits(glyphs: readonly Float32Array[]): Promise<Float32Array>
  /** One probability per glyph that it is a whole character, from one session run. */
  characterProbabilities(glyphs: readonly Float32Array[]): Promise<Float32Array>
  /** Frees the onnxruntime session. */
  close(): Promise<void>
}

/** The logistic function, without overflow for logits of either sign. */
export function sigmoid(logit: number): number {
  if (logit >= 0) return 1 / (1 + Math.exp(-logit))
  const e = Math.exp(logit)
  return e / (1 + e)
}

/**
 * Loads a rejector from its card; the ONNX file is the card's `file`, next to the card.
 *
 * @param cardPath path of `models/rejector*.json`; the shipped rejector by default
 * @param options session settings, as for the classifier
 */
export async function loadRejector(cardPath: string = REJECTOR_CARD, options: ClassifierOptions = {}): Promise<GlyphRejector> {
  const card = readRejectorCard(cardPath)
  const session = await openGlyphSession(cardPath, card, options)

  async function logits(glyphs: readonly Float32Array[]): Promise<Float32Array> {
    if (glyphs.length === 0) return new Float32Array(0)
    // Fetch the logit only: the reconstruction rejectors also output their reconstructions.
    const output = (await session.run({ [card.input.name]: glyphBatch(card, glyphs) }, [card.output.name]))[card.output.name]
    const values = output.data as Float32Array
    if (values.length !== glyphs.length) {
      throw new Error(`rejector ${card.name} returned ${values.length} values for ${glyphs.length} glyphs`)
    }
    return Float32Array.from(values)
  }

  async function characterProbabilities(glyphs: readonly Float32Array[]): Promise<Float32Array> {
    return (await logits(glyphs)).map(sigmoid)
  }

  return {
    name: card.name,
    card,
    unlearnt: unlearntLetters(card),
    threshold: card.threshold.probability,
    logits,
    characterProbabilities,
    close: () => session.release(),
  }
}
