import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { repoRoot, samplesDir } from '../helpers/data.js'
import { postImage, startServer } from '../helpers/server.js'

const IN_FLIGHT = 8
/** Time limit for the timeout test: the lowest allowed, far below a 100 MP PNG's reading. */
const TIME_LIMIT_MS = 100
const HUGE_SIDE = 10_000
const DEEP_SAMPLE = join(samplesDir, '04_deep.jpg')
/** Slack for a loaded machine on top of a time limit, before a request counts as hanging. */
const START_SLACK_MS = 5_000
/** The largest fixture (8 MP), so that requests are still being read when the signal comes. */
const PHOTO = readFileSync(join(repoRoot, 'fixtures', 'notes', '06_meeting.jpg'))

async function inFlight(url: string): Promise<number> {
  const metrics = await (await fetch(`${url}/metrics`)).text()
  const value = (name: string): number => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0)
  return value('scrawl_queue_depth') + value('scrawl_requests_running')
}

t.test('SIGTERM during 8 in-flight requests: all 8 answered 200, then exit 0', async (t) => {
  const server = await startServer({ WORKERS: '2', QUEUE_LIMIT: '16', LOG_LEVEL: 'warn' })
  t.teardown(() => server.stop())
  const answers = Array.from({ length: IN_FLIGHT }, () => postImage(server.url, PHOTO))
  // Wait until the server holds all eight (uploaded, and running or queued), then signal.
  for (let tries = 0; (await inFlight(server.url)) < IN_FLIGHT; tries++) {
    if (tries > 200) t.fail('the requests never all arrived')
    await new Promise((r) => setTimeout(r, 25))
  }
  server.process.kill('SIGTERM')
  const results = await Promise.all(answers)
  t.same(
    results.map((r) => r.status),
    Array(IN_FLIGHT).fill(200),
    'every in-flight request was answered 200',
  )
  t.ok(
    results.every((r) => typeof r.body.text === 'string' && r.body.text.includes('ROOM')),
    'with the reading',
  )
  t.equal(await server.exited, 0, 'the process exited 0')
  await t.rejects(fetch(`${server.url}/healthz`), 'no longer accepting connections')
})

t.test('a bad configuration stops the start with a message naming the variable', async (t) => {
  await t.rejects(startServer({ PORT: 'eighty', WORKERS: '0' }), /PORT="eighty": expected a whole number[\s\S]*WORKERS="0"/)
})

t.test('a request past its time limit is answered 503 and its worker replaced', async (t) => {
  const server = await startServer({
    WORKERS: '1',
    REQUEST_TIMEOUT_MS: String(TIME_LIMIT_MS),
    MAX_INPUT_PIXELS: String(HUGE_SIDE * HUGE_SIDE),
    LOG_LEVEL: 'warn',
  })
  t.teardown(() => server.stop())
  const sharp = (await import('sharp')).default
  // A 100 MP PNG: unlike JPEG it cannot be decoded at a reduced size, so reading it takes most of a second.
  const huge = await sharp({ create: { width: HUGE_SIDE, height: HUGE_SIDE, channels: 3, background: '#fff' } })
    .composite([{ input: PHOTO, left: 1000, top: 1000 }])
    .png({ compressionLevel: 1 })
    .toBuffer()
  const slow = await postImage(server.url, huge, 'image/png')
  t.equal(slow.status, 503)
  t.equal(slow.headers.get('retry-after'), '1')
  t.equal(slow.body.type, 'urn:scrawl:problem:timeout')
  // The worker running it was stopped; the pool starts a fresh one and the slot is free again.
  let metrics = ''
  for (let tries = 0; tries < 100; tries++) {
    metrics = await (await fetch(`${server.url}/metrics`)).text()
    if (/^scrawl_workers 1$/m.test(metrics) && /^scrawl_requests_running 0$/m.test(metrics)) break
    await new Promise((r) => setTimeout(r, 100))
  }
  t.match(metrics, /^scrawl_workers 1$/m, 'one worker alive again')
  t.match(metrics, /^scrawl_requests_running 0$/m, 'nothing running')
  t.equal((await fetch(`${server.url}/readyz`)).status, 200, 'ready for the next request')
})

t.test('MAX_INPUT_PIXELS reaches the workers', async (t) => {
  const server = await startServer({ WORKERS: '1', MAX_INPUT_PIXELS: '1000000', LOG_LEVEL: 'warn' })
  t.teardown(() => server.stop())
  const refused = await postImage(server.url, PHOTO)
  t.equal(refused.status, 413, 'an 8 MP photo is over a 1 MP limit')
  t.equal(refused.body.type, 'urn:scrawl:problem:image-too-large')
})

