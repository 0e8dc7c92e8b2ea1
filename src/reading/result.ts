import { z } from 'zod'

/**
 * The shape of a reading, declared once as zod schemas: the TypeScript types are inferred from
 * them, the `/ocr` route validates and serialises its JSON answer with them, and the OpenAPI
 * document is generated from them. The objects are strict: a field added to a reading without its
 * schema fails the answer instead of drifting silently.
 */

/** A rectangle in pixels of the uploaded image after EXIF orientation; `x`, `y` is the top-left corner. */
export const boxSchema = z
  .object({
    x: z.number().int().min(0),
    y: z.number().int().min(0),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
  })
  .describe('Pixels of the uploaded image after EXIF orientation; x, y is the top-left corner.')

const confidence = z.number().min(0).max(1)

export const alternativeSchema = z.strictObject({ text: z.string(), confidence })

export const charSchema = z.strictObject({
  text: z.string(),
  confidence,
  box: boxSchema,
  alternatives: z.array(alternativeSchema).describe("The classifier's own top readings, best first, before context."),
})

export const wordSchema = z.strictObject({ text: z.string(), confidence, box: boxSchema, chars: z.array(charSchema) })

export const lineSchema = z.strictObject({ text: z.string(), confidence, box: boxSchema, words: z.array(wordSchema) })

/** The result of reading one image: the JSON answer of `POST /ocr`. */
export const ocrResultSchema = z.strictObject({
  text: z.string().describe('Lines joined by \\n, words by single spaces.'),
  lines: z.array(lineSchema).describe('Top to bottom; words and chars left to right.'),
  image: z
    .object({ width: z.number().int().positive(), height: z.number().int().positive() })
    .describe("The upload's size after EXIF orientation; every box is in these pixels."),
  model: z.strictObject({ name: z.string(), version: z.string() }),
  timingsMs: z.record(z.string(), z.number().min(0)).describe('Milliseconds per stage.'),
})

export type Alternative = z.infer<typeof alternativeSchema>
export type CharResult = z.infer<typeof charSchema>
export type WordResult = z.infer<typeof wordSchema>
export type LineResult = z.infer<typeof lineSchema>
export type OcrResult = z.infer<typeof ocrResultSchema>
