import type { FastifyInstance } from 'fastify'
import { ocrQuerySchema } from '../schemas.js'

/** `POST /ocr`: an image in, its text with boxes, confidences and alternatives out. */
export default async function ocrRoutes(app: FastifyInstance): Promise<void> {
  app.post('/ocr', async (request) => {
    const query = ocrQuerySchema.parse(request.query ?? {})
    const image = await request.readImage()
    const result = await app.recognition.recognize(image, { model: query.model, alternatives: query.alternatives, context: query.context })
    app.metrics?.recordRead(result)
    return result
  })
}
