import type { Rendered } from '../formats/index.js'
import type { ResolvedReadOptions } from '../reading/options.js'

/**
 * The service boundary: what the HTTP layer needs from reading. The server reads on a pool of
 * worker threads (`WorkerPool`); the tests can put an in-process service behind the same
 * interface.
 */

/** Load figures of a reading service, for `/readyz` and `/metrics`. */
export interface ServiceLoad {
  /** Requests waiting for a worker. */
  readonly queued: number
  /** Requests being read now. */
  readonly running: number
  /** Whether a new request would be turned away. */
  readonly saturated: boolean
  /** Worker threads alive now, those finishing an abandoned reading included. */
  readonly workers: number
}

/** What the metrics count of one reading. */
export interface ReadingSummary {
  /** Characters read (periods included). */
  readonly characters: number
  /** Milliseconds per stage, rendering included. */
  readonly timingsMs: Readonly<Record<string, number>>
}

/** One reading, rendered in the format asked for. */
export interface ServiceReading {
  readonly rendered: Rendered
  readonly summary: ReadingSummary
}

/** Per-request controls of {@link ReadingService.read}. */
export interface ReadControl {
  /** Abandon the request (the client went away): a queued one is dropped, a running one stops at its next safe point. */
  readonly signal?: AbortSignal
  /** Overrides the service's time limit for this request. */
  readonly timeoutMs?: number
}

/** Reads images; see {@link ServiceLoad} for what it reports. */
export interface ReadingService {
  /**
   * Reads one image and renders it. The bytes may be transferred to another thread: do not use
   * `image` afterwards.
   *
   * @throws OverloadedError when the queue is full; ReadTimeoutError past the time limit;
   *   ReadAbandonedError when `signal` aborted it; ImageInputError for a bad image
   */
  read(image: Uint8Array, options: ResolvedReadOptions, control?: ReadControl): Promise<ServiceReading>
  /** Loads the models; resolves when the service can read. */
  warmUp(): Promise<void>
  readonly ready: boolean
  load(): ServiceLoad
  /**
   * Stops: waits for the readings in flight, or after `graceMs` answers them with
   * {@link ShuttingDownError}, then ends the workers.
   */
  close(graceMs?: number): Promise<void>
}

/** Thrown when no more requests can wait. */
export class OverloadedError extends Error {
  constructor(message = 'Every worker is busy and the queue is full.') {
    super(message)
    this.name = 'OverloadedError'
  }
}

/** Thrown when a request ran past its time limit. */
export class ReadTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Reading the image took longer than ${timeoutMs} ms.`)
    this.name = 'ReadTimeoutError'
  }
}

/** Thrown for a reading whose client went away. */
export class ReadAbandonedError extends Error {
  constructor() {
    super('The client went away before the reading was done.')
    this.name = 'ReadAbandonedError'
  }
}

/** Thrown for readings still in flight when a shutdown's grace ran out. */
export class ShuttingDownError extends Error {
  constructor() {
    super('The service is shutting down; the reading was not finished in time.')
    this.name = 'ShuttingDownError'
  }
}

/** Characters in a reading, for {@link ReadingSummary}. */
export function countCharacters(lines: ReadonlyArray<{ readonly words: ReadonlyArray<{ readonly chars: readonly unknown[] }> }>): number {
  return lines.reduce((n, l) => n + l.words.reduce((m, w) => m + w.chars.length, 0), 0)
}
