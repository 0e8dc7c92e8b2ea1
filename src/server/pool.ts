import { Piscina } from 'piscina'
import { ImageInputError } from '../pipeline/decode.js'
import type { OcrResult, RecognizeOptions } from '../recognize.js'
import { OverloadedError, RecognitionTimeoutError, type RecognitionLoad, type RecognitionService } from './recognition.js'
import type { RecognitionOutcome, RecognitionTask, WorkerSettings } from './worker.js'

/** Sizes of the pool. */
export interface PoolOptions {
  /** Worker threads, each with its own model session. */
  readonly workers: number
  /** Requests that may wait for a free worker; beyond that, {@link OverloadedError}. */
  readonly queueLimit: number
  /** onnxruntime threads per worker. */
  readonly intraOpNumThreads: number
  /** Largest upload in pixels, checked before decoding. */
  readonly maxInputPixels: number
  /** A request running longer than this is abandoned (its worker is replaced) with {@link RecognitionTimeoutError}. */
  readonly timeoutMs: number
}

/**
 * Recognition on a pool of worker threads (piscina), off the event loop. The queue is bounded;
 * image bytes are transferred to the worker, not copied; a request past its deadline is aborted,
 * which terminates and replaces its worker so that the slot is freed.
 */
export class WorkerPoolRecognition implements RecognitionService {
  readonly #pool: Piscina<RecognitionTask, RecognitionOutcome>
  readonly #options: PoolOptions
  #ready = false
  /** Requests handed to the pool and not finished: running plus waiting. */
  #inFlight = 0
  /** Requests holding a worker. */
  #running = 0
  /**
   * Requests waiting for a worker, first come first served. They wait here rather than in piscina's
   * queue, which reorders tasks that carry an AbortSignal: under sustained load a waiting request
   * could be overtaken again and again until it ran past its time limit.
   */
  readonly #waiting: (() => void)[] = []

  constructor(options: PoolOptions) {
    this.#options = options
    const workerData: WorkerSettings = { intraOpNumThreads: options.intraOpNumThreads, maxInputPixels: options.maxInputPixels }
    this.#pool = new Piscina({
      filename: new URL('./worker.js', import.meta.url).href,
      minThreads: options.workers,
      maxThreads: options.workers,
      idleTimeout: Number.POSITIVE_INFINITY,
      workerData,
    })
  }

  async recognize(image: Uint8Array, options: RecognizeOptions, signal?: AbortSignal): Promise<OcrResult> {
    // The bound is kept here rather than by piscina's maxQueue, which does not hold under bursts.
    if (this.#inFlight >= this.#options.workers + this.#options.queueLimit) throw new OverloadedError()
    const owned = transferable(image)
    const deadline = AbortSignal.timeout(this.#options.timeoutMs)
    const abort = signal ? AbortSignal.any([deadline, signal]) : deadline
    this.#inFlight++
    try {
      await this.#workerFree(abort)
      try {
        const outcome = await this.#pool.run({ image: owned, options }, { transferList: [owned.buffer as ArrayBuffer], signal: abort })
        if (outcome.ok) return outcome.result
        throw new ImageInputError(outcome.error.message, outcome.error.reason)
      } finally {
        this.#running--
        this.#waiting.shift()?.()
      }
    } catch (error) {
      if (deadline.aborted) throw new RecognitionTimeoutError(this.#options.timeoutMs)
      throw error
    } finally {
      this.#inFlight--
    }
  }

  /** Resolves when this request may have a worker (in arrival order); rejects if `signal` aborts first. */
  #workerFree(signal: AbortSignal): Promise<void> {
    if (this.#running < this.#options.workers) {
      this.#running++
      return Promise.resolve()
    }
    return new Promise((resolve, reject) => {
      const take = (): void => {
        signal.removeEventListener('abort', giveUp)
        this.#running++
        resolve()
      }
      const giveUp = (): void => {
        this.#waiting.splice(this.#waiting.indexOf(take), 1)
        reject(signal.reason)
      }
      signal.addEventListener('abort', giveUp, { once: true })
      this.#waiting.push(take)
    })
  }

  async warmUp(): Promise<void> {
    // Each worker loads its model while its module starts; a ping per worker waits for all of them.
    await Promise.all(Array.from({ length: this.#options.workers }, () =>
      this.#pool.run({ image: new Uint8Array(0), options: {} }).catch(() => undefined)))
    this.#ready = true
  }

  get ready(): boolean {
    return this.#ready
  }

  load(): RecognitionLoad {
    const { workers, queueLimit } = this.#options
    return {
      queued: Math.max(0, this.#inFlight - workers),
      running: Math.min(this.#inFlight, workers),
      saturated: this.#inFlight >= workers + queueLimit,
      workers: this.#pool.threads.length,
    }
  }

  async close(): Promise<void> {
    this.#ready = false
    await this.#pool.close()
  }
}

/**
 * The bytes in an ArrayBuffer of their own, which can be moved to a worker without a copy. An
 * upload of more than a few kilobytes already is one; a view into a shared pool (small Node
 * Buffers) is copied, since moving it would detach memory others use.
 */
function transferable(image: Uint8Array): Uint8Array {
  const ownsBuffer = image.byteOffset === 0 && image.byteLength === image.buffer.byteLength && image.buffer instanceof ArrayBuffer
  return ownsBuffer ? image : new Uint8Array(image)
}
