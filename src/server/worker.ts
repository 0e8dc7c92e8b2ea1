import { parentPort, workerData } from 'node:worker_threads'
import sharp from 'sharp'
import type { Rendered } from '../formats/index.js'
import { PIPELINE_CONFIG } from '../pipeline/config.js'
import { ImageInputError } from '../pipeline/decode.js'
import type { ResolvedReadOptions } from '../reading/options.js'
import { Reader, ReadCancelledError, type Cancellation } from '../reading/reader.js'
import { countCharacters, type ReadingSummary } from './service.js'

/**
 * A reading worker thread: one Reader (its own onnxruntime session) per thread, sharp on a single
 * libvips thread, so that N workers use about N cores. It reads one task at a time and renders
 * the format asked for, so the deadline and the queue bound cover all of the work. It is never
 * stopped while it reads: the pool raises the task's cancel flag and the reading stops at its
 * next safe point, between stages (stopping a thread inside onnxruntime or libvips can abort the
 * whole process).
 */

/** Settings the pool passes to every worker. */
export interface WorkerSettings {
  readonly intraOpNumThreads: number
  /** Uploads with more pixels are refused before decoding (`MAX_INPUT_PIXELS`). */
  readonly maxInputPixels: number
  /** Uploads with a longer side or a more elongated shape are refused before decoding (`MAX_IMAGE_SIDE`, `MAX_ASPECT_RATIO`). */
  readonly maxImageSide?: number
  readonly maxAspectRatio?: number
}

/** A task: the image bytes (transferred, not copied), the options, and the flag that cancels it. */
export interface ReadTask {
  readonly id: number
  readonly image: Uint8Array
  readonly options: ResolvedReadOptions
  /** One Int32 over shared memory; non-zero means stop at the next safe point. */
  readonly cancel: Int32Array
}

/** What comes back. Errors travel as data, because an Error's class does not cross threads. */
export type ReadOutcome =
  | { readonly ok: true; readonly rendered: Rendered; readonly summary: ReadingSummary }
  | { readonly ok: false; readonly error: { readonly kind: 'image'; readonly reason: ImageInputError['reason']; readonly message: string } }
  | { readonly ok: false; readonly error: { readonly kind: 'cancelled' | 'internal'; readonly message: string } }

/** Messages a worker sends. */
export type WorkerMessage = { readonly type: 'ready' } | { readonly type: 'done'; readonly id: number; readonly outcome: ReadOutcome }

const port = parentPort
if (port === null) throw new Error('worker.ts runs as a worker thread of the pool')

sharp.concurrency(1)
// Every upload is new: libvips' operation cache would only hold memory.
sharp.cache(false)
const settings = workerData as WorkerSettings
const reader = new Reader({
  intraOpNumThreads: settings.intraOpNumThreads,
  pipeline: {
    ...PIPELINE_CONFIG,
    decode: {
      ...PIPELINE_CONFIG.decode,
      maxInputPixels: settings.maxInputPixels,
      maxImageSide: settings.maxImageSide ?? PIPELINE_CONFIG.decode.maxImageSide,
      maxAspectRatio: settings.maxAspectRatio ?? PIPELINE_CONFIG.decode.maxAspectRatio,
    },
  },
})
await reader.load()
port.postMessage({ type: 'ready' } satisfies WorkerMessage)

port.on('message', (task: ReadTask) => {
  void read(task).then(({ outcome, transfer }) =>
    port.postMessage({ type: 'done', id: task.id, outcome } satisfies WorkerMessage, transfer),
  )
})

async function read(task: ReadTask): Promise<{ outcome: ReadOutcome; transfer: ArrayBuffer[] }> {
  const cancellation: Cancellation = {
    throwIfAborted() {
      if (Atomics.load(task.cancel, 0) !== 0) throw new ReadCancelledError()
    },
  }
  try {
    const { rendered, result } = await reader.render(task.image, task.options, cancellation)
    const summary = { characters: countCharacters(result.lines), timingsMs: result.timingsMs }
    if (rendered.format !== 'png') return { outcome: { ok: true, rendered, summary }, transfer: [] }
    const body = ownedBytes(rendered.body)
    return { outcome: { ok: true, rendered: { ...rendered, body }, summary }, transfer: [body.buffer as ArrayBuffer] }
  } catch (error) {
    if (error instanceof ImageInputError)
      return { outcome: { ok: false, error: { kind: 'image', reason: error.reason, message: error.message } }, transfer: [] }
    const kind = error instanceof ReadCancelledError ? 'cancelled' : 'internal'
    return {
      outcome: { ok: false, error: { kind, message: error instanceof Error ? (error.stack ?? error.message) : String(error) } },
      transfer: [],
    }
  }
}

/** The bytes in an ArrayBuffer of their own, which can be moved to the main thread without a copy. */
function ownedBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
    ? bytes
    : new Uint8Array(bytes)
}
