import type { FastifyInstance } from 'fastify'
import { RETRY_AFTER_SECONDS, sendProblem } from '../error-handler.js'

/**
 * `GET /healthz`: the process answers. `GET /readyz`: models loaded and not overloaded: the
 * queue has room, and so has the bound on uploads being received.
 */
export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }))
  app.get('/readyz', async (request, reply) => {
    const load = app.reading.load()
    if (!app.reading.ready)
      return sendProblem(reply, request, {
        kind: 'unavailable',
        status: 503,
        detail: 'The models are still loading.',
        headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
      })
    if (load.saturated)
      return sendProblem(reply, request, {
        kind: 'overloaded',
        status: 503,
        detail: 'Every worker is busy and the queue is full.',
        headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
      })
    const uploads = app.uploads?.load()
    if (uploads?.saturated)
      return sendProblem(reply, request, {
        kind: 'overloaded',
        status: 503,
        detail: "Uploads being received fill the server's bound.",
        headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
      })
    return { status: 'ready', ...load, ...(uploads ? { uploadsReceiving: uploads.receiving } : {}) }
  })
}
