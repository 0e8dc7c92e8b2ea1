import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { readImageHeader, type DecodeOptions } from '../../pipeline/decode.js'
import { ocrQuerySchema } from '../../reading/options.js'
import { ocrResultSchema } from '../../reading/result.js'
import { HttpProblem } from '../problem.js'
import { OverloadedError } from '../service.js'

/**
 * The 200 answer: the JSON reading, checked against its schema as it is serialised; text, hOCR and
 * PNG bodies are strings and bytes with their own media types, which fastify sends as they are.
 */
const answerSchema = z.union([ocrResultSchema, z.string(), z.custom<Buffer>((value) => Buffer.isBuffer(value))])

/** What the route needs from the app. */
export interface OcrRouteOptions {
  /** Limits checked from the image header on this thread, before a worker is taken. */
  readonly limits: Pick<DecodeOptions, 'maxInputPixels' | 'maxImageSide' | 'maxAspectRatio'>
}

/** Methods that have no meaning on `/ocr` (HEAD comes with GET). */
const OTHER_METHODS = ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const

/**
 * `POST /ocr`: an image in, its text with boxes, confidences and alternatives out, as JSON or in
 * the format the `format` query names. The query and the JSON answer are validated against their
 * schemas by the zod type provider; the worker renders every format, so the route only passes
 * bytes along. Any other method is a 405 naming POST.
 */
export default async function ocrRoutes(app: FastifyInstance, options: OcrRouteOptions): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/ocr',
    {
      schema: { querystring: ocrQuerySchema, response: { 200: answerSchema } },
      // Turn a request away before its upload is read when it could only wait for a full queue.
      onRequest: async () => {
        if (app.reading.load().saturated) throw new OverloadedError()
      },
    },
    async (request, reply) => {
      const image = await request.readImage()
      // Format and shape come from the header alone: a refused image never takes a worker.
      await readImageHeader(image, options.limits)
      // A client that goes away abandons its reading: dropped from the queue, or stopped at its next safe point.
      const gone = new AbortController()
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) gone.abort()
      })
      const { rendered, summary } = await app.reading.read(image, request.query, { signal: gone.signal })
      app.metrics?.recordRead(summary)
      const { body } = rendered
      return reply
        .type(rendered.contentType)
        .send(body instanceof Uint8Array ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : body)
    },
  )
  app.route({
    method: [...OTHER_METHODS],
    url: '/ocr',
    schema: { hide: true },
    // Refused in onRequest, before any body is read.
    onRequest: async (request) => {
      throw new HttpProblem('method-not-allowed', 405, `${request.method} is not allowed on /ocr: POST the image.`, {
        headers: { allow: 'POST' },
      })
    },
    handler: async () => undefined,
  })
}
