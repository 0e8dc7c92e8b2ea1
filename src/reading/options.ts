import { z } from 'zod'
import { DEFAULT_MODEL, shippedModelNames } from '../classifier/registry.js'

/**
 * What a caller may ask of a reading, declared once: the library, the HTTP route (through
 * {@link ocrQuerySchema}), the CLI, the OpenAPI document (and through it the web page) and the
 * tests all take their limits and defaults from here.
 */

/** The answers a reading can be rendered as; `json` is the default. */
export const OCR_FORMATS = ['json', 'text', 'hocr', 'png'] as const
export type OcrFormat = (typeof OCR_FORMATS)[number]

/** Alternatives reported per character unless asked otherwise. */
export const DEFAULT_ALTERNATIVES = 3
/** The most alternatives a character may report; the context step draws on as many candidates. */
export const MAX_ALTERNATIVES = 10

/** Per-reading options, with their defaults; unknown options are refused so that a typo does not pass silently. */
export const readOptionsSchema = z.strictObject({
  model: z
    .enum(shippedModelNames() as [string, ...string[]])
    .default(DEFAULT_MODEL)
    .describe('Which shipped model reads the characters.'),
  alternatives: z
    .number()
    .int()
    .min(0)
    .max(MAX_ALTERNATIVES)
    .default(DEFAULT_ALTERNATIVES)
    .describe(`Alternatives reported per character (0 to ${MAX_ALTERNATIVES}, default ${DEFAULT_ALTERNATIVES}).`),
  context: z
    .boolean()
    .default(true)
    .describe('Read characters in their word: look-alike swaps (O/0, I/1, S/5, …) and lexicon correction. Default true.'),
  format: z
    .enum(OCR_FORMATS)
    .default('json')
    .describe(
      'Answer as `json` (default), `text` (text/plain), `hocr` (hOCR 1.2, text/vnd.hocr+html) or `png` (the image with the boxes drawn).',
    ),
})

/** Options as a caller gives them: every field may be left out. */
export type ReadOptions = z.input<typeof readOptionsSchema>
/** Options with every default filled in. */
export type ResolvedReadOptions = z.output<typeof readOptionsSchema>

/**
 * Fills in the defaults and checks the limits.
 *
 * @throws ZodError naming each bad option
 */
export function resolveReadOptions(options: ReadOptions = {}): ResolvedReadOptions {
  return readOptionsSchema.parse(options)
}

/** Words a query may use for a boolean switch. */
const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = {
  true: true,
  false: false,
  1: true,
  0: false,
  yes: true,
  no: false,
  on: true,
  off: false,
}

const booleanWord = z
  .string()
  .refine((v) => v.toLowerCase() in BOOLEAN_WORDS, { message: `expected one of ${Object.keys(BOOLEAN_WORDS).join(', ')}` })
  .transform((v) => BOOLEAN_WORDS[v.toLowerCase()])
const wholeNumber = z.string().regex(/^\d+$/, 'expected a whole number').transform(Number)

const shape = readOptionsSchema.shape
/**
 * The same options as the query string of `POST /ocr` (strings in), resolving to
 * {@link ResolvedReadOptions}.
 */
export const ocrQuerySchema = z.strictObject({
  model: shape.model,
  alternatives: wholeNumber.optional().pipe(shape.alternatives),
  context: booleanWord.optional().pipe(shape.context),
  format: shape.format,
})
