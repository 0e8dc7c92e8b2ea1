import type { OcrResult, RecognizeOptions } from '../recognize.js'
import { Recognizer } from '../recognize.js'

/** Load figures of a recognition service, for `/readyz` and `/metrics`. */
export interface RecognitionLoad {
  /** Requests waiting for a worker. */
  readonly queued: number
  /** Requests being read now. */
  readonly running: number
  /** Whether a new request would be turned away. */
  readonly saturated: boolean
  /** Worker threads alive now (a worker stopped at a deadline is replaced). */
  readonly workers: number
}

/**
 * What the HTTP layer needs from recognition: read an image, report load, close. The server
 * uses a worker-thread pool; tests and the CLI can read in-process.
 */
export interface RecognitionService {
  /**
   * Reads one image; rejects with `OverloadedError` when the queue is full, `RecognitionTimeoutError`
   * past the deadline. The bytes may be transferred to another thread: do not use `image` afterwards.
   */
  recognize(image: Uint8Array, options: RecognizeOptions, signal?: AbortSignal): Promise<OcrResult>
  /** Loads the default model; resolves when the service can read. */
  warmUp(): Promise<void>
  readonly ready: boolean
  load(): RecognitionLoad
  close(): Promise<void>
}

/** Thrown when no more requests can wait. */
export class OverloadedError extends Error {
  constructor(message = 'Every worker is busy and the queue is full.') {
    super(message)
    this.name = 'OverloadedError'
  }
}

/** Thrown when a request ran past its time limit. */
export class RecognitionTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Reading the image took longer than ${timeoutMs} ms.`)
    this.name = 'RecognitionTimeoutError'
  }
}

/** Recognition on the calling thread, one request at a time in arrival order. For tests and the CLI. */
export class InProcessRecognition implements RecognitionService {
  readonly #recognizer: Recognizer
  #ready = false
  #running = 0

  constructor(recognizer = new Recognizer()) {
    this.#recognizer = recognizer
  }

  async recognize(image: Uint8Array, options: RecognizeOptions): Promise<OcrResult> {
    this.#running++
    try {
      return await this.#recognizer.recognize(image, options)
    } finally {
      this.#running--
    }
  }

  async warmUp(): Promise<void> {
    await this.#recognizer.load()
    this.#ready = true
  }

  get ready(): boolean {
    return this.#ready
  }

  load(): RecognitionLoad {
    return { queued: 0, running: this.#running, saturated: false, workers: 0 }
  }

  async close(): Promise<void> {
    this.#ready = false
    await this.#recognizer.close()
  }
}
