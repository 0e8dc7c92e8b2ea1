import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { normalizeGlyph } from './classifier/normalize-glyph.js'
import { DEFAULT_MODEL, shippedModel, shippedModelNames } from './classifier/registry.js'
import { loadClassifier, type GlyphClassifier } from './classifier/model.js'
import { PIPELINE_CONFIG, type PipelineConfig } from './pipeline/config.js'
import type { Box } from './pipeline/image.js'
import { boundMaskSize } from './pipeline/letters.js'
import { locateLetters, type LocatedPage } from './pipeline/locate.js'
import { readWord, type CharCandidates, type ContextOptions } from './text/context.js'
import { loadEnglishLexicon } from './text/lexicon.js'

/** A reading with its probability. */
export interface Alternative { readonly text: string, readonly confidence: number }

/** One character: what was read, how sure, where, and the classifier's own ranking. */
export interface CharResult {
  readonly text: string
  readonly confidence: number
  readonly box: Box
  /** The classifier's raw top readings, best first (before any context correction). */
  readonly alternatives: Alternative[]
}
export interface WordResult { readonly text: string, readonly confidence: number, readonly box: Box, readonly chars: CharResult[] }
export interface LineResult { readonly text: string, readonly confidence: number, readonly box: Box, readonly words: WordResult[] }

/** The result of reading one image: the `/ocr` response. */
export interface OcrResult {
  /** Lines joined by newlines, words by single spaces. */
  readonly text: string
  /** Lines top to bottom. */
  readonly lines: LineResult[]
  /** The upload's size after EXIF orientation; every box is in these pixels. */
  readonly image: { readonly width: number, readonly height: number }
  readonly model: { readonly name: string, readonly version: string }
  /** Milliseconds per stage. */
  readonly timingsMs: Record<string, number>
}

/** Per-request options. */
export interface RecognizeOptions {
  /** A shipped model's name; default {@link DEFAULT_MODEL}. */
  readonly model?: string
  /** Alternatives reported per character. */
  readonly alternatives?: number
  /** Look-alike swaps and lexicon correction (on by default). */
  readonly context?: boolean
}

/** Defaults for {@link RecognizeOptions}. */
export const DEFAULT_ALTERNATIVES = 3
/** Upper bound on alternatives per character. */
export const MAX_ALTERNATIVES = 10
/** Candidates per character that the context step may draw on. */
const CONTEXT_CANDIDATES = 10
/** Masks larger than this (in working pixels) are shrunk before normalising; letters are far smaller. */
const MAX_GLYPH_MASK_SIDE = 192
/** A period is found by its shape and place, not by the classifier; this is how sure that is. */
export const PERIOD_CONFIDENCE = 0.9

/** How the context step reads words; one configuration for every image. */
const CONTEXT: Omit<ContextOptions, 'lexicon'> = {
  swapLookalikes: true,
  swapTopK: 3,
  lexiconMinLength: 3,
  lexiconPriorOdds: 20,
}

/** Settings fixed for the life of a {@link Recognizer}. */
export interface RecognizerSettings {
  /** onnxruntime's `intraOpNumThreads` for every model session. */
  readonly intraOpNumThreads?: number
  readonly pipeline?: PipelineConfig
}

/**
 * Reads handwritten notes: finds the letters, classifies them in one batched onnxruntime run per
 * image, and assembles the text with context. Models are loaded on first use and kept.
 */
export class Recognizer {
  readonly #classifiers = new Map<string, Promise<{ classifier: GlyphClassifier, version: string }>>()
  readonly #settings: RecognizerSettings

  constructor(settings: RecognizerSettings = {}) {
    this.#settings = settings
  }

  /** Names of the models this recognizer can use. */
  static models(): string[] {
    return shippedModelNames()
  }

  /** Loads a model now (the server does this before it reports ready). */
  async load(name: string = DEFAULT_MODEL): Promise<void> {
    await this.#classifier(name)
  }

