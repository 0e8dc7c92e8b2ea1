import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { resolveReadOptions } from '../../src/reading/options.js'
import { WorkerPool } from '../../src/server/pool.js'
import { ReadTimeoutError } from '../../src/server/service.js'
import { repoRoot } from '../helpers/data.js'

/**
 * Deadlines landing in every stage of a reading (decode, finding, normalising, onnxruntime,
 * context, rendering) never take the process down: the pool stops a reading only at safe points
 * between stages, so this test process — which holds the pool's worker threads — must survive
 * them all, serve the next request, and keep its workers and memory.
 */

const WORKERS = 1
/** Requests whose deadlines are spread over a whole reading. */
const DEADLINES = 200
/** Readings before memory is measured, so that allocators have reached their working size. */
const WARM_UP_READINGS = 20
/** Generous bound for a request after the loop: it must be served, not wait behind abandoned work. */
const NEXT_REQUEST_TIMEOUT_MS = 30_000
/** RSS after the loop may exceed its warm level by at most this fraction. */
const RSS_TOLERANCE = 0.1

const PHOTO = readFileSync(join(repoRoot, 'fixtures', 'notes', '05_quote.jpg'))
const QUOTE_TEXT = JSON.parse(readFileSync(join(repoRoot, 'fixtures', 'notes', 'truth.json'), 'utf8'))['05_quote.jpg'].join('\n')
const png = resolveReadOptions({ format: 'png' })
const json = resolveReadOptions()

const pool = new WorkerPool({
  workers: WORKERS,
  queueLimit: 4,
  intraOpNumThreads: 1,
  maxInputPixels: 50_000_000,
  timeoutMs: NEXT_REQUEST_TIMEOUT_MS,
})
t.teardown(() => pool.close())
await pool.warmUp()

/** A reading that finished: its stage timings, rendering included. */
async function fullReading(): Promise<Record<string, number>> {
  const { summary } = await pool.read(new Uint8Array(PHOTO), png)
  return { ...summary.timingsMs }
}

t.test(`${DEADLINES} deadlines across every stage: the process lives, the next request is served, nothing leaks`, async (t) => {
  // Warm up, then measure where the stages fall in time and put as many deadlines in each.
  for (let i = 1; i < WARM_UP_READINGS; i++) await fullReading()
  const stages = await fullReading()
  const warmRss = process.memoryUsage().rss
  const perStage = Math.ceil(DEADLINES / Object.keys(stages).length)
  const deadlines: number[] = []
  let start = 0
  for (const ms of Object.values(stages)) {
    for (let k = 0; k < perStage; k++) deadlines.push(Math.max(1, Math.round(start + ((k + 0.5) / perStage) * ms)))
    start += ms
  }
  t.comment(`a reading took ${start.toFixed(0)} ms in ${JSON.stringify(stages)}; ${perStage} deadlines in each stage`)

  let timedOut = 0,
    finished = 0
  for (const deadline of deadlines) {
    try {
      await pool.read(new Uint8Array(PHOTO), png, { timeoutMs: deadline })
      finished++
    } catch (error) {
      if (!(error instanceof ReadTimeoutError)) throw error
      timedOut++
    }
  }
  t.comment(`${timedOut} timed out, ${finished} finished in time`)
  t.ok(deadlines.length >= DEADLINES && timedOut > deadlines.length / 2, 'most requests ran past their deadlines')

  const next = await pool.read(new Uint8Array(PHOTO), json)
  t.equal(next.rendered.format === 'json' ? next.rendered.body.text : '', QUOTE_TEXT, 'the next request is served, and read right')
  for (let tries = 0; tries < 100 && pool.load().workers !== WORKERS; tries++) await new Promise((r) => setTimeout(r, 50))
  t.equal(pool.load().workers, WORKERS, 'no leaked worker threads')
  t.same({ queued: pool.load().queued, running: pool.load().running }, { queued: 0, running: 0 }, 'nothing left in flight')
  global.gc?.()
  const rss = process.memoryUsage().rss
  t.ok(
    rss <= warmRss * (1 + RSS_TOLERANCE),
    `RSS ${(rss / 2 ** 20).toFixed(0)} MiB within ${RSS_TOLERANCE * 100} % of its warm ${(warmRss / 2 ** 20).toFixed(0)} MiB`,
  )
})
