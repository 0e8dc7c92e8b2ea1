import t, { type Test } from 'tap'
import { buildApp } from '../../src/server/app.js'
import { ConfigError, loadConfig } from '../../src/server/config.js'
import { whitePng } from '../helpers/png-bomb.js'
import { listenLoopback, openRaw, rawExchange, StubReading, type RawAnswer } from '../helpers/raw-http.js'
import { startServer } from '../helpers/server.js'

/**
 * Receiving bodies is bounded: a body must arrive within BODY_TIMEOUT_MS (408, connection closed),
 * the bytes being received at once are bounded (503 + Retry-After before reading, seen in /readyz
 * and /metrics), and closing ends uploads still arriving. Real sockets on 127.0.0.1 that send
 * headers and part of a body, then stall.
 */

const MEBIBYTE = 1024 * 1024
const SMALL_PNG = whitePng(40, 30)

/** Request headers announcing `length` bytes of body, and the first KiB of it. */
const stalledUpload = (length: number, contentType = 'image/jpeg'): string =>
  `POST /ocr HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${contentType}\r\nContent-Length: ${length}\r\n\r\n${'x'.repeat(1024)}`

async function appWith(config: { bodyTimeoutMs?: number; uploadsLimitBytes?: number } = {}) {
  const app = await buildApp({
    config: { bodyLimitBytes: MEBIBYTE, trustProxy: false, logLevel: 'silent', ...config },
    reading: new StubReading(),
    logger: false,
  })
  const port = await listenLoopback(app)
  return { app, port }
}

function checkProblem(t: Test, answer: RawAnswer, status: number, type: string): Record<string, unknown> {
  t.equal(answer.status, status, `status ${status}`)
  t.match(answer.headers['content-type'], /^application\/problem\+json/, 'a problem')
  const body = JSON.parse(answer.body || '{}') as Record<string, unknown>
  t.equal(body.type, `urn:scrawl:problem:${type}`)
  t.equal(body.status, status)
  return body
}

/** Polls until `check` holds, a bounded number of times. */
async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let tries = 0; tries < 200; tries++) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 25))
  }
  return false
}

const gauge = (metrics: string, name: string): number => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)?.[1] ?? Number.NaN)

t.test('a stalled upload is answered 408 problem+json and its connection closed', async (t) => {
  const { app, port } = await appWith({ bodyTimeoutMs: 300 })
  t.teardown(() => app.close())
  const raw = await rawExchange(port, stalledUpload((10 * MEBIBYTE) / 10), 10_000)
  const problem = checkProblem(t, raw, 408, 'request-timeout')
  t.match(String(problem.detail), /300 ms/)
  t.equal(raw.headers.connection, 'close')
  t.ok(raw.closed, 'the server closed the connection')
  const form = await rawExchange(
    port,
    stalledUpload(MEBIBYTE / 2, 'multipart/form-data; boundary=b').replace(
      /x{1024}$/,
      `--b\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\n\r\n${'x'.repeat(1024)}`,
    ),
    10_000,
  )
  checkProblem(t, form, 408, 'request-timeout')
  t.ok(form.closed, 'a stalled multipart upload too')
  const metrics = (await app.inject('/metrics')).body
  t.equal(gauge(metrics, 'scrawl_uploads_receiving'), 0, 'nothing is left counted as receiving')
})

