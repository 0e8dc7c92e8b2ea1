import multipart from '@fastify/multipart'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Readable } from 'node:stream'
import fp from 'fastify-plugin'
import { BodyCollector, BodyLengthError, collectBody } from '../body-collector.js'
import { HttpProblem } from '../problem.js'

/** Image media types `POST /ocr` takes as a raw body. Anything sharp can decode is read whatever the label says. */
export const IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/tiff', 'image/gif', 'application/octet-stream'] as const
/** The multipart field that carries the image. */
export const IMAGE_FIELD = 'image'
/** Form fields (other than the image) a multipart request may carry; more is a malformed request. */
const MAX_FORM_FIELDS = 10

/** What the multipart plugin's limit errors mean for a client. */
const FORM_LIMIT_PROBLEMS: Record<string, string> = {
  FST_FIELDS_LIMIT: `The form has more than ${MAX_FORM_FIELDS} fields besides the "${IMAGE_FIELD}" file; send fewer.`,
  FST_PARTS_LIMIT: `The form has more than ${MAX_FORM_FIELDS + 2} parts; send the "${IMAGE_FIELD}" file and at most ${MAX_FORM_FIELDS} fields.`,
  FST_FILES_LIMIT: `Send exactly one file in the "${IMAGE_FIELD}" field; this request has more.`,
}

/**
 * Accepts an image as the raw request body (one of {@link IMAGE_MEDIA_TYPES}) or as the `image`
 * field of a `multipart/form-data` request, both within the body limit, and decorates requests
 * with `readImage()`.
 */
export default fp(
  async function imageBody(app: FastifyInstance, options: { bodyLimit: number }) {
    // No route takes JSON or text, so those bodies get a 415 like any other non-image.
    app.removeContentTypeParser(['application/json', 'text/plain'])
    // Gathered chunk by chunk into one buffer of the body's size (not fastify's buffer-and-concatenate),
    // so a 20 MB upload never holds the event loop for a 20 MB copy.
    app.addContentTypeParser(
      [...IMAGE_MEDIA_TYPES],
      { bodyLimit: options.bodyLimit },
      async (request: FastifyRequest, payload: Readable) => {
        const length = request.headers['content-length']
        return collectBody(payload, options.bodyLimit, length === undefined ? undefined : Number(length)).catch(bodyProblem)
      },
    )
    // files: 2 so that a second file is seen (and refused) rather than silently dropped.
    await app.register(multipart, {
      limits: { fileSize: options.bodyLimit, files: 2, fields: MAX_FORM_FIELDS, parts: MAX_FORM_FIELDS + 2 },
    })
    app.decorateRequest('readImage', async function readImage(this: FastifyRequest): Promise<Buffer> {
      return this.isMultipart() ? readMultipartImage(this, options.bodyLimit) : rawBody(this)
    })
  },
  { name: 'image-body' },
)

/** The collector's length errors as problems; any other error (a body deadline, a reset) as it is. */
function bodyProblem(error: unknown): never {
  if (error instanceof BodyLengthError) {
    throw error.kind === 'too-large'
      ? new HttpProblem('body-too-large', 413, error.message)
      : new HttpProblem('invalid-request', 400, error.message)
  }
  throw error
}

function rawBody(request: FastifyRequest): Buffer {
  const body = request.body
  if (body === undefined || body === null || (Buffer.isBuffer(body) && body.length === 0)) {
    throw new HttpProblem(
      'empty-image',
      400,
      `The request has no image: send it as the body (Content-Type ${IMAGE_MEDIA_TYPES.slice(0, 5).join(', ')}) or as the "${IMAGE_FIELD}" field of multipart/form-data.`,
    )
  }
  if (!Buffer.isBuffer(body)) throw new HttpProblem('invalid-request', 400, 'The request body is not an image.')
  return body
}

async function readMultipartImage(request: FastifyRequest, bodyLimit: number): Promise<Buffer> {
  try {
    return await collectImagePart(request, bodyLimit)
  } catch (error) {
    // Too many parts is a malformed form, not a body too large (the plugin's limit errors say 413).
    const limitProblem = FORM_LIMIT_PROBLEMS[(error as { code?: string }).code ?? '']
    if (limitProblem) throw new HttpProblem('invalid-request', 400, limitProblem)
    // Errors with a status (ours, a file over the size limit, a body deadline) keep it; the parser's
    // own errors (no boundary, a form cut short, garbage) are the client's malformed body.
    if (error instanceof HttpProblem || typeof (error as { statusCode?: unknown }).statusCode === 'number') throw error
    throw new HttpProblem('invalid-request', 400, `The multipart body is malformed: ${(error as Error).message}.`)
  }
}

async function collectImagePart(request: FastifyRequest, bodyLimit: number): Promise<Buffer> {
  let image: Buffer | undefined
  for await (const part of request.parts()) {
    if (part.type !== 'file') continue
    if (part.fieldname !== IMAGE_FIELD) {
      part.file.resume()
      throw new HttpProblem(
        'invalid-request',
        400,
        `Unexpected file field "${part.fieldname}": send the image in a field named "${IMAGE_FIELD}".`,
      )
    }
    if (image !== undefined) {
      part.file.resume()
      throw new HttpProblem('invalid-request', 400, `Send exactly one file in the "${IMAGE_FIELD}" field; this request has more.`)
    }
    image = await collectFile(part.file, bodyLimit, Number(request.headers['content-length']) || 0)
  }
  if (image === undefined) throw new HttpProblem('invalid-request', 400, `The multipart request has no "${IMAGE_FIELD}" file field.`)
  if (image.length === 0) throw new HttpProblem('empty-image', 400, `The "${IMAGE_FIELD}" file is empty.`)
  return image
}

/**
 * A multipart file's bytes, gathered as they arrive like a raw body's (the plugin's `toBuffer()`
 * buffers the chunks and concatenates them at the end). A file cut at the size limit is a 413.
 */
async function collectFile(
  file: AsyncIterable<Buffer> & { readonly truncated: boolean },
  bodyLimit: number,
  announcedBytes: number,
): Promise<Buffer> {
  // The file is at most the whole body: the buffer starts at that size and shrinks to the file.
  const collector = new BodyCollector(bodyLimit, announcedBytes)
  await collector.prepare()
  let fits = true
  for await (const chunk of file) {
    fits = collector.push(chunk) && !file.truncated
    if (!fits) break
  }
  if (!fits || file.truncated)
    throw new HttpProblem('body-too-large', 413, `The "${IMAGE_FIELD}" file is larger than the limit of ${bodyLimit} bytes.`)
  return collector.finish()
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The uploaded image bytes, from the raw body or the multipart `image` field. */
    readImage(): Promise<Buffer>
  }
}
