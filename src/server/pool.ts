import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { ImageInputError } from '../pipeline/decode.js'
import type { ResolvedReadOptions } from '../reading/options.js'
import {
  OverloadedError,
  ReadAbandonedError,
  ReadTimeoutError,
  ShuttingDownError,
  type ReadControl,
  type ReadingService,
  type ServiceLoad,
  type ServiceReading,
} from './service.js'
import type { ReadOutcome, ReadTask, WorkerMessage, WorkerSettings } from './worker.js'

/** Sizes and limits of the pool. */
export interface PoolOptions {
  /** Worker threads, each with its own model session. */
  readonly workers: number
  /** Requests that may wait for a free worker; beyond that, {@link OverloadedError}. */
  readonly queueLimit: number
  /** onnxruntime threads per worker. */
  readonly intraOpNumThreads: number
  /** Largest upload in pixels, checked before decoding. */
  readonly maxInputPixels: number
  /** Longest side and most elongated shape, checked before decoding (the route checks them first too). */
  readonly maxImageSide?: number
  readonly maxAspectRatio?: number
  /** A request not done after this many milliseconds is answered with {@link ReadTimeoutError}. */
  readonly timeoutMs: number
  /**
   * A worker told to stop that has not reached a safe point after this many milliseconds (stuck
   * in one long native call) is replaced by a fresh one; default {@link DEFAULT_STUCK_AFTER_MS}.
   */
  readonly stuckAfterMs?: number
}

/** Longer than any stage of an ordinary reading, so a cancelled worker is normally back before it. */
export const DEFAULT_STUCK_AFTER_MS = 500

