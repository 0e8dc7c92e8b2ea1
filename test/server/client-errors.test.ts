import t, { type Test } from 'tap'
import { buildApp } from '../../src/server/app.js'
import { problemSchema } from '../../src/server/problem.js'
import { listenLoopback, openRaw, parseAnswer, rawExchange, StubReading, type RawAnswer } from '../helpers/raw-http.js'

/**
 * What Node's HTTP parser refuses never reaches a route; it must still be answered as
 * application/problem+json with the right status, and the connection closed. Raw sockets on
 * 127.0.0.1, since no HTTP client sends these on purpose.
 */

const app = await buildApp({
  config: { bodyLimitBytes: 1024 * 1024, trustProxy: false, logLevel: 'silent' },
  reading: new StubReading(),
  logger: false,
})
// A header stall is checked every connectionsCheckingInterval (30 s by default): shortened here,
// before listening, so that the test waits a second rather than a minute.
Object.assign(app.server, { headersTimeout: 500, connectionsCheckingInterval: 100 })
const port = await listenLoopback(app)
t.teardown(() => app.close())

/** The answers on one connection, in order (Content-Length framed, as every answer here is). */
function answersIn(raw: string): RawAnswer[] {
  const answers: RawAnswer[] = []
  let rest = raw
  while (rest.startsWith('HTTP/')) {
    const answer = parseAnswer(rest, false)
    answers.push(answer)
    const consumed = rest.indexOf('\r\n\r\n') + 4 + Number(answer.headers['content-length'] ?? 0)
    rest = rest.slice(consumed)
  }
  return answers
}

function checkProblem(t: Test, answer: RawAnswer | undefined, status: number, type: string): void {
  t.ok(answer, 'an answer came')
  if (!answer) return
  t.equal(answer.status, status, `status ${status}`)
  t.match(answer.headers['content-type'], /^application\/problem\+json/, 'application/problem+json')
  const body = JSON.parse(answer.body || '{}')
  t.ok(problemSchema.safeParse(body).success, `a problem body: ${answer.body}`)
  t.equal(body.status, status)
  t.equal(body.type, `urn:scrawl:problem:${type}`)
}

const cases: Array<{ name: string; request: string; status: number; type: string }> = [
  {
    name: 'Content-Length smaller than the body',
    request: 'GET /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcdefgh\r\n\r\n',
    status: 400,
    type: 'invalid-request',
  },
  {
    name: 'Content-Length with Transfer-Encoding',
    request: 'POST /ocr HTTP/1.1\r\nHost: a\r\nContent-Type: image/png\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    status: 400,
    type: 'invalid-request',
  },
  {
    name: 'a negative Content-Length',
    request: 'POST /ocr HTTP/1.1\r\nHost: a\r\nContent-Type: image/png\r\nContent-Length: -1\r\n\r\n',
    status: 400,
    type: 'invalid-request',
  },
  {
    name: 'two different Content-Lengths',
    request: 'POST /ocr HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
    status: 400,
    type: 'invalid-request',
  },
  { name: 'a bad HTTP version', request: 'GET /healthz HTTP/9.9\r\nHost: a\r\n\r\n', status: 400, type: 'invalid-request' },
  { name: 'an unknown method', request: 'FROB /ocr HTTP/1.1\r\nHost: a\r\n\r\n', status: 400, type: 'invalid-request' },
  {
    name: 'a control character in a header value',
    request: 'GET /healthz HTTP/1.1\r\nHost: a\r\nX-Note: a\u0001b\r\n\r\n',
    status: 400,
    type: 'invalid-request',
  },
  {
    name: 'a bare LF inside a header name',
    request: 'GET /healthz HTTP/1.1\r\nHost: a\r\nX-No\nte: a\r\n\r\n',
    status: 400,
    type: 'invalid-request',
  },
  {
    name: 'a bad chunk size',
    request: 'POST /ocr HTTP/1.1\r\nHost: a\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    status: 400,
    type: 'invalid-request',
  },
  {
    name: 'headers over 16 KiB',
    request: `GET /healthz HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(17_000)}\r\n\r\n`,
    status: 431,
    type: 'request-header-too-large',
  },
  {
    name: 'binary garbage',
    request: '\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003',
    status: 400,
    type: 'invalid-request',
  },
]

for (const c of cases) {
  t.test(`${c.name}: ${c.status} problem+json, connection closed`, async (t) => {
    const answer = await rawExchange(port, Buffer.from(c.request, 'latin1'))
    const answers = answersIn(answer.raw)
    // A body shorter than announced leaves the rest to be read as a second request: that one is refused.
    checkProblem(t, answers.at(-1), c.status, c.type)
    t.ok(answer.closed, 'the server closed the connection')
  })
}

t.test('a header stall: 408 problem+json, connection closed', async (t) => {
  const connection = await openRaw(port, 'GET /healthz HTTP/1.1\r\nHost: a\r\nX-Slow: ')
  const answer = await connection.answer(10_000)
  connection.destroy()
  checkProblem(t, answersIn(answer.raw)[0], 408, 'request-timeout')
  t.ok(answer.closed, 'the server closed the connection')
})

t.test('the server still answers well-formed requests', async (t) => {
  const answer = await rawExchange(port, 'GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')
  t.equal(answer.status, 200)
})