t.test('uploads beyond the bound are 503 with Retry-After before reading, and /readyz and /metrics say so', async (t) => {
  const { app, port } = await appWith({ uploadsLimitBytes: 3 * MEBIBYTE, bodyTimeoutMs: 60_000 })
  t.teardown(() => app.close())
  const stalled = await Promise.all([1, 2, 3].map(() => openRaw(port, stalledUpload(MEBIBYTE))))
  t.teardown(() => stalled.forEach((c) => c.destroy()))
  t.ok(
    await eventually(async () => gauge((await app.inject('/metrics')).body, 'scrawl_uploads_receiving') === 3),
    'three uploads being received',
  )
  const metrics = (await app.inject('/metrics')).body
  t.equal(gauge(metrics, 'scrawl_upload_bytes_receiving'), 3 * MEBIBYTE, 'their announced bytes')
  const ready = await app.inject('/readyz')
  t.equal(ready.statusCode, 503, '/readyz: not ready while the bound is reached')
  t.equal(ready.json().type, 'urn:scrawl:problem:overloaded')
  // Headers only: the answer must come without the body being sent.
  const refused = await rawExchange(port, stalledUpload(MEBIBYTE).replace(/x{1024}$/, ''), 10_000)
  checkProblem(t, refused, 503, 'overloaded')
  t.equal(refused.headers['retry-after'], '1')
  t.ok(refused.closed, 'and the connection closed, its body unread')
  t.equal((await app.inject('/healthz')).statusCode, 200, '/healthz still answers')
  stalled[0].destroy()
  t.ok(await eventually(async () => (await app.inject('/readyz')).statusCode === 200), 'ready again once an upload is gone')
  const accepted = await fetch(`http://127.0.0.1:${port}/ocr`, {
    method: 'POST',
    body: SMALL_PNG as Uint8Array<ArrayBuffer>,
    headers: { 'content-type': 'image/png' },
  })
  t.equal(accepted.status, 200, 'and a new upload is read')
})

t.test('closing the app ends uploads still arriving with a 503, instead of waiting for them', async (t) => {
  const { app, port } = await appWith({ bodyTimeoutMs: 600_000 })
  const stalled = await openRaw(port, stalledUpload(MEBIBYTE))
  t.ok(await eventually(async () => gauge((await app.inject('/metrics')).body, 'scrawl_uploads_receiving') === 1))
  let timer: NodeJS.Timeout | undefined
  const outcome = await Promise.race([
    app.close().then(() => 'closed'),
    new Promise((r) => {
      timer = setTimeout(() => r('still waiting after 20 s'), 20_000)
    }),
  ])
  clearTimeout(timer)
  t.equal(outcome, 'closed', 'close() did not wait for the stalled upload')
  const answer = await stalled.answer(5_000)
  checkProblem(t, answer, 503, 'unavailable')
  t.ok(answer.closed, 'the stalled connection is closed')
})

t.test('SIGTERM with a stalled upload: the server answers it 503 and exits 0 within its grace', async (t) => {
  const server = await startServer({ WORKERS: '1', LOG_LEVEL: 'warn', SHUTDOWN_GRACE_MS: '20000' })
  t.teardown(() => server.stop())
  const stalled = await openRaw(Number(new URL(server.url).port), stalledUpload(10 * MEBIBYTE))
  t.ok(await eventually(async () => gauge(await (await fetch(`${server.url}/metrics`)).text(), 'scrawl_uploads_receiving') === 1))
  server.process.kill('SIGTERM')
  t.equal(await server.exited, 0, 'exit status 0: the grace period was not used up')
  const answer = await stalled.answer(1_000)
  checkProblem(t, answer, 503, 'unavailable')
})

t.test('the configuration validates the upload bounds', async (t) => {
  const config = loadConfig({})
  t.equal(config.bodyTimeoutMs, 60_000)
  t.equal(config.uploadsLimitBytes, 8 * config.bodyLimitBytes, 'eight bodies of the largest size by default')
  t.equal(loadConfig({ UPLOADS_LIMIT_BYTES: String(50 * MEBIBYTE) }).uploadsLimitBytes, 50 * MEBIBYTE)
  t.throws(() => loadConfig({ UPLOADS_LIMIT_BYTES: String(MEBIBYTE) }), ConfigError, 'below BODY_LIMIT_BYTES')
  t.throws(() => loadConfig({ BODY_TIMEOUT_MS: '10' }), /BODY_TIMEOUT_MS/)
  t.throws(() => loadConfig({ MAX_IMAGE_SIDE: '0', MAX_ASPECT_RATIO: 'wide' }), /MAX_IMAGE_SIDE[\s\S]*MAX_ASPECT_RATIO/)
})
