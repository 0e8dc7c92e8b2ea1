import { z } from 'zod'
import { FORMAT_CONTENT_TYPES } from '../formats/index.js'
import { readOptionsSchema } from '../reading/options.js'
import { ocrResultSchema } from '../reading/result.js'
import { IMAGE_FIELD, IMAGE_MEDIA_TYPES } from './plugins/image-body.js'
import { PROBLEM_CONTENT_TYPE, problemSchema } from './problem.js'

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>
  return rest
}

/** A media type without its parameters (`text/plain; charset=utf-8` → `text/plain`). */
const mediaType = (contentType: string): string => contentType.split(';')[0].trim()

/**
 * The OpenAPI 3.1 document of the service, generated from the same zod schemas that validate
 * requests and answers, so the two cannot drift apart. Query parameters are documented by what
 * they mean (types, limits, defaults of the read options); the web page reads its defaults and
 * limits from here.
 */
export function openApiDocument(version: string): Record<string, unknown> {
  const problem = (description: string) => ({
    description,
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
  })
  const parameters = Object.entries(readOptionsSchema.shape).map(([name, schema]) => ({
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
      description:
        'Reads handwritten notes: POST a photo, get the text line by line and word by word, with a box and a confidence for every character, word and line.',
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
              'multipart/form-data': {
                schema: { type: 'object', required: [IMAGE_FIELD], properties: { [IMAGE_FIELD]: { type: 'string', format: 'binary' } } },
              },
            },
          },
          responses: {
            200: {
              description:
                'The text with boxes, confidences and alternatives (`format=json`, the default); or the text alone (`format=text`), hOCR 1.2 (`format=hocr`), or the image with line, word and character boxes drawn (`format=png`).',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/OcrResult' } },
                [mediaType(FORMAT_CONTENT_TYPES.text)]: {
                  schema: { type: 'string', description: 'Lines joined by \\n, words by single spaces, ending with \\n.' },
                },
                [mediaType(FORMAT_CONTENT_TYPES.hocr)]: {
                  schema: {
                    type: 'string',
                    description:
                      'An hOCR 1.2 XHTML document: ocr_page, ocr_line, ocrx_word (bbox, x_wconf), ocrx_cinfo (x_bboxes, x_conf).',
                  },
                },
                [mediaType(FORMAT_CONTENT_TYPES.png)]: binary,
              },
            },
            400: problem('Bad query, empty body, malformed multipart, or an image that cannot be decoded.'),
            408: problem('The body did not arrive within BODY_TIMEOUT_MS; the connection is closed.'),
            413: problem('Body or image too large: `limit` names the setting (MAX_INPUT_PIXELS, MAX_IMAGE_SIDE, MAX_ASPECT_RATIO).'),
            415: problem('Unsupported media type, or HEIC/HEIF.'),
            503: problem('Overloaded (queue or uploads being received), too slow, or shutting down; retry after the Retry-After header.'),
          },
        },
      },
      '/healthz': { get: { summary: 'The process answers', responses: { 200: { description: 'Alive.' } } } },
      '/readyz': {
        get: {
          summary: 'Models loaded and not overloaded',
          responses: { 200: { description: 'Ready.' }, 503: problem('Not ready or overloaded.') },
        },
      },
    },
    components: { schemas: { OcrResult: jsonSchema(ocrResultSchema), Problem: jsonSchema(problemSchema) } },
  }
}
