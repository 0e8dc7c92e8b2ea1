import { readFileSync } from 'node:fs'
import { z } from 'zod'

/**
 * The model card written by `training/train.py` beside every `models/<name>.onnx`. The service
 * reads the class labels, the input and output names and shapes from it, never from code, so a
 * model with other classes can be dropped in. Fields the service does not read are kept as they are.
 */

const accuracy = z.number().min(0).max(1)

const splitMetricsSchema = z.looseObject({
  count: z.number().int().positive(),
  top1: accuracy,
  top3: accuracy,
  per_class_top1: z.record(z.string(), accuracy),
  most_confused: z.array(z.object({ true: z.string(), predicted: z.string(), count: z.number().int() })),
})

/** The `input` block of every glyph model's card (classifiers and rejectors): normalised glyphs, (batch, 1, height, width). */
export const glyphInputSchema = z.looseObject({
  name: z.string().min(1),
  shape: z.tuple([z.string(), z.literal(1), z.number().int().positive(), z.number().int().positive()]),
  dtype: z.literal('float32'),
  range: z.tuple([z.number(), z.number()]),
  normalisation: z.string().min(1),
})

/** Schema of `models/<name>.json`. */
export const modelCardSchema = z.looseObject({
  format: z.literal(1),
  name: z.string().min(1),
  file: z.string().regex(/\.onnx$/),
  created: z.string(),
  classes: z
    .array(z.string().min(1))
    .min(2)
    .refine((labels) => new Set(labels).size === labels.length, 'class labels must be unique'),
  input: glyphInputSchema,
  output: z.looseObject({ name: z.string().min(1), kind: z.literal('logits') }),
  training: z.looseObject({ seed: z.number().int(), epochs: z.number().int().positive(), command: z.string() }),
  metrics: z.looseObject({
    validation: splitMetricsSchema,
    test: z.record(z.string(), splitMetricsSchema),
  }),
})

/** A validated model card. */
export type ModelCard = z.infer<typeof modelCardSchema>

/**
 * Validates parsed card JSON; throws a ZodError naming the bad fields.
 *
 * @param json the parsed contents of a card
 */
export function parseModelCard(json: unknown): ModelCard {
  const card = modelCardSchema.parse(json)
  if (card.output.name === card.input.name) throw new Error(`model card ${card.name}: input and output share the name ${card.input.name}`)
  return card
}

/** Reads and validates the card at `path`. */
export function readModelCard(path: string): ModelCard {
  return parseModelCard(JSON.parse(readFileSync(path, 'utf8')))
}
