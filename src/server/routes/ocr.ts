import type { FastifyInstance } from 'fastify'
import { OverloadedError } from '../recognition.js'
import { ocrQuerySchema } from '../schemas.js'

/** `POST /ocr`: an image in, its text with boxes, confidences and alternatives out. */
export default async function ocrRoutes(app: FastifyInstance): Promise<void> {
  app.post('/ocr', {
    // Turn a request away before its upload is read when it could only wait for a full queue.
    onRequest: async () => {
      if (app.recognition.load().saturated) throw new OverloadedError()
    },
  }, async (request) => {
    const query = ocrQuerySchema.parse(request.query ?? {})
    const image = await request.readImage()
    const result = await app.recognition.recognize(image, { model: query.model, alternatives: query.alternatives, context: query.context })
    app.metrics?.recordRead(result)
    return result
  })
}
