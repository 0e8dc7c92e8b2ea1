/**
 * `/healthz` latency while big uploads arrive: `uploads` clients POST a ~20 MB JPEG to `/ocr` back
 * to back for `seconds`, while a prober GETs `/healthz` every {@link PROBE_INTERVAL_MS}. Reports the
 * probes' p50/p99/max (target: p99 under {@link TARGET_P99_MS}) and the server's own event-loop lag
 * (prom-client's histogram). Starts the built server itself, targets loopback only, stops by itself.
 *
 *   npm run -s build && npx tsx bench/upload-lag.ts [--uploads 8] [--seconds 20] [--image PATH] [--env K=V ...]
 *   npx tsx bench/upload-lag.ts --url http://127.0.0.1:3000   (a server already running, e.g. under --cpu-prof)
 */
import { fork } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { startServer } from '../test/helpers/server.js'
import { repoRoot } from './lib/data.js'
import { percentile } from './lib/stats.js'

/** Gap between two health probes. */
const PROBE_INTERVAL_MS = 20
/** What the issue asks of `/healthz` under 8 parallel 20 MB uploads. */
const TARGET_P99_MS = 100
/** A probe slower than this counts as failed (the figure would only be "very slow"). */
const PROBE_TIMEOUT_MS = 10_000
/** The made upload: a photo enlarged to 6600 × 4950 (32.7 MP) with grain, JPEG quality 98: about 20 MB. */
const MADE = { width: 6600, height: 4950, quality: 98, grain: 60 } as const

/** A ~20 MB JPEG made once from a fixture photo and kept in the temporary folder (never committed). */
async function bigJpeg(): Promise<{ path: string; bytes: Buffer }> {
  const path = join(tmpdir(), `scrawl-upload-lag-${MADE.width}x${MADE.height}-q${MADE.quality}.jpg`)
  if (!existsSync(path)) {
    // Grain from a fixed-seed generator, so that every run uploads the same bytes.
    let seed = 7
    const grain = Buffer.alloc(MADE.width * MADE.height)
    for (let i = 0; i < grain.length; i++) {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0
      grain[i] = 128 + Math.round(((seed >>> 16) / 65_536 - 0.5) * MADE.grain)
    }
    const jpeg = await sharp(join(repoRoot, 'fixtures', 'notes', '06_meeting.jpg'))
      .resize(MADE.width, MADE.height)
      .composite([{ input: grain, raw: { width: MADE.width, height: MADE.height, channels: 1 }, blend: 'overlay' }])
      .jpeg({ quality: MADE.quality })
      .toBuffer()
    writeFileSync(path, jpeg)
  }
  return { path, bytes: readFileSync(path) }
}

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`)
  return at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback
}

/** What the uploading child reports. */
interface UploaderReport {
  readonly statuses: Record<number, number>
  readonly networkErrors: number
}

/**
 * The uploading side, in a child process of its own: sending 8 × 20 MB keeps a process busy, and
 * the probes must not wait behind it in the same event loop.
 */
async function runUploaders(url: string, imagePath: string, clients: number, until: number): Promise<UploaderReport> {
  const bytes = readFileSync(imagePath)
  const statuses: Record<number, number> = {}
  let networkErrors = 0
  const uploader = async (): Promise<void> => {
    while (Date.now() < until) {
      try {
        const response = await fetch(`${url}/ocr`, {
          method: 'POST',
          body: bytes as Uint8Array<ArrayBuffer>,
          headers: { 'content-type': 'image/jpeg' },
        })
        await response.arrayBuffer()
        statuses[response.status] = (statuses[response.status] ?? 0) + 1
      } catch {
        networkErrors++
      }
    }
  }
  await Promise.all(Array.from({ length: clients }, uploader))
  return { statuses, networkErrors }
}

if (process.argv.includes('--uploader')) {
  process.send?.(
    await runUploaders(option('uploader', ''), option('image', ''), Number(option('uploads', '8')), Number(option('until', '0'))),
  )
  process.exit(0)
}

const uploads = Number(option('uploads', '8'))
const seconds = Number(option('seconds', '20'))
const env = Object.fromEntries(
  process.argv.flatMap((arg, i) =>
    process.argv[i - 1] === '--env' ? [[arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]] : [],
  ),
)
const image = process.argv.includes('--image') ? { path: option('image', ''), bytes: readFileSync(option('image', '')) } : await bigJpeg()
const given = option('url', '')
if (given && !/^http:\/\/(127\.\d+\.\d+\.\d+|localhost)(:\d+)?$/.test(given))
  throw new Error(`upload-lag targets loopback only, not ${given}`)
const server = given ? undefined : await startServer({ LOG_LEVEL: 'warn', ...env })
const rss = (): string => (server ? `${(server.rss() / 2 ** 20).toFixed(0)} MiB` : 'not measured')
try {
  const url = server?.url ?? given
  // Warm-up: the first reading loads what loads on first use.
  const warm = await fetch(`${url}/ocr`, {
    method: 'POST',
    body: image.bytes as Uint8Array<ArrayBuffer>,
    headers: { 'content-type': 'image/jpeg' },
  })
  await warm.arrayBuffer()
  if (warm.status >= 500) throw new Error(`warm-up answered ${warm.status}`)
  // prom-client resets its event-loop histogram at each scrape: this one starts the measured window.
  await (await fetch(`${url}/metrics`)).arrayBuffer()
  const end = Date.now() + seconds * 1000
  const child = fork(
    fileURLToPath(import.meta.url),
    ['--uploader', url, '--image', image.path, '--uploads', String(uploads), '--until', String(end)],
    {
      execArgv: ['--import', 'tsx'],
    },
  )
  const uploaded = new Promise<UploaderReport>((resolve, reject) => {
    child.once('message', (report) => resolve(report as UploaderReport))
    child.once('exit', (code) => reject(new Error(`the uploading child exited with ${code} before reporting`)))
  })
  const probes: number[] = []
  let probeFailures = 0
  const rssBefore = rss()
  while (Date.now() < end) {
    const started = performance.now()
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
      await response.arrayBuffer()
      if (response.status === 200) probes.push(performance.now() - started)
      else probeFailures++
    } catch {
      probeFailures++
    }
    await new Promise((r) => setTimeout(r, PROBE_INTERVAL_MS))
  }
  const { statuses, networkErrors } = await uploaded
  const metrics = await (await fetch(`${url}/metrics`)).text()
  const metric = (name: string): number => Number(new RegExp(`^${name} ([\\d.e+-]+)`, 'm').exec(metrics)?.[1] ?? Number.NaN)
  const p99 = percentile(probes, 99)
  console.log(
    `upload-lag: ${uploads} clients uploading ${image.path} (${(image.bytes.length / 1e6).toFixed(1)} MB) for ${seconds} s → ${url}`,
  )
  console.log(`uploads answered: ${JSON.stringify(statuses)}, network errors ${networkErrors}; server RSS ${rssBefore} → ${rss()}`)
  console.log(
    `/healthz: ${probes.length} probes, p50 ${percentile(probes, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...probes).toFixed(1)} ms, failures ${probeFailures}`,
  )
  console.log(
    `server event-loop lag (during the uploads): p99 ${(metric('scrawl_nodejs_eventloop_lag_p99_seconds') * 1000).toFixed(1)} ms, max ${(metric('scrawl_nodejs_eventloop_lag_max_seconds') * 1000).toFixed(1)} ms`,
  )
  console.log(`target /healthz p99 < ${TARGET_P99_MS} ms: ${p99 < TARGET_P99_MS && probeFailures === 0 ? 'met' : 'missed'}`)
} finally {
  await server?.stop()
}
