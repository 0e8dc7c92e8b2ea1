import { z } from 'zod'

/**
 * Errors as RFC 9457 problem details (`application/problem+json`): every error the service
 * answers has a `type`, `title`, `status` and `detail`, and never a stack trace.
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/** The kinds of problem the service reports; each has a stable type URI. */
export const PROBLEM_TYPES = {
  'invalid-query': 'A query parameter is invalid',
  'invalid-request': 'The request is invalid',
  'empty-image': 'The image is empty',
  'unreadable-image': 'The image cannot be decoded',
  'image-too-large': 'The image is too large',
  'body-too-large': 'The request body is too large',
  'request-header-too-large': 'The request headers are too large',
  'request-timeout': 'The request was not received in time',
  'unsupported-media-type': 'Unsupported media type',
  'not-found': 'Not found',
  'method-not-allowed': 'Method not allowed',
  overloaded: 'The service is overloaded',
  timeout: 'The request took too long',
  'client-closed': 'The client closed the request',
  unavailable: 'The service is not ready',
  internal: 'Internal error',
} as const

export type ProblemKind = keyof typeof PROBLEM_TYPES

/** One invalid field, for `invalid-query` problems. */
export interface FieldError {
  readonly field: string
  readonly message: string
}

/** The body of a problem response. */
export interface ProblemBody {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly instance?: string
  readonly errors?: readonly FieldError[]
  /** For a limit that was exceeded: the environment variable that sets it, e.g. `MAX_IMAGE_SIDE`. */
  readonly limit?: string
}

/** An error that the central error handler answers as a problem with its own status. */
export class HttpProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly status: number,
    detail: string,
    readonly extra: { errors?: readonly FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail)
    this.name = 'HttpProblem'
  }
}

/** The type URI of a problem kind. */
export const problemType = (kind: ProblemKind): string => `urn:scrawl:problem:${kind}`

/** Builds a problem body. */
export function problemBody(
  kind: ProblemKind,
  status: number,
  detail: string,
  instance?: string,
  errors?: readonly FieldError[],
): ProblemBody {
  return {
    type: problemType(kind),
    title: PROBLEM_TYPES[kind],
    status,
    detail,
    ...(instance ? { instance } : {}),
    ...(errors ? { errors } : {}),
  }
}

/** Every error body, for the OpenAPI document and the tests. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.enum(Object.values(PROBLEM_TYPES) as [string, ...string[]]),
  status: z.number().int().min(400).max(599),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  limit: z.string().optional().describe('For a limit that was exceeded: the environment variable that sets it.'),
})
