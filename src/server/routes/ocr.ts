import type { FastifyInstance } from 'fastify'
import { readImageHeader, type DecodeOptions } from '../../pipeline/decode.js'
import { renderResult } from '../formats/index.js'
import { HttpProblem } from '../problem.js'
import { OverloadedError } from '../recognition.js'
import { ocrQuerySchema } from '../schemas.js'

/** What the route needs from the app. */
export interface OcrRouteOptions {
  /** Engine name and version, e.g. `scrawl 0.1.0`, named in the hOCR answer. */
  readonly system: string
  /** Limits checked from the image header on this thread, before a worker is taken. */
  readonly limits: Pick<DecodeOptions, 'maxInputPixels' | 'maxImageSide' | 'maxAspectRatio'>
}

/** Methods that have no meaning on `/ocr` (HEAD comes with GET). */
const OTHER_METHODS = ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const

/**
 * `POST /ocr`: an image in, its text with boxes, confidences and alternatives out, as JSON or in
 * the format the `format` query names. Any other method is a 405 naming POST.
 */
export default async function ocrRoutes(app: FastifyInstance, options: OcrRouteOptions): Promise<void> {
  app.post('/ocr', {
    // Turn a request away before its upload is read when it could only wait for a full queue.
    onRequest: async () => {
      if (app.recognition.load().saturated) throw new OverloadedError()
    },
  }, async (request, reply) => {
    const query = ocrQuerySchema.parse(request.query ?? {})
    const image = await request.readImage()
    // Format and shape come from the header alone: a refused image never takes a worker.
    await readImageHeader(image, options.limits)
    // The bytes move to a worker thread; the picture format draws on them afterwards, so it sends a copy.
    const upload = query.format === 'png' ? new Uint8Array(image) : image
    const result = await app.recognition.recognize(upload, { model: query.model, alternatives: query.alternatives, context: query.context })
    app.metrics?.recordRead(result)
    const { contentType, body } = await renderResult(query.format, result, { image, system: options.system })
    return reply.type(contentType).send(body)
  })
  app.route({
    method: [...OTHER_METHODS],
    url: '/ocr',
    schema: { hide: true },
    // Refused in onRequest, before any body is read.
    onRequest: async (request) => {
      throw new HttpProblem('method-not-allowed', 405, `${request.method} is not allowed on /ocr: POST the image.`, { headers: { allow: 'POST' } })
    },
    handler: async () => undefined,
  })
}