/** The worker module beside this one, with this module's own extension (`.js` built, `.ts` under a TypeScript loader). */
const WORKER_URL = new URL(`./worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url)

/** Threads alive at most per configured worker: one serving plus one finishing an abandoned reading. */
const MAX_THREADS_PER_WORKER = 2

/** A request from the moment it is accepted until it is answered. */
interface Job {
  readonly id: number
  readonly image: Uint8Array
  readonly options: ResolvedReadOptions
  /** Raised to stop the reading at its next safe point; shared with the worker. */
  readonly cancel: Int32Array
  readonly resolve: (reading: ServiceReading) => void
  readonly reject: (error: Error) => void
  settled: boolean
  timer?: NodeJS.Timeout
  unlisten?: () => void
}

/** A worker thread and what it is doing. */
interface PoolWorker {
  readonly thread: Worker
  ready: boolean
  /** The job it reads now; it may already be answered (timed out, abandoned) while the thread finishes its stage. */
  job?: Job
  /** Ends as soon as it is idle: it was replaced while it finished an abandoned reading. */
  retiring: boolean
}

/**
 * Reading on a pool of worker threads, off the event loop. Requests wait in a bounded FIFO queue;
 * image bytes are transferred to the worker, not copied. A worker is never stopped while it
 * reads (stopping a thread inside native code can abort the process): a request past its
 * deadline, or whose client went away, is answered at once (or dropped from the queue), and its
 * reading is told to stop at the next safe point between stages. A worker that does not get
 * there soon (one long native call) is replaced by a fresh one so that the next request is served
 * on time, and ends when it comes back.
 */
export class WorkerPool implements ReadingService {
  readonly #options: PoolOptions
  readonly #settings: WorkerSettings
  readonly #workers = new Set<PoolWorker>()
  readonly #queue: Job[] = []
  #nextId = 1
  #ready = false
  #closed = false
  #warm: Promise<void>
  #idleWaiters: Array<() => void> = []

  constructor(options: PoolOptions) {
    this.#options = options
    this.#settings = {
      intraOpNumThreads: options.intraOpNumThreads,
      maxInputPixels: options.maxInputPixels,
      maxImageSide: options.maxImageSide,
      maxAspectRatio: options.maxAspectRatio,
    }
    const started = Array.from({ length: options.workers }, () => this.#spawn())
    this.#warm = Promise.all(started).then(() => undefined)
  }

  read(image: Uint8Array, options: ResolvedReadOptions, control: ReadControl = {}): Promise<ServiceReading> {
    if (this.#closed) return Promise.reject(new ShuttingDownError())
    if (this.#inFlight() >= this.#options.workers + this.#options.queueLimit) return Promise.reject(new OverloadedError())
    if (control.signal?.aborted) return Promise.reject(new ReadAbandonedError())
    return new Promise<ServiceReading>((resolve, reject) => {
      const job: Job = {
        id: this.#nextId++,
        image: transferable(image),
        options,
        cancel: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)),
        resolve,
        reject,
        settled: false,
      }
      const timeoutMs = control.timeoutMs ?? this.#options.timeoutMs
      job.timer = setTimeout(() => this.#abandon(job, new ReadTimeoutError(timeoutMs)), timeoutMs)
      const signal = control.signal
      if (signal) {
        const onAbort = (): void => this.#abandon(job, new ReadAbandonedError())
        signal.addEventListener('abort', onAbort, { once: true })
        job.unlisten = () => signal.removeEventListener('abort', onAbort)
      }
      this.#queue.push(job)
      this.#dispatch()
    })
  }

  async warmUp(): Promise<void> {
    await this.#warm
    this.#ready = true
  }

  get ready(): boolean {
    return this.#ready && !this.#closed
  }

  load(): ServiceLoad {
    const { workers, queueLimit } = this.#options
    const inFlight = this.#inFlight()
    return {
      queued: this.#queue.length,
      running: inFlight - this.#queue.length,
      saturated: inFlight >= workers + queueLimit,
      workers: this.#workers.size,
    }
  }

  async close(graceMs = Number.POSITIVE_INFINITY): Promise<void> {
    this.#ready = false
    if (this.#inFlight() > 0) {
      let timer: NodeJS.Timeout | undefined
      const graceOver = new Promise<void>((resolve) => {
        if (Number.isFinite(graceMs)) timer = setTimeout(resolve, graceMs)
      })
      await Promise.race([new Promise<void>((resolve) => this.#idleWaiters.push(resolve)), graceOver])
      clearTimeout(timer)
    }
    this.#closed = true
    for (const job of this.#queue.splice(0)) this.#settle(job, new ShuttingDownError())
    for (const worker of this.#workers) {
      if (worker.job) {
        this.#cancel(worker.job, new ShuttingDownError())
        worker.retiring = true
      } else this.#end(worker)
    }
  }

  /** Requests accepted and not yet answered: queued, plus running ones still waited for. */
  #inFlight(): number {
    let running = 0
    for (const worker of this.#workers) if (worker.job && !worker.job.settled) running++
    return this.#queue.length + running
  }

  /** Starts a worker; resolves when its model is loaded. */
  #spawn(): Promise<void> {
    const thread = new Worker(WORKER_URL, { workerData: this.#settings })
    const worker: PoolWorker = { thread, ready: false, retiring: false }
    this.#workers.add(worker)
    return new Promise<void>((resolve) => {
      thread.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') {
          worker.ready = true
          resolve()
        } else this.#finished(worker, message.id, message.outcome)
        this.#dispatch()
      })
      thread.on('error', (error) => {
        if (worker.job) this.#settle(worker.job, error)
        worker.job = undefined
      })
      thread.on('exit', () => {
        this.#workers.delete(worker)
        if (worker.job) this.#settle(worker.job, new Error('a reading worker stopped unexpectedly'))
        resolve()
        this.#topUp()
        this.#notifyIfIdle()
      })
    })
  }

  /** Hands queued jobs to idle workers, oldest first. */
  #dispatch(): void {
    for (const worker of this.#workers) {
      if (this.#queue.length === 0) break
      if (!worker.ready || worker.retiring || worker.job) continue
      const job = this.#queue.shift()!
      worker.job = job
      const task: ReadTask = { id: job.id, image: job.image, options: job.options, cancel: job.cancel }
      worker.thread.postMessage(task, [job.image.buffer as ArrayBuffer])
    }
    this.#notifyIfIdle()
  }

  #finished(worker: PoolWorker, id: number, outcome: ReadOutcome): void {
    const job = worker.job
    worker.job = undefined
    if (job?.id === id) {
      if (outcome.ok) this.#settle(job, undefined, { rendered: outcome.rendered, summary: outcome.summary })
      else if (outcome.error.kind === 'image') this.#settle(job, new ImageInputError(outcome.error.message, outcome.error.reason))
      else this.#settle(job, new Error(outcome.error.message))
    }
    if (worker.retiring || this.#closed) this.#end(worker)
  }

  /**
   * Answers a job that will not be waited for (deadline, client gone): dropped from the queue, or
   * told to stop at its next safe point, with a fresh worker in the busy one's place if it is stuck.
   */
  #abandon(job: Job, error: Error): void {
    if (job.settled) return
    const queued = this.#queue.indexOf(job)
    if (queued >= 0) {
      this.#queue.splice(queued, 1)
      this.#settle(job, error)
      return
    }
    this.#cancel(job, error)
    const worker = [...this.#workers].find((w) => w.job === job)
    if (worker === undefined) return
    const stuck = setTimeout(() => {
      if (worker.job !== job) return
      worker.retiring = true
      this.#topUp()
    }, this.#options.stuckAfterMs ?? DEFAULT_STUCK_AFTER_MS)
    stuck.unref()
  }

  /**
   * Starts workers until `workers` of them are serving, while the threads alive (those finishing
   * an abandoned reading included) stay within twice that, so that memory stays bounded however
   * many deadlines pass; a replacement held back by that bound starts when a busy one ends.
   */
  #topUp(): void {
    if (this.#closed) return
    const serving = [...this.#workers].filter((w) => !w.retiring).length
    const room = Math.min(this.#options.workers - serving, MAX_THREADS_PER_WORKER * this.#options.workers - this.#workers.size)
    for (let i = 0; i < room; i++) void this.#spawn()
  }

  #cancel(job: Job, error: Error): void {
    Atomics.store(job.cancel, 0, 1)
    this.#settle(job, error)
  }

  #settle(job: Job, error: Error | undefined, reading?: ServiceReading): void {
    if (job.settled) return
    job.settled = true
    clearTimeout(job.timer)
    job.unlisten?.()
    if (error) job.reject(error)
    else job.resolve(reading!)
    this.#notifyIfIdle()
  }

  /** Ends an idle worker; safe, because it runs no native code between tasks. */
  #end(worker: PoolWorker): void {
    worker.retiring = true
    void worker.thread.terminate()
  }

  #notifyIfIdle(): void {
    if (this.#idleWaiters.length === 0 || this.#inFlight() > 0) return
    for (const resolve of this.#idleWaiters.splice(0)) resolve()
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
