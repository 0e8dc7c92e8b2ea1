/**
 * A bounded HTTP load generator for scrawl: `connections` clients POST the same image to `/ocr`
 * back to back for `durationMs`, while a prober GETs `/healthz` every {@link HEALTH_PROBE_INTERVAL_MS}.
 * Targets loopback only; stops by itself.
 *
 *   npm run bench:load -- [IMAGE] [CONNECTIONS] [SECONDS]   (starts its own server)
 */
import { readFileSync } from 'node:fs'

/** Gap between two health probes. */
export const HEALTH_PROBE_INTERVAL_MS = 100

export interface LoadOptions {
  readonly url: string
  readonly image: Uint8Array
  readonly contentType: string
  readonly connections: number
  readonly durationMs: number
}

export interface LoadReport {
  readonly requests: number
  readonly statuses: Record<number, number>
  /** 503 answers that carried a Retry-After header. */
  readonly retryAfter503: number
  /** Latencies of 200 answers, ms. */
  readonly p50: number
  readonly p99: number
  /** 200 answers per second. */
  readonly throughput: number
  /** Health probe latencies in ms, and how many probes failed. */
  readonly healthLatencies: number[]
  readonly healthFailures: number
  /** Requests that failed without an HTTP answer (connection errors). */
  readonly networkErrors: number
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]

/** Runs the load and reports what came back. */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  if (!/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(options.url))
    throw new Error(`load targets loopback only, not ${options.url}`)
  const end = Date.now() + options.durationMs
  const statuses: Record<number, number> = {}
  const latencies: number[] = []
  let retryAfter503 = 0,
    networkErrors = 0,
    requests = 0
  const client = async (): Promise<void> => {
    while (Date.now() < end) {
      const started = performance.now()
      try {
        const response = await fetch(`${options.url}/ocr`, {
          method: 'POST',
          body: options.image as Uint8Array<ArrayBuffer>,
          headers: { 'content-type': options.contentType },
        })
        await response.arrayBuffer()
        requests++
        statuses[response.status] = (statuses[response.status] ?? 0) + 1
        if (response.status === 200) latencies.push(performance.now() - started)
        if (response.status === 503) {
          const retryAfter = Number(response.headers.get('retry-after'))
          if (retryAfter > 0) retryAfter503++
          // Clients behind a gateway honour Retry-After; one that does not would only measure its own spinning.
          await new Promise((r) => setTimeout(r, Math.min(Math.max(retryAfter, 0) * 1000, Math.max(0, end - Date.now()))))
        }
      } catch {
        networkErrors++
      }
    }
  }
  const healthLatencies: number[] = []
  let healthFailures = 0
  const prober = async (): Promise<void> => {
    while (Date.now() < end) {
      const started = performance.now()
      try {
        const response = await fetch(`${options.url}/healthz`, { signal: AbortSignal.timeout(5_000) })
        await response.arrayBuffer()
        if (response.status === 200) healthLatencies.push(performance.now() - started)
        else healthFailures++
      } catch {
        healthFailures++
      }
      await new Promise((r) => setTimeout(r, HEALTH_PROBE_INTERVAL_MS))
    }
  }
  const started = performance.now()
  await Promise.all([...Array.from({ length: options.connections }, client), prober()])
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return {
    requests,
    statuses,
    retryAfter503,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    throughput: latencies.length / seconds,
    healthLatencies,
    healthFailures,
    networkErrors,
  }
}

/** One line per figure, for people. */
export function formatReport(r: LoadReport): string {
  const health = [...r.healthLatencies].sort((a, b) => a - b)
  return [
    `requests ${r.requests}, statuses ${JSON.stringify(r.statuses)}, 503 with Retry-After ${r.retryAfter503}, network errors ${r.networkErrors}`,
    `200 latency p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, throughput ${r.throughput.toFixed(2)} images/s`,
    `/healthz during load: ${health.length} probes, p50 ${percentile(health, 50).toFixed(1)} ms, max ${(health.at(-1) ?? Number.NaN).toFixed(1)} ms, failures ${r.healthFailures}`,
  ].join('\n')
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'))) {
  const { startServer } = await import('../test/helpers/server.js')
  const image = process.argv[2] ?? 'fixtures/notes/10_wifi.jpg'
  const connections = Number(process.argv[3] ?? 32)
  const seconds = Number(process.argv[4] ?? 20)
  const server = await startServer({ LOG_LEVEL: 'warn' })
  try {
    console.log(`load: ${connections} clients for ${seconds} s on ${image} → ${server.url}`)
    console.log(
      formatReport(
        await runLoad({
          url: server.url,
          image: readFileSync(image),
          contentType: image.endsWith('.png') ? 'image/png' : 'image/jpeg',
          connections,
          durationMs: seconds * 1000,
        }),
      ),
    )
  } finally {
    await server.stop()
  }
}
