import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { loadClassifier, type GlyphClassifier } from '../classifier/model.js'
import { normalizeGlyph } from '../classifier/normalize-glyph.js'
import { DEFAULT_MODEL, shippedModel, shippedModelNames } from '../classifier/registry.js'
import { renderResult, type Rendered } from '../formats/index.js'
import { PIPELINE_CONFIG, type PipelineConfig } from '../pipeline/config.js'
import { boundMaskSize } from '../pipeline/letters.js'
import { locateLetters, type LocatedPage } from '../pipeline/locate.js'
import { ENGINE } from '../version.js'
import { readWord, type CharCandidates, type ContextOptions } from './context.js'
import { loadEnglishLexicon } from './lexicon.js'
import { MAX_ALTERNATIVES, resolveReadOptions, type ReadOptions, type ResolvedReadOptions } from './options.js'
import type { CharResult, LineResult, OcrResult, WordResult } from './result.js'

/**
 * Lets a caller stop a reading: checked at the safe points between stages (decode, finding,
 * normalising, classifying, context, rendering), never inside one. An `AbortSignal` is one.
 */
export interface Cancellation {
  /** Throws when the reading is to stop. */
  throwIfAborted(): void
}

/** Thrown by a worker's {@link Cancellation} when its reading was cancelled. */
export class ReadCancelledError extends Error {
  constructor() {
    super('The reading was cancelled.')
    this.name = 'ReadCancelledError'
  }
}

/** Settings fixed for the life of a {@link Reader}. */
export interface ReaderSettings {
  /** onnxruntime's `intraOpNumThreads` for every model session. */
  readonly intraOpNumThreads?: number
  readonly pipeline?: PipelineConfig
}

/** A loaded model and the short hash of its weights that results name. */
interface LoadedModel {
  readonly classifier: GlyphClassifier
  readonly version: string
}

/**
 * Reads handwritten notes, the library call behind the server, the CLI and the tests: finds the
 * letters, classifies them in one batched onnxruntime run per image, and assembles the text with
 * context. Models are loaded on first use and kept.
 */
export class Reader {
  readonly #models = new Map<string, Promise<LoadedModel>>()
  readonly #settings: ReaderSettings

  constructor(settings: ReaderSettings = {}) {
    this.#settings = settings
  }

  /** Names of the models a reader can use, best first. */
  static models(): string[] {
    return shippedModelNames()
  }

  /** Loads a model now (the server does this before it reports ready), and the lexicon. */
  async load(name: string = DEFAULT_MODEL): Promise<void> {
    await this.#model(name)
    loadEnglishLexicon()
  }

  #model(name: string): Promise<LoadedModel> {
    let entry = this.#models.get(name)
    if (!entry) {
      const { cardPath } = shippedModel(name)
      entry = loadClassifier(cardPath, { intraOpNumThreads: this.#settings.intraOpNumThreads }).then((classifier) => ({
        classifier,
        version: createHash('sha256').update(readFileSync(join(dirname(cardPath), classifier.card.file))).digest('hex').slice(0, 12),
      }))
      entry.catch(() => this.#models.delete(name))
      this.#models.set(name, entry)
    }
    return entry
  }

  /**
   * Reads one image.
   *
   * @param image encoded image bytes (JPEG, PNG, WebP, TIFF, GIF)
   * @param options see `readOptionsSchema`; `format` is ignored here (see {@link render})
   * @param cancellation checked between stages; what it throws ends the reading
   * @throws ImageInputError for empty, unreadable or oversized images; ZodError for bad options
   */
  async recognize(image: Uint8Array, options: ReadOptions = {}, cancellation?: Cancellation): Promise<OcrResult> {
    const resolved = resolveReadOptions(options)
    const pipeline = this.#settings.pipeline ?? PIPELINE_CONFIG
    const model = await this.#model(resolved.model)
    const page = await locateLetters(image, pipeline, cancellation)
    cancellation?.throwIfAborted()
    return readPage(page, model, resolved, pipeline, cancellation)
  }

  /**
   * Reads one image and renders the reading in `options.format` (JSON stays an object, the other
   * formats are text or PNG bytes).
   */
  async render(image: Uint8Array, options: ReadOptions = {}, cancellation?: Cancellation): Promise<{ rendered: Rendered, result: OcrResult }> {
    const resolved = resolveReadOptions(options)
    const result = await this.recognize(image, resolved, cancellation)
    cancellation?.throwIfAborted()
    const started = performance.now()
    const rendered = await renderResult(resolved.format, result, { image, system: ENGINE })
    if (resolved.format !== 'json') result.timingsMs.render = roundMs(performance.now() - started)
    return { rendered, result }
  }

  /** Frees every loaded model. */
  async close(): Promise<void> {
    const entries = [...this.#models.values()]
    this.#models.clear()
    await Promise.all(entries.map(async (e) => (await e).classifier.close()))
  }
}

