import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { ReadingSummary } from '../service.js'

/** Stage latency buckets in seconds: from a millisecond to ten seconds. */
const STAGE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/**
 * Prometheus metrics at `GET /metrics`: requests by route and status, request latency, latency
 * per pipeline stage, queue depth, running requests, uploads being received, images and characters read, and Node's
 * process metrics. Each app has its own registry, so tests can build many apps.
 */
export default fp(
  async function metrics(app: FastifyInstance) {
    const registry = new Registry()
    collectDefaultMetrics({ register: registry, prefix: 'scrawl_' })
    const requests = new Counter({
      name: 'scrawl_http_requests_total',
      help: 'HTTP requests by route, method and status.',
      labelNames: ['route', 'method', 'status'],
      registers: [registry],
    })
    const duration = new Histogram({
      name: 'scrawl_http_request_duration_seconds',
      help: 'HTTP request latency by route.',
      labelNames: ['route'],
      buckets: STAGE_BUCKETS,
      registers: [registry],
    })
    const stages = new Histogram({
      name: 'scrawl_stage_duration_seconds',
      help: 'Time per pipeline stage for each image read.',
      labelNames: ['stage'],
      buckets: STAGE_BUCKETS,
      registers: [registry],
    })
    const images = new Counter({ name: 'scrawl_images_read_total', help: 'Images read successfully.', registers: [registry] })
    const characters = new Counter({
      name: 'scrawl_characters_read_total',
      help: 'Characters read (periods included).',
      registers: [registry],
    })
    new Gauge({
      name: 'scrawl_queue_depth',
      help: 'Requests waiting for a reading worker.',
      registers: [registry],
      collect() {
        this.set(app.reading.load().queued)
      },
    })
    new Gauge({
      name: 'scrawl_workers',
      help: 'Recognition worker threads alive.',
      registers: [registry],
      collect() {
        this.set(app.reading.load().workers)
      },
    })
    new Gauge({
      name: 'scrawl_requests_running',
      help: 'Requests being read by a worker now.',
      registers: [registry],
      collect() {
        this.set(app.reading.load().running)
      },
    })
    new Gauge({
      name: 'scrawl_uploads_receiving',
      help: 'Requests whose body is still arriving.',
      registers: [registry],
      collect() {
        this.set(app.uploads?.load().receiving ?? 0)
      },
    })
    new Gauge({
      name: 'scrawl_upload_bytes_receiving',
      help: 'Bytes announced by the bodies still arriving (Content-Length, or the body limit when chunked).',
      registers: [registry],
      collect() {
        this.set(app.uploads?.load().bytes ?? 0)
      },
    })

    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched'
      requests.inc({ route, method: request.method, status: String(reply.statusCode) })
      duration.observe({ route }, reply.elapsedTime / 1000)
    })
    app.decorate('metrics', {
      recordRead(summary: ReadingSummary) {
        images.inc()
        characters.inc(summary.characters)
        for (const [stage, ms] of Object.entries(summary.timingsMs)) stages.observe({ stage }, ms / 1000)
      },
    })
    app.get('/metrics', async (_request, reply) => {
      reply.type(registry.contentType)
      return registry.metrics()
    })
  },
  { name: 'metrics' },
)
