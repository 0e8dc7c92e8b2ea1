import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { runLoad, formatReport } from '../../bench/load.js'
import { repoRoot } from '../helpers/data.js'
import { startServer } from '../helpers/server.js'

/** The short version of `bench/load.ts`: 32 clients on a small pool, a few seconds, loopback only. */
const CONNECTIONS = 32
const DURATION_MS = 6_000
/**
 * /healthz must keep answering while the workers are saturated (the event loop stays free). The
 * latency target (p95 under 100 ms) is measured by `bench/load.ts`; a test does not time, so this
 * bound only catches an event loop that is blocked outright.
 */
const HEALTH_BLOCKED_MS = 2_000

t.test('under 32 concurrent clients: no 5xx but 503 with Retry-After, health answers quickly', async (t) => {
  const server = await startServer({ WORKERS: '1', QUEUE_LIMIT: '2', LOG_LEVEL: 'warn' })
  t.teardown(() => server.stop())
  const report = await runLoad({
    url: server.url,
    image: readFileSync(join(repoRoot, 'fixtures', 'notes', '10_wifi.jpg')),
    contentType: 'image/jpeg',
    connections: CONNECTIONS,
    durationMs: DURATION_MS,
  })
  t.comment(formatReport(report))
  const codes = Object.keys(report.statuses).map(Number)
  t.same(
    codes.filter((c) => c >= 500 && c !== 503),
    [],
    'no 5xx other than 503',
  )
  t.ok((report.statuses[200] ?? 0) > 0, 'some requests were read')
  t.ok((report.statuses[503] ?? 0) > 0, 'overload is answered with 503')
  t.equal(report.retryAfter503, report.statuses[503], 'every 503 carries Retry-After')
  t.equal(report.networkErrors, 0, 'no connection was dropped')
  t.equal(report.healthFailures, 0, '/healthz always answered')
  const sorted = [...report.healthLatencies].sort((a, b) => a - b)
  const p95 = sorted[Math.floor(sorted.length * 0.95)]
  t.ok(p95 < HEALTH_BLOCKED_MS, `/healthz p95 ${p95.toFixed(1)} ms under load (never blocked)`)
})