/** Classifies the glyphs of a located page and assembles lines, words and characters. */
async function readPage(
  page: LocatedPage, model: LoadedModel, options: ResolvedReadOptions, config: PipelineConfig, cancellation?: Cancellation,
): Promise<OcrResult> {
  const { classifier, version } = model
  const timings: Record<string, number> = { ...page.timingsMs }
  let mark = performance.now()
  const glyphs = page.lines.flatMap((l) => l.words.flatMap((w) => w.glyphs)).filter((g) => g.kind === 'glyph')
  const inputs = glyphs.map((g) => normalizeGlyph(boundMaskSize(g.mask, config.glyphs.maxMaskSide)))
  timings.normalize = performance.now() - mark
  cancellation?.throwIfAborted()
  mark = performance.now()
  // The context step may reach as far down a character's candidates as alternatives are reported.
  const classified = await classifier.classify(inputs, MAX_ALTERNATIVES)
  timings.classify = performance.now() - mark
  cancellation?.throwIfAborted()
  mark = performance.now()

  const labels = classifier.card.classes
  const context: ContextOptions = options.context
    ? { ...config.context, swapLookalikes: true, lexicon: loadEnglishLexicon() }
    : { ...config.context, swapLookalikes: false }
  let next = 0
  const lines: LineResult[] = page.lines.map((line) => {
    const words: WordResult[] = line.words.map((word) => {
      const read = word.glyphs.map((g) => (g.kind === 'period' ? undefined : classified[next++]))
      const candidates: CharCandidates[] = read.map((c) =>
        c === undefined ? { candidates: [], fixed: '.' } : { candidates: c.top.map((r) => ({ text: r.label, confidence: r.probability })) },
      )
      const chosen = readWord(candidates, context).chars
      const chars: CharResult[] = word.glyphs.map((g, i) => {
        const c = read[i]
        if (c === undefined) return { text: '.', confidence: config.glyphs.periodConfidence, box: g.box, alternatives: [] }
        const index = labels.indexOf(chosen[i])
        return {
          text: chosen[i],
          confidence: round(index >= 0 ? c.probabilities[index] : 0),
          box: g.box,
          alternatives: c.top.slice(0, options.alternatives).map((r) => ({ text: r.label, confidence: round(r.probability) })),
        }
      })
      return { text: chars.map((c) => c.text).join(''), confidence: mean(chars.map((c) => c.confidence)), box: word.box, chars }
    })
    return { text: words.map((w) => w.text).join(' '), confidence: mean(words.map((w) => w.confidence)), box: line.box, words }
  })
  timings.context = performance.now() - mark
  for (const k of Object.keys(timings)) timings[k] = roundMs(timings[k])
  return {
    text: lines.map((l) => l.text).join('\n'),
    lines,
    image: { width: page.width, height: page.height },
    model: { name: classifier.name, version },
    timingsMs: timings,
  }
}

const round = (p: number): number => Math.round(p * 1e4) / 1e4
const roundMs = (ms: number): number => Math.round(ms * 100) / 100
const mean = (values: number[]): number => (values.length === 0 ? 0 : round(values.reduce((s, v) => s + v, 0) / values.length))
