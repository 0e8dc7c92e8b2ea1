import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { RETRY_AFTER_SECONDS } from '../error-handler.js'
import { HttpProblem } from '../problem.js'

/** Bounds on receiving request bodies. */
export interface UploadGuardOptions {
  /** Largest body; one sent without a Content-Length is counted at this size. */
  readonly bodyLimitBytes: number
  /** Time from the headers to the body's last byte; past it, 408 and the connection is closed. */
  readonly bodyTimeoutMs: number
  /** Bytes of bodies (by Content-Length) being received at once; beyond it, 503 before reading. */
  readonly uploadsLimitBytes: number
}

/** Bodies being received now, for `/readyz` and `/metrics`. */
export interface UploadLoad {
  /** Requests whose body is still arriving. */
  readonly receiving: number
  /** Bytes they announced (Content-Length, or the body limit when chunked). */
  readonly bytes: number
  /** Whether a body of the largest size would be turned away now. */
  readonly saturated: boolean
}

/** A body being received: the bytes it holds of the bound, and how to stop it. */
interface Upload {
  readonly bytes: number
  /** Ends the upload with this problem (unless its body is in or its answer sent), then releases it. */
  stop(problem: HttpProblem): void
}

/**
 * Bounds what receiving uploads can cost: each body must arrive within `bodyTimeoutMs` (else 408,
 * connection closed), and the bodies being received at once may announce at most
 * `uploadsLimitBytes` (beyond it a request is answered 503 with `Retry-After` before its body is
 * read). Closing the app ends uploads still arriving with a 503, so a stalled client cannot hold a
 * shutdown for its grace period. Decorates the app with `uploads.load()`.
 */
export default fp(
  async function uploadGuard(app: FastifyInstance, options: UploadGuardOptions) {
    const receiving = new Set<Upload>()
    let reservedBytes = 0
    let closing = false
    const load = (): UploadLoad => ({
      receiving: receiving.size,
      bytes: reservedBytes,
      saturated: reservedBytes + options.bodyLimitBytes > options.uploadsLimitBytes,
    })
    app.decorate('uploads', { load })

    app.addHook('onRequest', async (request, reply) => {
      if (closing) {
        reply.header('connection', 'close')
        throw new HttpProblem('unavailable', 503, 'The server is shutting down; retry on another instance or after it restarts.', {
          headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
        })
      }
      const bytes = announcedBodyBytes(request, options.bodyLimitBytes)
      if (bytes === 0) return
      if (reservedBytes + bytes > options.uploadsLimitBytes) {
        // Closing saves reading a body that will not be used.
        reply.header('connection', 'close')
        throw new HttpProblem(
          'overloaded',
          503,
          `Uploads being received already fill the server's bound (${options.uploadsLimitBytes} bytes); retry later.`,
          { headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } },
        )
      }
      const upload = track(request, reply, bytes)
      receiving.add(upload)
      reservedBytes += bytes
    })

    // Uploads still arriving when the app closes are answered now: the server waits for no stalled client.
    app.addHook('preClose', async () => {
      closing = true
      for (const upload of receiving) {
        upload.stop(
          new HttpProblem('unavailable', 503, 'The server is shutting down; the upload was not finished in time.', {
            headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
          }),
        )
      }
    })

    function track(request: FastifyRequest, reply: FastifyReply, bytes: number): Upload {
      const raw = request.raw
      let released = false
      const release = (): void => {
        if (released) return
        released = true
        clearTimeout(timer)
        receiving.delete(upload)
        reservedBytes -= bytes
        raw.off('end', release)
        raw.off('close', release)
      }
      const upload: Upload = {
        bytes,
        stop(problem) {
          const received = raw.complete
          release()
          if (received || reply.sent) return
          reply.header('connection', 'close')
          // Whoever reads the body (the content parser, or multipart) fails with the problem, which the
          // error handler answers; before anyone reads it, it is answered here.
          if (raw.listenerCount('error') > 0) raw.emit('error', problem)
          else reply.send(problem)
        },
      }
      const timer = setTimeout(
        () =>
          upload.stop(
            new HttpProblem(
              'request-timeout',
              408,
              `The request body did not arrive within ${options.bodyTimeoutMs} ms; the connection is closed.`,
            ),
          ),
        options.bodyTimeoutMs,
      )
      timer.unref()
      raw.once('end', release)
      raw.once('close', release)
      reply.raw.once('finish', release)
      return upload
    }
  },
  { name: 'upload-guard' },
)

/**
 * Bytes a request's body will take: its Content-Length (at most the body limit, since more is
 * refused as soon as it is seen), the body limit when it is chunked, 0 when it has none.
 */
function announcedBodyBytes(request: FastifyRequest, bodyLimitBytes: number): number {
  const length = request.headers['content-length']
  if (length !== undefined) return Math.min(Number(length) || 0, bodyLimitBytes)
  return request.headers['transfer-encoding'] === undefined ? 0 : bodyLimitBytes
}

declare module 'fastify' {
  interface FastifyInstance {
    uploads?: { load(): UploadLoad }
  }
}
