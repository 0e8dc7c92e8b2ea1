import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, { LogController, type FastifyInstance } from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import { PACKAGE_VERSION } from '../version.js'
import { registerErrorHandlers } from './error-handler.js'
import { openApiDocument } from './openapi.js'
import imageBody from './plugins/image-body.js'
import metrics from './plugins/metrics.js'
import healthRoutes from './routes/health.js'
import ocrRoutes from './routes/ocr.js'
import uiRoutes from './routes/ui.js'
import { DEFAULT_BODY_TIMEOUT_MS, DEFAULT_UPLOADS_IN_BODY_LIMITS, IMAGE_SHAPE_DEFAULTS, type ServiceConfig } from './config.js'
import type { ReadingSummary, ReadingService } from './service.js'
import { answerClientError } from './client-error.js'
import uploadGuard from './plugins/upload-guard.js'
import { PIPELINE_CONFIG } from '../pipeline/config.js'

/** What {@link buildApp} needs; the limits left out take their defaults (see `config.ts`). */
export interface AppOptions {
  readonly config: Pick<ServiceConfig, 'bodyLimitBytes' | 'trustProxy' | 'logLevel'> &
    Partial<Pick<ServiceConfig, 'maxInputPixels' | 'maxImageSide' | 'maxAspectRatio' | 'bodyTimeoutMs' | 'uploadsLimitBytes'>>
  readonly reading: ReadingService
  /** Pino logger options or false; defaults to JSON logs at `config.logLevel`. */
  readonly logger?: boolean | Record<string, unknown>
}

/** Header carrying the request id in and out. */
export const REQUEST_ID_HEADER = 'x-request-id'
/** Incoming request ids longer than this, or with other characters, are replaced. */
const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/

/**
 * Builds the HTTP app: plugins, routes, one central error handler. It does not listen; the
 * server entry point and the tests (`app.inject`) decide that.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? { level: options.config.logLevel },
    trustProxy: trustProxySetting(options.config.trustProxy),
    bodyLimit: options.config.bodyLimitBytes,
    requestIdHeader: false,
    genReqId: (request) => {
      const incoming = request.headers[REQUEST_ID_HEADER]
      return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : crypto.randomUUID()
    },
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    // Requests the HTTP parser refuses (bad framing, huge headers, a header stall) are problems too.
    clientErrorHandler: answerClientError,
    // While closing, new requests get the upload guard's 503 problem rather than fastify's own JSON.
    return503OnClosing: false,
  })
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.decorate('reading', options.reading)
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id)
  })
  // While closing, each answer closes its connection, so that keep-alive clients do not hold the
  // server open after the in-flight requests are done.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close')
    return payload
  })
  registerErrorHandlers(app)
  await app.register(metrics)
  const { config } = options
  await app.register(uploadGuard, {
    bodyLimitBytes: config.bodyLimitBytes,
    bodyTimeoutMs: config.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
    uploadsLimitBytes: config.uploadsLimitBytes ?? config.bodyLimitBytes * DEFAULT_UPLOADS_IN_BODY_LIMITS,
  })
  await app.register(imageBody, { bodyLimit: options.config.bodyLimitBytes })
  const document = openApiDocument(PACKAGE_VERSION)
  // The document is generated from the zod schemas; swagger serves it as it is and the UI browses it.
  await app.register(swagger, { mode: 'static', specification: { document: document as never } })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true } }, async () => document)
  await app.register(healthRoutes)
  await app.register(ocrRoutes, {
    limits: {
      maxInputPixels: config.maxInputPixels ?? PIPELINE_CONFIG.decode.maxInputPixels,
      maxImageSide: config.maxImageSide ?? IMAGE_SHAPE_DEFAULTS.maxImageSide,
      maxAspectRatio: config.maxAspectRatio ?? IMAGE_SHAPE_DEFAULTS.maxAspectRatio,
    },
  })
  await app.register(uiRoutes)
  return app
}

/** fastify takes a hop count as a function of the hop index. */
function trustProxySetting(value: boolean | number | string[]): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof value === 'number' ? (_address, hop) => hop < value : value
}

declare module 'fastify' {
  interface FastifyInstance {
    reading: ReadingService
    metrics?: { recordRead(summary: ReadingSummary): void }
  }
}
