import { z } from 'zod'
import { IMAGE_FIELD, IMAGE_MEDIA_TYPES } from './plugins/image-body.js'
import { PROBLEM_CONTENT_TYPE } from './problem.js'
import { ocrQuerySchema, ocrResponseSchema, problemSchema } from './schemas.js'

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>
  return rest
}

/**
 * The OpenAPI 3.1 document of the service, generated from the same zod schemas that validate
 * requests, so the two cannot drift apart.
 */
export function openApiDocument(version: string): Record<string, unknown> {
  const problem = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } } })
  const queryShape = ocrQuerySchema.shape
  const parameters = Object.entries(queryShape).map(([name, schema]) => ({
    name,
    in: 'query',
    required: false,
    description: schema.description,
    schema: jsonSchema(schema, 'input'),
  }))
  const binary = { schema: { type: 'string', format: 'binary' } }
  return {
    openapi: '3.1.0',
    info: {
      title: 'scrawl',
      version,
      description: 'Reads handwritten notes: POST a photo, get the text line by line and word by word, with a box and a confidence for every character, word and line.',
    },
    paths: {
      '/ocr': {
        post: {
          summary: 'Read a handwritten note',
          parameters,
          requestBody: {
            required: true,
            content: {
              ...Object.fromEntries(IMAGE_MEDIA_TYPES.map((t) => [t, binary])),
              'multipart/form-data': { schema: { type: 'object', required: [IMAGE_FIELD], properties: { [IMAGE_FIELD]: { type: 'string', format: 'binary' } } } },
            },
          },
          responses: {
            200: { description: 'The text with boxes, confidences and alternatives.', content: { 'application/json': { schema: { $ref: '#/components/schemas/OcrResult' } } } },
            400: problem('Bad query, empty body, or an image that cannot be decoded.'),
            413: problem('Body or image too large.'),
            415: problem('Unsupported media type.'),
            503: problem('Overloaded or too slow; retry after the Retry-After header.'),
          },
        },
      },
      '/healthz': { get: { summary: 'The process answers', responses: { 200: { description: 'Alive.' } } } },
      '/readyz': { get: { summary: 'Models loaded and not overloaded', responses: { 200: { description: 'Ready.' }, 503: problem('Not ready or overloaded.') } } },
    },
    components: { schemas: { OcrResult: jsonSchema(ocrResponseSchema), Problem: jsonSchema(problemSchema) } },
  }
}
