import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { ZodError } from 'zod'
import { ImageInputError, type ImageInputReason } from '../pipeline/decode.js'
import { HttpProblem, PROBLEM_CONTENT_TYPE, problemBody, type FieldError, type ProblemKind } from './problem.js'
import { OverloadedError, ReadAbandonedError, ReadTimeoutError, ShuttingDownError } from './service.js'

/** Seconds a client is asked to wait after a 503. */
export const RETRY_AFTER_SECONDS = 1

/** nginx's status for a request whose client went away before the answer. */
const CLIENT_CLOSED_STATUS = 499

const invalidQuery = (errors: FieldError[]): Mapped => ({
  kind: 'invalid-query',
  status: 400,
  detail: `Invalid query: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
  errors,
})

interface Mapped {
  kind: ProblemKind
  status: number
  detail: string
  errors?: readonly FieldError[]
  headers?: Record<string, string>
  limit?: string
}

/** The setting behind each image limit, named in the problem so that a client knows which one it hit. */
const IMAGE_LIMITS: Partial<Record<ImageInputReason, string>> = {
  'too-large': 'MAX_INPUT_PIXELS',
  'side-too-long': 'MAX_IMAGE_SIDE',
  'too-elongated': 'MAX_ASPECT_RATIO',
}

/** Fastify's own 4xx codes that map to a specific problem kind. */
const FASTIFY_CODES: Record<string, ProblemKind> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_REQ_FILE_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid-request',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported-media-type',
}

/** Maps any error to a problem: the one place where errors become responses. */
export function mapError(error: unknown): Mapped {
  if (error instanceof HttpProblem)
    return { kind: error.kind, status: error.status, detail: error.message, errors: error.extra.errors, headers: error.extra.headers }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((v) => {
      const keys = (v.params as { keys?: unknown }).keys
      const field = v.instancePath.replace(/^\//, '').replaceAll('/', '.') || (Array.isArray(keys) ? keys.join(', ') : 'query')
      return { field, message: v.message ?? 'invalid' }
    })
    return invalidQuery(errors)
  }
  if (error instanceof ZodError) {
    return invalidQuery(
      error.issues.map((i) => ({
        field: i.path.join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(', ') : 'query'),
        message: i.message,
      })),
    )
  }
  if (error instanceof ImageInputError) {
    const limit = IMAGE_LIMITS[error.reason]
    if (limit) return { kind: 'image-too-large', status: 413, detail: `${error.message.replace(/\.$/, '')} (${limit}).`, limit }
    if (error.reason === 'unsupported-format') return { kind: 'unsupported-media-type', status: 415, detail: error.message }
    if (error.reason === 'empty') return { kind: 'empty-image', status: 400, detail: error.message }
    return { kind: 'unreadable-image', status: 400, detail: error.message }
  }
  if (error instanceof OverloadedError)
    return { kind: 'overloaded', status: 503, detail: error.message, headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } }
  if (error instanceof ReadTimeoutError)
    return { kind: 'timeout', status: 503, detail: error.message, headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } }
  if (error instanceof ShuttingDownError)
    return { kind: 'unavailable', status: 503, detail: error.message, headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } }
  // Nobody reads this answer; the status (nginx's "client closed request") tells the logs and metrics why.
  if (error instanceof ReadAbandonedError) return { kind: 'client-closed', status: CLIENT_CLOSED_STATUS, detail: error.message }
  const fastifyError = error as Partial<FastifyError>
  const status = fastifyError.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const kind =
      FASTIFY_CODES[fastifyError.code ?? ''] ??
      (status === 413 ? 'body-too-large' : status === 415 ? 'unsupported-media-type' : 'invalid-request')
    return { kind, status, detail: fastifyError.message ?? 'The request is invalid.' }
  }
  return { kind: 'internal', status: 500, detail: 'Something went wrong on our side; the error was logged.' }
}

/** Sends a problem response. */
export function sendProblem(reply: FastifyReply, request: FastifyRequest, mapped: Mapped): FastifyReply {
  if (mapped.headers) reply.headers(mapped.headers)
  const body = problemBody(mapped.kind, mapped.status, mapped.detail, request.url, mapped.errors)
  return reply
    .code(mapped.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(mapped.limit ? { ...body, limit: mapped.limit } : body)
}

/** Registers the central error and not-found handlers. */
export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const mapped = mapError(error)
    if (mapped.kind === 'internal') request.log.error({ err: error }, 'request failed')
    else request.log.info({ problem: mapped.kind, status: mapped.status }, mapped.detail)
    return sendProblem(reply, request, mapped)
  })
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, request, { kind: 'not-found', status: 404, detail: `No route for ${request.method} ${request.url.split('?')[0]}.` }),
  )
}
