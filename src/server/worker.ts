import sharp from 'sharp'
import { workerData } from 'piscina'
import { PIPELINE_CONFIG } from '../pipeline/config.js'
import { ImageInputError } from '../pipeline/decode.js'
import { Recognizer, type OcrResult, type RecognizeOptions } from '../recognize.js'
import { loadEnglishLexicon } from '../text/lexicon.js'

/**
 * A recognition worker thread: one Recognizer (its own onnxruntime session) per thread, sharp on
 * a single libvips thread, so that N workers use about N cores.
 */

/** What the pool sends: the image bytes (transferred, not copied) and the options. */
export interface RecognitionTask {
  readonly image: Uint8Array
  readonly options: RecognizeOptions
}

/** What comes back. Errors travel as data, because an Error's class does not cross threads. */
export type RecognitionOutcome =
  | { readonly ok: true, readonly result: OcrResult }
  | { readonly ok: false, readonly error: { readonly kind: 'image', readonly reason: ImageInputError['reason'], readonly message: string } }

/** Settings the pool passes to every worker. */
export interface WorkerSettings {
  readonly intraOpNumThreads: number
  /** Uploads with more pixels are refused before decoding (`MAX_INPUT_PIXELS`). */
  readonly maxInputPixels: number
}

sharp.concurrency(1)
// Every upload is new: libvips' operation cache would only hold memory.
sharp.cache(false)
const settings = workerData as WorkerSettings
const recognizer = new Recognizer({
  intraOpNumThreads: settings.intraOpNumThreads,
  pipeline: { ...PIPELINE_CONFIG, decode: { ...PIPELINE_CONFIG.decode, maxInputPixels: settings.maxInputPixels } },
})
await recognizer.load()
loadEnglishLexicon()

export default async function recognizeTask(task: RecognitionTask): Promise<RecognitionOutcome> {
  try {
    return { ok: true, result: await recognizer.recognize(task.image, task.options) }
  } catch (error) {
    if (error instanceof ImageInputError) return { ok: false, error: { kind: 'image', reason: error.reason, message: error.message } }
    throw error
  }
}
