import { dirname, join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { readModelCard, type ModelCard } from './card.js'
import { softmax, topK, type RankedLabel } from './scores.js'

/**
 * A glyph classifier: an ONNX model run by onnxruntime-node plus its model card. Input glyphs are
 * the 28×28 float images from `normalizeGlyph`; a whole batch goes through one session run.
 */

/** onnxruntime threads per operator when the caller does not say: one, so concurrent requests do not fight over cores. */
export const DEFAULT_INTRA_OP_THREADS = 1
/** How many ranked labels `classify` returns when not told. */
export const DEFAULT_TOP_K = 3

/** How to run the model. */
export interface ClassifierOptions {
  /** Threads onnxruntime may use inside one operator (passed to the session as `intraOpNumThreads`). */
  readonly intraOpNumThreads?: number
}

/** One glyph's result. */
export interface GlyphClassification {
  /** Probabilities in the card's class order (softmax of the logits). */
  readonly probabilities: Float32Array
  /** The most probable classes, best first. */
  readonly top: RankedLabel[]
  /**
   * The same glyph read as block capitals, over the same labels (capitals, digits and marks; no
   * small letters): given by a mixed-case classifier that has a capitals model beside it, for the
   * lines the reader finds written in capitals.
   */
  readonly capitals?: GlyphClassification
}

/** A loaded model. */
export interface GlyphClassifier {
  readonly name: string
  readonly card: ModelCard
  /** Raw model outputs (one row of logits per glyph), from one session run. */
  logits(glyphs: readonly Float32Array[]): Promise<Float32Array[]>
  /** Probabilities and the `k` best labels per glyph, from one session run. */
  classify(glyphs: readonly Float32Array[], k?: number): Promise<GlyphClassification[]>
  /** Frees the onnxruntime session. */
  close(): Promise<void>
}

/** Number of floats in one input glyph according to the card (1 × height × width). */
export function glyphInputLength(card: Pick<ModelCard, 'input'>): number {
  return card.input.shape[2] * card.input.shape[3]
}

/** What {@link openGlyphSession} needs from a card (a classifier's or a rejector's). */
export interface GlyphModelCard {
  readonly name: string
  readonly file: string
  readonly input: ModelCard['input']
  readonly output: { readonly name: string }
}

/**
 * Opens the ONNX file a card names (beside the card) with the service's session settings and checks
 * that the graph has the card's input and output.
 *
 * @param cardPath path of the card; the ONNX file is its `file`, in the same folder
 * @param options `intraOpNumThreads` defaults to {@link DEFAULT_INTRA_OP_THREADS}
 */
export async function openGlyphSession(
  cardPath: string,
  card: GlyphModelCard,
  options: ClassifierOptions = {},
): Promise<ort.InferenceSession> {
  const session = await ort.InferenceSession.create(join(dirname(cardPath), card.file), {
    intraOpNumThreads: options.intraOpNumThreads ?? DEFAULT_INTRA_OP_THREADS,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  })
  if (!session.inputNames.includes(card.input.name) || !session.outputNames.includes(card.output.name)) {
    throw new Error(
      `model ${card.name}: the ONNX graph has inputs ${session.inputNames.join(', ')} and outputs ${session.outputNames.join(', ')}, the card names ${card.input.name} and ${card.output.name}`,
    )
  }
  return session
}

/**
 * Packs normalised glyphs into one input tensor of shape (glyphs, 1, height, width) from the card.
 *
 * @throws RangeError when a glyph does not have height × width values
 */
export function glyphBatch(card: GlyphModelCard, glyphs: readonly Float32Array[]): ort.Tensor {
  const inputLength = glyphInputLength(card)
  const batch = new Float32Array(glyphs.length * inputLength)
  glyphs.forEach((glyph, i) => {
    if (glyph.length !== inputLength) throw new RangeError(`glyph ${i} has ${glyph.length} values, model ${card.name} takes ${inputLength}`)
    batch.set(glyph, i * inputLength)
  })
  return new ort.Tensor('float32', batch, [glyphs.length, 1, card.input.shape[2], card.input.shape[3]])
}

/**
 * Loads a model from its card; the ONNX file is the card's `file`, next to the card.
 *
 * @param cardPath path of `models/<name>.json`
 * @param options session settings; `intraOpNumThreads` defaults to {@link DEFAULT_INTRA_OP_THREADS}
 * @returns the classifier; throws when the card is invalid or the ONNX file cannot be loaded
 */
export async function loadClassifier(cardPath: string, options: ClassifierOptions = {}): Promise<GlyphClassifier> {
  const card = readModelCard(cardPath)
  const session = await openGlyphSession(cardPath, card, options)
  const classes = card.classes.length

  async function logits(glyphs: readonly Float32Array[]): Promise<Float32Array[]> {
    if (glyphs.length === 0) return []
    const output = (await session.run({ [card.input.name]: glyphBatch(card, glyphs) }))[card.output.name]
    const values = output.data as Float32Array
    if (values.length !== glyphs.length * classes)
      throw new Error(`model ${card.name} returned ${values.length} values for ${glyphs.length} glyphs × ${classes} classes`)
    return glyphs.map((_, i) => values.slice(i * classes, (i + 1) * classes))
  }

  async function classify(glyphs: readonly Float32Array[], k = DEFAULT_TOP_K): Promise<GlyphClassification[]> {
    return (await logits(glyphs)).map((row) => {
      const probabilities = softmax(row)
      return { probabilities, top: topK(probabilities, card.classes, k) }
    })
  }

  return { name: card.name, card, logits, classify, close: () => session.release() }
}