  #classifier(name: string): Promise<{ classifier: GlyphClassifier, version: string }> {
    let entry = this.#classifiers.get(name)
    if (!entry) {
      const { cardPath } = shippedModel(name)
      entry = loadClassifier(cardPath, { intraOpNumThreads: this.#settings.intraOpNumThreads }).then((classifier) => ({
        classifier,
        version: createHash('sha256').update(readFileSync(join(dirname(cardPath), classifier.card.file))).digest('hex').slice(0, 12),
      }))
      entry.catch(() => this.#classifiers.delete(name))
      this.#classifiers.set(name, entry)
    }
    return entry
  }

  /**
   * Reads one image.
   *
   * @param image encoded image bytes
   * @throws ImageInputError for empty, unreadable or oversized images; RangeError for an unknown model
   */
  async recognize(image: Uint8Array, options: RecognizeOptions = {}): Promise<OcrResult> {
    const { classifier, version } = await this.#classifier(options.model ?? DEFAULT_MODEL)
    const page = await locateLetters(image, this.#settings.pipeline ?? PIPELINE_CONFIG)
    return readPage(page, classifier, version, options)
  }

  /** Frees every loaded model. */
  async close(): Promise<void> {
    const entries = [...this.#classifiers.values()]
    this.#classifiers.clear()
    await Promise.all(entries.map(async (e) => (await e).classifier.close()))
  }
}

/** Classifies the glyphs of a located page and assembles lines, words and characters. */
async function readPage(page: LocatedPage, classifier: GlyphClassifier, version: string, options: RecognizeOptions): Promise<OcrResult> {
  const timings: Record<string, number> = { ...page.timingsMs }
  let mark = performance.now()
  const glyphs = page.lines.flatMap((l) => l.words.flatMap((w) => w.glyphs)).filter((g) => g.kind === 'glyph')
  const inputs = glyphs.map((g) => normalizeGlyph(boundMaskSize(g.mask, MAX_GLYPH_MASK_SIDE)))
  timings.normalize = performance.now() - mark
  mark = performance.now()
  const classified = await classifier.classify(inputs, CONTEXT_CANDIDATES)
  timings.classify = performance.now() - mark
  mark = performance.now()

  const labels = classifier.card.classes
  const alternativesWanted = Math.min(options.alternatives ?? DEFAULT_ALTERNATIVES, MAX_ALTERNATIVES)
  const context: ContextOptions = options.context === false
    ? { ...CONTEXT, swapLookalikes: false }
    : { ...CONTEXT, lexicon: loadEnglishLexicon() }
  let next = 0
  const lines: LineResult[] = page.lines.map((line) => {
    const words: WordResult[] = line.words.map((word) => {
      const read = word.glyphs.map((g) => (g.kind === 'period' ? undefined : classified[next++]))
      const candidates: CharCandidates[] = read.map((c) => (c === undefined
        ? { candidates: [], fixed: '.' }
        : { candidates: c.top.map((r) => ({ text: r.label, confidence: r.probability })) }))
      const chosen = readWord(candidates, context).chars
      const chars: CharResult[] = word.glyphs.map((g, i) => {
        const c = read[i]
        if (c === undefined) return { text: '.', confidence: PERIOD_CONFIDENCE, box: g.box, alternatives: [] }
        const index = labels.indexOf(chosen[i])
        return {
          text: chosen[i],
          confidence: round(index >= 0 ? c.probabilities[index] : 0),
          box: g.box,
          alternatives: c.top.slice(0, alternativesWanted).map((r) => ({ text: r.label, confidence: round(r.probability) })),
        }
      })
      return { text: chars.map((c) => c.text).join(''), confidence: mean(chars.map((c) => c.confidence)), box: word.box, chars }
    })
    return { text: words.map((w) => w.text).join(' '), confidence: mean(words.map((w) => w.confidence)), box: line.box, words }
  })
  timings.context = performance.now() - mark
  for (const k of Object.keys(timings)) timings[k] = Math.round(timings[k] * 100) / 100
  return {
    text: lines.map((l) => l.text).join('\n'),
    lines,
    image: { width: page.width, height: page.height },
    model: { name: classifier.name, version },
    timingsMs: timings,
  }
}

const round = (p: number): number => Math.round(p * 1e4) / 1e4
const mean = (values: number[]): number => (values.length === 0 ? 0 : round(values.reduce((s, v) => s + v, 0) / values.length))

let shared: Recognizer | undefined

/**
 * Reads one image with a process-wide {@link Recognizer} (created on first use).
 *
 * @param image encoded image bytes (JPEG, PNG, WebP, TIFF, GIF)
 */
export function recognize(image: Uint8Array, options: RecognizeOptions = {}): Promise<OcrResult> {
  shared ??= new Recognizer()
  return shared.recognize(image, options)
}
