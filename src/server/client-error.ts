import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { PROBLEM_CONTENT_TYPE, problemBody, type ProblemKind } from './problem.js'

/** What Node's HTTP parser reports: `HPE_*` codes from llhttp, or Node's own for timeouts. */
interface ClientError extends Error {
  readonly code?: string
  /** llhttp's reason, e.g. "Invalid method encountered". */
  readonly reason?: string
}

/** What went wrong, in a client's words, for the parser's codes a client can cause on purpose or by accident. */
const PARSER_ERRORS: Record<string, string> = {
  HPE_INVALID_METHOD: 'the method is not one HTTP knows',
  HPE_INVALID_VERSION: 'the HTTP version is not 1.0 or 1.1',
  HPE_INVALID_CONTENT_LENGTH: 'Content-Length is not a non-negative whole number',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'Content-Length and Transfer-Encoding are both present',
  HPE_INVALID_TRANSFER_ENCODING: 'Transfer-Encoding is not valid, or comes with a Content-Length',
  HPE_INVALID_CHUNK_SIZE: 'a chunk size of the chunked body is not valid',
  HPE_INVALID_HEADER_TOKEN: 'a header name or value holds a character not allowed there',
  HPE_INVALID_URL: 'the request target is not a valid URL path',
  HPE_LF_EXPECTED: 'a line does not end with CRLF',
  HPE_CR_EXPECTED: 'a line does not end with CRLF',
}

/** The problem that answers a request Node's HTTP parser refused, or that did not arrive in time. */
export function clientErrorProblem(error: ClientError): { readonly kind: ProblemKind; readonly status: number; readonly detail: string } {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { kind: 'request-timeout', status: 408, detail: 'The request was not received in time; the connection is closed.' }
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return {
      kind: 'request-header-too-large',
      status: 431,
      detail: 'The request line and headers are larger than the server accepts (16 KiB).',
    }
  }
  const what = PARSER_ERRORS[error.code ?? ''] ?? (error.reason ? error.reason.replace(/\.$/, '') : 'it is not valid HTTP/1.1')
  return { kind: 'invalid-request', status: 400, detail: `The request cannot be parsed: ${what}.` }
}

/**
 * fastify's `clientErrorHandler`: answers what Node's HTTP parser refuses (bad framing, a bad
 * version or method, control characters in headers, headers over the size limit, a request that
 * stalls) with an `application/problem+json` response like every other error, written on the
 * raw socket since no request object exists, then closes the connection.
 */
export function answerClientError(this: FastifyInstance, error: ClientError, socket: Socket): void {
  // A reset connection has no one to answer; a response already started cannot be replaced.
  const started = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable || started) {
    socket.destroy()
    return
  }
  const { kind, status, detail } = clientErrorProblem(error)
  this.log.debug({ code: error.code, status }, 'client error')
  const body = JSON.stringify(problemBody(kind, status, detail))
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ].join('\r\n')
  socket.end(`${head}\r\n\r\n${body}`, () => socket.destroy())
}
