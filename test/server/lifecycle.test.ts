import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { repoRoot } from '../helpers/data.js'
import { postImage, startServer } from '../helpers/server.js'

const IN_FLIGHT = 8
/** Time limit for the timeout test: above a small photo's reading, far below a 49 MP PNG's. */
const TIME_LIMIT_MS = 400
const MAX_TRIES_AFTER_TIMEOUT = 15
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
  t.same(results.map((r) => r.status), Array(IN_FLIGHT).fill(200), 'every in-flight request was answered 200')
  t.ok(results.every((r) => typeof r.body.text === 'string' && r.body.text.includes('ROOM')), 'with the reading')
  t.equal(await server.exited, 0, 'the process exited 0')
  await t.rejects(fetch(`${server.url}/healthz`), 'no longer accepting connections')
})

t.test('a bad configuration stops the start with a message naming the variable', async (t) => {
  await t.rejects(startServer({ PORT: 'eighty', WORKERS: '0' }), /PORT="eighty": expected a whole number[\s\S]*WORKERS="0"/)
})

t.test('a request past its time limit is answered 503 and its worker freed', async (t) => {
  const server = await startServer({ WORKERS: '1', REQUEST_TIMEOUT_MS: String(TIME_LIMIT_MS), LOG_LEVEL: 'warn' })
  t.teardown(() => server.stop())
  const sharp = (await import('sharp')).default
  // A 49 MP PNG: unlike JPEG it cannot be decoded at a reduced size, so reading it takes far longer than the limit.
  const huge = await sharp({ create: { width: 7000, height: 7000, channels: 3, background: '#fff' } })
    .composite([{ input: PHOTO, left: 1000, top: 1000 }]).png({ compressionLevel: 1 }).toBuffer()
  const slow = await postImage(server.url, huge, 'image/png')
  t.equal(slow.status, 503)
  t.equal(slow.headers.get('retry-after'), '1')
  t.equal(slow.body.type, 'urn:scrawl:problem:timeout')
  // The only worker was stopped with the abandoned request; once its replacement has started
  // (a request waiting for it may time out too), a small photo is read.
  const small = await sharp(PHOTO).resize(640).jpeg().toBuffer()
  let next = await postImage(server.url, small)
  for (let tries = 1; tries < MAX_TRIES_AFTER_TIMEOUT && next.status === 503; tries++) {
    await new Promise((r) => setTimeout(r, 200))
    next = await postImage(server.url, small)
  }
  t.equal(next.status, 200, 'a small photo is read afterwards')
  t.equal(server.process.exitCode, null, 'the server is still running')
})
