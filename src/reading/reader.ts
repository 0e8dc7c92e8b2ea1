import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { loadClassifier, type GlyphClassification, type GlyphClassifier } from '../classifier/model.js'
import { normalizeGlyph } from '../classifier/normalize-glyph.js'
import { DEFAULT_MODEL, MODELS_DIR, shippedModel, shippedModelNames } from '../classifier/registry.js'
import { caseFoldedEnsemble } from '../classifier/ensemble.js'
import { loadRejector, rejectorCardsFor, type GlyphRejector } from '../classifier/rejector.js'
import { renderResult, type Rendered } from '../formats/index.js'
import { PIPELINE_CONFIG, type PipelineConfig } from '../pipeline/config.js'
import { type Box, unionBoxes } from '../pipeline/image.js'
import { boundMaskSize } from '../pipeline/letters.js'
import { locateLetters, type LocatedPage } from '../pipeline/locate.js'
import { deskewedCentre } from '../pipeline/rows.js'
import { pageWordGapRules, splitPageWords } from '../pipeline/words.js'
import { ENGINE } from '../version.js'
import { readWord, type CharCandidates, type ContextOptions } from './context.js'
import {
  boundUnionSkips,
  isTextLine,
  judgedBySecondRejector,
  judgedGlyphProbability,
  nodeScores,
  searchCandidate,
} from './lattice-scores.js'
import { loadEnglishLexicon } from './lexicon.js'
import { MAX_ALTERNATIVES, resolveReadOptions, type ReadOptions, type ResolvedReadOptions } from './options.js'
import type { CharResult, LineResult, OcrResult, WordResult } from './result.js'
import { decodeLine, type DecodeSlot } from './line-decoder.js'
import { withoutTallMarks } from './mark-size.js'
import { caseBySize, consistentCase, lineMetrics, SIZE_CASED_LETTERS, type PlacedCharacter } from './letter-case.js'
import { caseFolded } from './case-folded-model.js'
import { loadCharLanguageModel } from './language-model-file.js'
import { LANGUAGE_MODEL_ALPHABET } from './note-text.js'
import { searchLine, type CharLanguageModel, type SearchLine, type SearchStep } from './search.js'

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
  /**
   * The character language model for the search (weighted by `search.lmWeight`) and for choosing
   * each character's reading by its neighbours when `context` is on (weighted by
   * `context.lmWeight`). By default the shipped one (`models/charlm.*`) for the configuration's
   * `languageModel` section. `context: false` gives the classifier's top reading of the same
   * candidates.
   */
  readonly languageModel?: CharLanguageModel<unknown>
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
  /** Loaded rejectors, by card path. */
  readonly #rejectors = new Map<string, Promise<GlyphRejector>>()
  /** Each model's rejectors, resolved once: which cards exist is looked up on disk, not per reading. */
  readonly #modelRejectors = new WeakMap<LoadedModel, Promise<Rejectors | undefined>>()
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
    await this.#loadRejectors(await this.#model(name))
    loadEnglishLexicon()
    const pipeline = this.#settings.pipeline ?? PIPELINE_CONFIG
    if (this.#settings.languageModel === undefined && usesLanguageModel(pipeline)) loadCharLanguageModel(pipeline.languageModel)
  }

  /**
   * The rejectors for a model (glyph-likeness for the search, `rejectorCardsFor`: the capitals one,
   * and for a model that reads lower case the one that learnt it), each loaded once; none when the
   * main card is not there.
   */
  #loadRejectors(model: LoadedModel): Promise<Rejectors | undefined> {
    let entry = this.#modelRejectors.get(model)
    if (!entry) {
      entry = this.#resolveRejectors(model)
      entry.catch(() => this.#modelRejectors.delete(model))
      this.#modelRejectors.set(model, entry)
    }
    return entry
  }

  async #resolveRejectors(model: LoadedModel): Promise<Rejectors | undefined> {
    const cards = rejectorCardsFor(model.classifier.card.classes)
    if (!existsSync(cards.main)) return undefined
    const [main, lowerCase] = await Promise.all([
      this.#loadRejector(cards.main),
      cards.lowerCase === undefined ? undefined : this.#loadRejector(cards.lowerCase),
    ])
    return { main, ...(lowerCase !== undefined ? { lowerCase } : {}) }
  }

  #loadRejector(cardPath: string): Promise<GlyphRejector> {
    let entry = this.#rejectors.get(cardPath)
    if (!entry) {
      entry = loadRejector(cardPath, { intraOpNumThreads: this.#settings.intraOpNumThreads })
      entry.catch(() => this.#rejectors.delete(cardPath))
      this.#rejectors.set(cardPath, entry)
    }
    return entry
  }

  #model(name: string): Promise<LoadedModel> {
    let entry = this.#models.get(name)
    if (!entry) {
      const shipped = shippedModel(name)
      const options = { intraOpNumThreads: this.#settings.intraOpNumThreads }
      entry = (async (): Promise<LoadedModel> => {
        const main = await loadClassifier(shipped.cardPath, options)
        const hash = createHash('sha256').update(readFileSync(join(dirname(shipped.cardPath), main.card.file)))
        const companion = shipped.foldedCompanion
        if (companion === undefined) return { classifier: main, version: hash.digest('hex').slice(0, 12) }
        const folded = await loadClassifier(shippedModel(companion.name).cardPath, options)
        hash.update(readFileSync(join(MODELS_DIR, folded.card.file)))
        return { classifier: caseFoldedEnsemble(name, main, folded, companion.weight), version: hash.digest('hex').slice(0, 12) }
      })()
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
    const rejectors = pipeline.search.glyphWeight > 0 ? await this.#loadRejectors(model) : undefined
    // The shipped model holds capitals, digits and spaces; folded, it reads any classifier's labels.
    const languageModel =
      this.#settings.languageModel ??
      (usesLanguageModel(pipeline)
        ? caseFolded(loadCharLanguageModel(pipeline.languageModel), LANGUAGE_MODEL_ALPHABET, pipeline.context)
        : undefined)
    return readPage(page, model, rejectors, languageModel, resolved, pipeline, cancellation)
  }

  /**
   * Reads one image and renders the reading in `options.format` (JSON stays an object, the other
   * formats are text or PNG bytes).
   */
  async render(
    image: Uint8Array,
    options: ReadOptions = {},
    cancellation?: Cancellation,
  ): Promise<{ rendered: Rendered; result: OcrResult }> {
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
    const rejectors = [...this.#rejectors.values()]
    this.#rejectors.clear()
    await Promise.all([...entries.map(async (e) => (await e).classifier.close()), ...rejectors.map(async (r) => (await r).close())])
  }
}

/** The rejectors a reading uses: `main` judges every crop, `lowerCase` the letters `main` never learnt. */
interface Rejectors {
  readonly main: GlyphRejector
  readonly lowerCase?: GlyphRejector
}

/** A candidate on the search's path: its box, and its classification unless it was passed over as not a character. */
interface ChosenGlyph {
  readonly box: Box
  readonly classification: GlyphClassification | undefined
}

/**
 * Reads a located page: normalises every candidate character of every line's lattice,
 * classifies them all in one batched onnxruntime run (and scores them with the rejector in
 * another), chooses each line's characters by the search (`search.ts`), splits words by the
 * gaps of what was chosen, and assembles lines, words and characters with context.
 */
async function readPage(
  page: LocatedPage,
  model: LoadedModel,
  rejectors: Rejectors | undefined,
  languageModel: CharLanguageModel<unknown> | undefined,
  options: ResolvedReadOptions,
  config: PipelineConfig,
  cancellation?: Cancellation,
): Promise<OcrResult> {
  const { classifier, version } = model
  const timings: Record<string, number> = { ...page.timingsMs }
  let mark = performance.now()
  const lap = (stage: string): void => {
    const now = performance.now()
    timings[stage] = now - mark
    mark = now
  }
  const candidates = page.lines.flatMap((l) => l.candidates)
  const inputs = candidates.map((c) => normalizeGlyph(boundMaskSize(c.mask, config.glyphs.maxMaskSide)))
  lap('normalize')
  cancellation?.throwIfAborted()
  // Alternatives and the context step reach as far down a character's readings as alternatives are reported.
  const raw = await classifier.classify(inputs, MAX_ALTERNATIVES)
  lap('classify')
  const rejector = rejectors?.main
  const glyphness = rejector !== undefined ? await rejector.characterProbabilities(inputs) : undefined
  // The crops read as the letters the main rejector never learnt are judged by the one that did.
  const lowerCaseGlyphness = rejectors?.lowerCase !== undefined ? await rejectors.lowerCase.characterProbabilities(inputs) : undefined
  if (rejector !== undefined) lap('reject')
  const searchUnlearnt =
    rejector !== undefined && lowerCaseGlyphness !== undefined ? judgedBySecondRejector(rejector.unlearnt) : rejector?.unlearnt
  cancellation?.throwIfAborted()

  const labels = classifier.card.classes
  // Where each line's candidates start in the page's one batch.
  const firstCandidate: number[] = []
  page.lines.reduce((offset, line) => (firstCandidate.push(offset), offset + line.candidates.length), 0)
  // What is read: the classifier's readings less the small marks a candidate is too tall to be
  // (the line's sizes are evidence, like the search's layout priors: the alternatives are these too).
  const sized = (classification: GlyphClassification, l: number, i: number): GlyphClassification =>
    withoutTallMarks(
      classification,
      labels,
      page.lines[l].candidates[i].mask.height / (page.lines[l].letterHeight * page.workingScale),
      config.marks,
      MAX_ALTERNATIVES,
    )
  const classified = page.lines.flatMap((line, l) => line.candidates.map((_, i) => sized(raw[firstCandidate[l] + i], l, i)))
  const latticeOf = (l: number): SearchLine => {
    const line = page.lines[l]
    const first = firstCandidate[l]
    const searchCandidates = line.candidates.map((c, i) => {
      const { u } = deskewedCentre(c.box, page.skew)
      const evidence = {
        ...c,
        probabilities: classified[first + i].probabilities,
        characterProbability: glyphness?.[first + i],
        unlearntCharacterProbability: lowerCaseGlyphness?.[first + i],
        cutFromInk: line.cutInkStrokes[c.from] > 0 || line.cutInkStrokes[c.to] > 0,
      }
      const alongLine = { left: u - c.box.width / 2, right: u + c.box.width / 2 }
      return searchCandidate(evidence, labels, line.letterHeight, alongLine, config.search, searchUnlearnt)
    })
    return {
      nodeCount: line.nodeCount,
      candidates: boundUnionSkips(
        searchCandidates,
        (i) => line.candidates[i].box.height >= config.search.freeHeightFraction * line.letterHeight,
      ),
      nodeScore: nodeScores(line.cutInkStrokes, config.search),
    }
  }
  const lattices = page.lines.map((_, l) => latticeOf(l))
  const chosenOf = (l: number, steps: readonly SearchStep[]): ChosenGlyph[] =>
    steps.map((step) => ({
      box: page.lines[l].candidates[step.candidate].box,
      classification: step.skipped ? undefined : classified[firstCandidate[l] + step.candidate],
    }))
  // First pass: the classifier, the rejector and the layout priors choose each line's characters.
  // A line that is not text is undefined: neither its characters nor its periods are read.
  const firstPass = (l: number): ChosenGlyph[] | undefined => {
    const { steps } = searchLine(lattices[l], { beamWidth: config.search.beamWidth })
    const read = steps.filter((step) => !step.skipped)
    // Judged as the search judged them: a letter the capitals rejector never learnt by the mixed-case one.
    const readGlyphness = read.map((step) => {
      const i = firstCandidate[l] + step.candidate
      const p = glyphness?.[i]
      return p === undefined
        ? 1
        : judgedGlyphProbability(
            p,
            classified[i].probabilities,
            labels,
            lowerCaseGlyphness?.[i] ?? config.search.unjudgedGlyphProbability,
            rejector?.unlearnt,
          )
    })
    return isTextLine(readGlyphness, steps.length - read.length, config.textLines) ? chosenOf(l, steps) : undefined
  }
  let chosenLines: Array<ChosenGlyph[] | undefined> = lattices.map((_, l) => firstPass(l))
  // Case (and comma or apostrophe) from where each character sits on its line, for the pairs the
  // model reads both of: its crop alone cannot tell "o" from "O".
  const caseFromLine = options.context && hasCasePairs(labels)
  // A line written in block capitals is read again as capitals, where the classifier can say how
  // (a mixed-case model with a capitals model beside it): no small letter is then in the running.
  // Which model reads a line is the classifier's part, not context's, so it holds with context off.
  if (hasCasePairs(labels)) {
    chosenLines.forEach((chosen, l) => {
      const first = firstCandidate[l]
      const capitals = page.lines[l].candidates.map((_, i) => raw[first + i].capitals)
      if (chosen === undefined || capitals.some((c) => c === undefined) || !isWrittenInCapitals(chosen, page.skew, config)) return
      capitals.forEach((c, i) => (classified[first + i] = sized(c!, l, i)))
      lattices[l] = latticeOf(l)
      chosenLines[l] = firstPass(l)
    })
  }

  // Word breaks by the gaps of what was chosen and the periods. What the search passed over (a
  // dash in a date) keeps its place between its neighbours, then is left out.
  type Item = { box: Box; glyph?: ChosenGlyph }
  const itemsOf = (chosen: ReadonlyArray<ChosenGlyph[] | undefined>): Item[][] =>
    chosen.map((glyphs, l) =>
      glyphs === undefined
        ? []
        : [...glyphs.map((glyph) => ({ box: glyph.box, glyph })), ...page.lines[l].periods.map((box) => ({ box }))].sort(
            (a, b) => deskewedCentre(a.box, page.skew).u - deskewedCentre(b.box, page.skew).u,
          ),
    )
  let items = itemsOf(chosenLines)
  const isLetterItem = (l: number, i: number): boolean => items[l][i].glyph?.classification !== undefined
  const boxRows = (): Box[][] => items.map((line) => line.map((i) => i.box))
  if (options.context && languageModel !== undefined && config.search.lmWeight > 0) {
    // Second pass: the language model joins the search, so that what it reads can decide the
    // segmentation too (a W cut into "VV", two touching letters read as one), with a space
    // exactly where the first pass's gaps put a word break.
    const rules = pageWordGapRules(boxRows(), isLetterItem, page.skew, page.letterHeight, config.words)
    const searchOptions = {
      beamWidth: config.search.beamWidth,
      languageModel,
      lmWeight: config.search.lmWeight,
      lmCharBonus: config.search.lmCharBonus,
    }
    chosenLines = chosenLines.map((chosen, l) => {
      if (chosen === undefined) return undefined
      const spaceLogOdds = (gap: number): number => (rules[l](gap) ? Infinity : -Infinity)
      return chosenOf(l, searchLine(lattices[l], { ...searchOptions, spaceLogOdds }).steps)
    })
    items = itemsOf(chosenLines)
  }
  lap('search')
  const isRead = (item: Item): boolean => item.glyph === undefined || item.glyph.classification !== undefined
  const wordRanges = splitPageWords(boxRows(), isLetterItem, page.skew, page.letterHeight, config.words)

  const context: ContextOptions = options.context
    ? { ...config.context, swapLookalikes: true, lexicon: loadEnglishLexicon() }
    : { ...config.context, swapLookalikes: false }
  const decodeWithModel = options.context && languageModel !== undefined && config.context.lmWeight > 0
  const wordItemsOf = items.map((line, l) =>
    wordRanges[l].map(([start, end]) => line.slice(start, end).filter(isRead)).filter((word) => word.length > 0),
  )
  // Per line, per word, per character: the reading chosen with context (or the classifier's top one).
  const chosenTexts: string[][][] = wordItemsOf.map((wordItems) => {
    const decoded = decodeWithModel
      ? decodeLine(
          wordItems.map((word) =>
            word.map((item): DecodeSlot => {
              const c = item.glyph?.classification
              if (c === undefined) return { fixed: '.' }
              const readings = c.top.slice(0, config.context.swapTopK)
              return { readings: readings.map((r) => ({ text: r.label, logProb: logProbability(r.probability) })) }
            }),
          ),
          { languageModel, lmWeight: config.context.lmWeight, beamWidth: config.context.beamWidth },
        )
      : undefined
    return wordItems.map((word, w) => {
      const charCandidates: CharCandidates[] = word.map((item) => {
        const c = item.glyph?.classification
        return c === undefined
          ? { candidates: [], fixed: '.' }
          : { candidates: c.top.map((r) => ({ text: r.label, confidence: r.probability })) }
      })
      // After the language model, the lexicon may still correct a whole word it can spell from the candidates.
      return decoded
        ? readWord(charCandidates, { ...context, swapLookalikes: false }, decoded[w]).chars
        : readWord(charCandidates, context).chars
    })
  })
  if (caseFromLine) {
    const placed = wordItemsOf.map((wordItems, l) =>
      wordItems.flatMap((word, w) => word.map((item, i) => placedOnLine(chosenTexts[l][w][i], item.box, page.skew))),
    )
    placed.forEach((chars, l) => {
      const metrics = lineMetrics(chars, config.letterCase)
      let at = 0
      const sized = (): string => caseBySize(chars[at++], metrics, config.letterCase)
      chosenTexts[l] = chosenTexts[l].map((word) =>
        consistentCase(word.map(sized)).map((text, i) => (labels.includes(text) ? text : word[i])),
      )
    })
  }
  const lines: LineResult[] = wordItemsOf.flatMap((wordItems, l) => {
    const words: WordResult[] = wordItems.map((word, w) => {
      const chosen = chosenTexts[l][w]
      const chars: CharResult[] = word.map((item, i) => {
        const c = item.glyph?.classification
        if (c === undefined) return { text: '.', confidence: config.glyphs.periodConfidence, box: item.box, alternatives: [] }
        return {
          text: chosen[i],
          confidence: round(readingProbability(chosen[i], c.probabilities, labels, caseFromLine)),
          box: item.box,
          alternatives: c.top.slice(0, options.alternatives).map((r) => ({ text: r.label, confidence: round(r.probability) })),
        }
      })
      const box = unionBoxes(word.map((item) => item.box))
      return { text: chars.map((c) => c.text).join(''), confidence: mean(chars.map((c) => c.confidence)), box, chars }
    })
    if (words.length === 0) return []
    const box = unionBoxes(words.map((w) => w.box))
    return [{ text: words.map((w) => w.text).join(' '), confidence: mean(words.map((w) => w.confidence)), box, words }]
  })
  lap('context')
  for (const k of Object.keys(timings)) timings[k] = roundMs(timings[k])
  return {
    text: lines.map((l) => l.text).join('\n'),
    lines,
    image: { width: page.width, height: page.height },
    model: { name: classifier.name, version },
    timingsMs: timings,
  }
}

/** A character read as `text` in `box`, placed in its line's deskewed frame (for `letter-case.ts`). */
function placedOnLine(text: string, box: Box, skew: number): PlacedCharacter {
  const { u, v } = deskewedCentre(box, skew)
  return { text, top: v - box.height / 2, bottom: v + box.height / 2, u }
}

/** Whether the line's letters, as the search chose and read them, stand as block capitals do (`lineMetrics`). */
function isWrittenInCapitals(chosen: readonly ChosenGlyph[], skew: number, config: PipelineConfig): boolean {
  const placed = chosen.flatMap((glyph): PlacedCharacter[] => {
    const reading = glyph.classification?.top[0]?.label
    return reading === undefined ? [] : [placedOnLine(reading, glyph.box, skew)]
  })
  const metrics = lineMetrics(placed, config.letterCase)
  return metrics !== undefined && metrics.xHeight === undefined
}

/** Whether a classifier reads both cases of some letter whose case its crop alone cannot show. */
const hasCasePairs = (labels: readonly string[]): boolean =>
  [...SIZE_CASED_LETTERS].some((c) => labels.includes(c) && labels.includes(c.toUpperCase()))

/**
 * The classifier's probability of a reading; for a letter whose case the line decided, of both
 * its cases together (the pixels said which letter, the line which case).
 */
function readingProbability(text: string, probabilities: Float32Array, labels: readonly string[], caseFromLine: boolean): number {
  const p = (label: string): number => {
    const index = labels.indexOf(label)
    return index >= 0 ? probabilities[index] : 0
  }
  if (!caseFromLine || !SIZE_CASED_LETTERS.includes(text.toLowerCase())) return p(text)
  return p(text.toLowerCase()) + p(text.toUpperCase())
}

/** Whether a configuration reads with the character language model at all. */
const usesLanguageModel = (config: PipelineConfig): boolean => config.context.lmWeight > 0 || config.search.lmWeight > 0

/** A natural-log probability that stays finite for a reading the classifier gives (almost) nothing. */
const logProbability = (p: number): number => Math.log(Math.max(p, MIN_READING_PROBABILITY))
const MIN_READING_PROBABILITY = 1e-6

const round = (p: number): number => Math.round(p * 1e4) / 1e4
const roundMs = (ms: number): number => Math.round(ms * 100) / 100
const mean = (values: number[]): number => (values.length === 0 ? 0 : round(values.reduce((s, v) => s + v, 0) / values.length))
