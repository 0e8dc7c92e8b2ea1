import { randomFill } from 'node:crypto'
import type { Readable } from 'node:stream'
import { promisify } from 'node:util'

/** An ArrayBuffer that can grow and shrink in place up to its maximum (ES2024; Node 20 has it, the ES2022 lib types do not). */
interface GrowableArrayBuffer extends ArrayBuffer {
  resize(byteLength: number): void
}
const GrowableArrayBuffer = ArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => GrowableArrayBuffer

const fillRandom = promisify(randomFill)

/**
 * Touches every page of `view` from a libuv thread. Writing a fresh 20 MB buffer costs ~5000 page
 * faults; on a virtual machine they can cost far more than the copy itself (measured on the
 * project's 2-CPU VM: 80–300 ms against 2 ms for the same copy into touched memory), and taken on
 * the event loop they stall every other request. `crypto.randomFill` is the Node API that writes
 * a caller's buffer on the thread pool (reading `/dev/zero` into it was measured not to help: pages
 * written with zeros fault again on the first real write). The bytes are overwritten by the body;
 * the cost is the buffer's memory committed when the request announces it rather than as the
 * bytes arrive, which the bound on uploads being received (`UPLOADS_LIMIT_BYTES`) caps.
 */
function prefault(view: Uint8Array): Promise<unknown> {
  return view.length === 0 ? Promise.resolve() : fillRandom(view)
}

/**
 * Gathers a request body into one buffer as its chunks arrive, so that no step on the event loop
 * is bigger than a chunk: each chunk is copied once, into place, and can then be collected young.
 * (Buffering the chunks and concatenating them at the end copies the whole body in one step, ~20 MB
 * at once for a photo, and keeps every chunk alive until then.) The buffer is made at the size the
 * request announces, its pages touched off the event loop ({@link BodyCollector.prepare}); it grows
 * if the body is longer and shrinks to the body at the end, so the result is a Buffer over an
 * ArrayBuffer of exactly the body's length, which moves to a worker thread without a copy.
 */
export class BodyCollector {
  readonly #buffer: GrowableArrayBuffer
  readonly #maxBytes: number
  #length = 0

  /**
   * @param maxBytes the most bytes the body may have
   * @param expectedBytes the size announced (Content-Length), if any: the buffer starts at that size
   */
  constructor(maxBytes: number, expectedBytes = 0) {
    this.#maxBytes = maxBytes
    this.#buffer = new GrowableArrayBuffer(Math.min(expectedBytes, maxBytes), { maxByteLength: maxBytes })
  }

  /** Touches the pages of the buffer made so far off the event loop; call it before the first {@link push}. */
  prepare(): Promise<unknown> {
    return prefault(new Uint8Array(this.#buffer, 0, this.#buffer.byteLength))
  }

  /** Bytes gathered so far. */
  get length(): number {
    return this.#length
  }

  /**
   * Copies a chunk into place.
   *
   * @returns false, copying nothing, when the chunk would take the body past its maximum
   */
  push(chunk: Uint8Array): boolean {
    const end = this.#length + chunk.length
    if (end > this.#maxBytes) return false
    if (end > this.#buffer.byteLength) this.#buffer.resize(end)
    new Uint8Array(this.#buffer, this.#length, chunk.length).set(chunk)
    this.#length = end
    return true
  }

  /** The body: a Buffer over the whole of its own ArrayBuffer, shrunk to the bytes received. */
  finish(): Buffer {
    this.#buffer.resize(this.#length)
    return Buffer.from(this.#buffer)
  }
}

/** Errors {@link collectBody} reports, for the caller to turn into its own problems. */
export class BodyLengthError extends Error {
  constructor(
    readonly kind: 'too-large' | 'short',
    message: string,
  ) {
    super(message)
    this.name = 'BodyLengthError'
  }
}

/**
 * Reads a body stream to its end into one buffer with a {@link BodyCollector}.
 *
 * @param expectedBytes Content-Length when the request has one: a body that ends shorter is refused
 * @throws BodyLengthError `too-large` past `maxBytes`, `short` when it ends before `expectedBytes`;
 *   or the stream's own error (e.g. a body deadline)
 */
export function collectBody(stream: Readable, maxBytes: number, expectedBytes?: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (expectedBytes !== undefined && expectedBytes > maxBytes) {
      reject(new BodyLengthError('too-large', `The body has ${expectedBytes} bytes, more than the limit of ${maxBytes}.`))
      return
    }
    const collector = new BodyCollector(maxBytes, expectedBytes)
    let settled = false
    const settle = (error: Error | undefined, body?: Buffer): void => {
      if (settled) return
      settled = true
      stream.off('data', onData)
      stream.off('end', onEnd)
      stream.off('error', onError)
      if (error) reject(error)
      else resolve(body!)
    }
    const onData = (chunk: Buffer | string): void => {
      if (!collector.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)) {
        settle(new BodyLengthError('too-large', `The body is larger than the limit of ${maxBytes} bytes.`))
      }
    }
    const onEnd = (): void => {
      if (expectedBytes !== undefined && collector.length !== expectedBytes) {
        settle(
          new BodyLengthError(
            'short',
            `The body ended after ${collector.length} of the ${expectedBytes} bytes its Content-Length announced.`,
          ),
        )
      } else {
        settle(undefined, collector.finish())
      }
    }
    const onError = (error: Error): void => settle(error)
    // Errors (a body deadline, a reset) are heard while the buffer is prepared; the data waits in
    // the socket until then.
    stream.on('error', onError)
    stream.on('end', onEnd)
    collector.prepare().then(
      () => {
        if (settled) return
        if (stream.destroyed && !stream.readableEnded) {
          settle(new Error('The connection closed before the body was received.'))
          return
        }
        stream.on('data', onData)
        stream.resume()
      },
      (error: Error) => settle(error),
    )
  })
}
