import { z } from 'zod'
import { DEFAULT_MODEL, shippedModelNames } from '../classifier/registry.js'
import { DEFAULT_ALTERNATIVES, MAX_ALTERNATIVES } from '../recognize.js'
import { OCR_FORMATS } from './formats/index.js'
import { PROBLEM_TYPES } from './problem.js'

/** Words a query may use for a boolean switch. */
const BOOLEAN_WORDS: Record<string, boolean> = { true: true, false: false, 1: true, 0: false, yes: true, no: false, on: true, off: false }

const booleanSwitch = z.string()
  .refine((v) => v.toLowerCase() in BOOLEAN_WORDS, { message: `expected one of ${Object.keys(BOOLEAN_WORDS).join(', ')}` })
  .transform((v) => BOOLEAN_WORDS[v.toLowerCase()])

/** Query of `POST /ocr`. Unknown parameters are refused, so that a typo does not pass silently. */
export const ocrQuerySchema = z.strictObject({
  model: z.enum(shippedModelNames() as [string, ...string[]]).default(DEFAULT_MODEL)
    .describe('Which shipped model reads the characters.'),
  alternatives: z.string().regex(/^\d+$/, 'expected a whole number').transform(Number)
    .pipe(z.number().int().min(0).max(MAX_ALTERNATIVES)).optional()
    .describe(`Alternatives reported per character (0 to ${MAX_ALTERNATIVES}, default ${DEFAULT_ALTERNATIVES}).`),
  context: booleanSwitch.optional()
    .describe('Read characters in their word: look-alike swaps (O/0, I/1, S/5, …) and lexicon correction. Default true.'),
  format: z.enum(OCR_FORMATS).default('json')
    .describe('Answer as `json` (default), `text` (text/plain), `hocr` (hOCR 1.2, text/vnd.hocr+html) or `png` (the image with the boxes drawn).'),
})
export type OcrQuery = z.output<typeof ocrQuerySchema>

const boxSchema = z.object({
  x: z.number().int().min(0), y: z.number().int().min(0), width: z.number().int().positive(), height: z.number().int().positive(),
}).describe('Pixels of the uploaded image after EXIF orientation; x, y is the top-left corner.')
const confidence = z.number().min(0).max(1)
const alternativeSchema = z.object({ text: z.string(), confidence })
const charSchema = z.object({ text: z.string(), confidence, box: boxSchema, alternatives: z.array(alternativeSchema).describe('The classifier\'s own top readings, best first, before context.') })
const wordSchema = z.object({ text: z.string(), confidence, box: boxSchema, chars: z.array(charSchema) })
const lineSchema = z.object({ text: z.string(), confidence, box: boxSchema, words: z.array(wordSchema) })

/** Response of `POST /ocr`. */
export const ocrResponseSchema = z.object({
  text: z.string().describe('Lines joined by \\n, words by single spaces.'),
  lines: z.array(lineSchema).describe('Top to bottom; words and chars left to right.'),
  image: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }),
  model: z.object({ name: z.string(), version: z.string() }),
  timingsMs: z.record(z.string(), z.number().min(0)),
})

/** Every error body. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.enum(Object.values(PROBLEM_TYPES) as [string, ...string[]]),
  status: z.number().int().min(400).max(599),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  limit: z.string().optional().describe('For a limit that was exceeded: the environment variable that sets it.'),
})