t.test('deadlines landing while onnxruntime and libvips run never take the process down, and never wedge it', async (t) => {
  // The probe that found it: WORKERS=1, a 300 ms limit, progressive JPEGs two at a time; the
  // process aborted, or later requests waited far past their limit.
  const limitMs = 300
  const server = await startServer({ WORKERS: '1', REQUEST_TIMEOUT_MS: String(limitMs), LOG_LEVEL: 'warn' })
  t.teardown(() => server.stop())
  const sharp = (await import('sharp')).default
  // The 12 MP sample photo when the shared data is there (the probe's), else the largest fixture.
  const source = existsSync(DEEP_SAMPLE) ? readFileSync(DEEP_SAMPLE) : PHOTO
  const progressive = await sharp(source).jpeg({ progressive: true }).toBuffer()
  // Far longer than the limit: a request not answered by then has been left hanging.
  const hanging = () => AbortSignal.timeout(30 * limitMs + START_SLACK_MS)
  const post = (query: string) =>
    fetch(`${server.url}/ocr${query}`, {
      method: 'POST',
      body: progressive,
      headers: { 'content-type': 'image/jpeg' },
      signal: hanging(),
    }).then(
      (r) => r.status,
      () => 0,
    )
  const statuses: number[] = []
  for (let round = 0; round < 6; round++) statuses.push(...(await Promise.all([post(''), post('?format=png')])))
  t.same(
    statuses.filter((s) => s !== 200 && s !== 503),
    [],
    `every request answered 200 or 503 (${statuses.join(' ')})`,
  )
  t.ok(statuses.includes(503), 'deadlines were hit')
  t.equal(server.process.exitCode, null, 'the process is alive')
  t.equal(await post('?format=text'), 503, 'and still answers on time')
})

t.test('format=png is rendered in the pool, under the same deadline: 503 past it', async (t) => {
  const server = await startServer({ WORKERS: '1', REQUEST_TIMEOUT_MS: String(TIME_LIMIT_MS), LOG_LEVEL: 'warn' })
  t.teardown(() => server.stop())
  const answer = await postImage(server.url, PHOTO, 'image/jpeg', '?format=png')
  t.equal(answer.status, 503)
  t.equal(answer.headers.get('content-type'), 'application/problem+json; charset=utf-8')
  t.equal(answer.body.type, 'urn:scrawl:problem:timeout')
})

t.test("SIGTERM with a reading stuck in native code: answered 503 at the grace's end, exit 0 soon after", async (t) => {
  const graceMs = 300
  const server = await startServer({
    WORKERS: '1',
    SHUTDOWN_GRACE_MS: String(graceMs),
    MAX_INPUT_PIXELS: String(HUGE_SIDE * HUGE_SIDE),
    LOG_LEVEL: 'warn',
  })
  t.teardown(() => server.stop())
  const sharp = (await import('sharp')).default
  // A 100 MP PNG decodes in one long libvips call, far longer than the grace.
  const huge = await sharp({ create: { width: HUGE_SIDE, height: HUGE_SIDE, channels: 3, background: '#fff' } })
    .png({ compressionLevel: 1 })
    .toBuffer()
  const answer = postImage(server.url, huge, 'image/png')
  for (let tries = 0; (await inFlight(server.url)) < 1; tries++) {
    if (tries > 400) t.fail('the request never arrived')
    await new Promise((r) => setTimeout(r, 10))
  }
  const signalled = Date.now()
  server.process.kill('SIGTERM')
  const stuck = await answer
  t.equal(stuck.status, 503, 'the in-flight request is answered 503')
  t.equal(stuck.headers.get('content-type'), 'application/problem+json; charset=utf-8')
  t.equal(stuck.body.type, 'urn:scrawl:problem:unavailable')
  t.equal(await server.exited, 0, 'the process exited 0')
  // The bound (grace + 1 s) is a promise to operators; this checks it, generously for a busy machine.
  t.ok(Date.now() - signalled < graceMs + 1000 + 2000, `exited ${Date.now() - signalled} ms after SIGTERM (grace ${graceMs} ms)`)
})

t.test('a client that goes away gives its place back: queued work is dropped, running work stops', async (t) => {
  const server = await startServer({ WORKERS: '1', QUEUE_LIMIT: '1', MAX_INPUT_PIXELS: String(HUGE_SIDE * HUGE_SIDE), LOG_LEVEL: 'warn' })
  t.teardown(() => server.stop())
  const sharp = (await import('sharp')).default
  const huge = await sharp({ create: { width: HUGE_SIDE, height: HUGE_SIDE, channels: 3, background: '#fff' } })
    .png({ compressionLevel: 1 })
    .toBuffer()
  const post = (signal: AbortSignal) =>
    fetch(`${server.url}/ocr`, { method: 'POST', body: huge, headers: { 'content-type': 'image/png' }, signal }).catch(() => undefined)
  const running = new AbortController(),
    queued = new AbortController()
  void post(running.signal)
  void post(queued.signal)
  for (let tries = 0; (await inFlight(server.url)) < 2; tries++) {
    if (tries > 400) t.fail('the requests never arrived')
    await new Promise((r) => setTimeout(r, 10))
  }
  t.equal((await fetch(`${server.url}/readyz`)).status, 503, 'the queue is full')
  queued.abort()
  running.abort()
  for (let tries = 0; (await inFlight(server.url)) > 0; tries++) {
    if (tries > 400) t.fail('the abandoned requests kept their places')
    await new Promise((r) => setTimeout(r, 10))
  }
  t.equal((await fetch(`${server.url}/readyz`)).status, 200, 'ready again once both clients went away')
  const next = await postImage(server.url, PHOTO)
  t.equal(next.status, 200, 'and the next request is read')
  const metrics = await (await fetch(`${server.url}/metrics`)).text()
  t.match(metrics, /^scrawl_images_read_total 1$/m, 'only that one was read to the end: the abandoned ones were dropped or stopped')
})
