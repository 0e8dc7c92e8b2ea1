/**
 * scrawl's HTTP throughput: the built server (`dist/bin/server.js`, default settings) on a
 * loopback port, driven by `runLoad` at several concurrencies, one after the other.
 */
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { startServer } from '../test/helpers/server.js'
import { runLoad, type LoadReport } from './load.js'
import type { Progress } from './lib/progress.js'

/** Client connections per level. */
export const CONCURRENCY_LEVELS = [1, 2, 8] as const
/** An untimed load first, so every worker has loaded its model and run once. */
const WARMUP_MS = 3_000
/** How often the status line moves while a level runs. */
const PROGRESS_TICK_MS = 500

/** One concurrency level's result. */
export interface ThroughputLevel {
  readonly concurrency: number
  readonly report: LoadReport
}

/** The throughput run. */
export interface Throughput {
  readonly image: string
  readonly durationMs: number
  readonly levels: ThroughputLevel[]
  /** The server process's peak resident memory over the run (VmHWM), KiB. */
  readonly serverPeakRssKiB: number
  /** CPUs available, which is the server's default worker count. */
  readonly cpus: number
}

const contentType = (path: string): string => (/\.png$/i.test(path) ? 'image/png' : 'image/jpeg')

/**
 * Starts the built server, warms it, and runs `durationMs` of load at each of
 * {@link CONCURRENCY_LEVELS}. Loopback only, bounded in time; the server is stopped at the end.
 */
export async function runThroughput(imagePath: string, label: string, durationMs: number, progress: Progress): Promise<Throughput> {
  progress.phase(`HTTP throughput: starting the built server (${label})`)
  const server = await startServer({ LOG_LEVEL: 'warn' })
  const image = readFileSync(imagePath)
  const load = (connections: number, ms: number): Promise<LoadReport> =>
    runLoad({ url: server.url, image, contentType: contentType(imagePath), connections, durationMs: ms })
  try {
    await load(availableParallelism(), WARMUP_MS)
    const levels: ThroughputLevel[] = []
    for (const [index, concurrency] of CONCURRENCY_LEVELS.entries()) {
      progress.phase(`HTTP throughput: concurrency ${concurrency} for ${durationMs / 1000} s`)
      const started = Date.now()
      const seconds = Math.round(durationMs / 1000)
      const tick = setInterval(
        () =>
          progress.update(
            `s of concurrency ${concurrency} (level ${index + 1}/${CONCURRENCY_LEVELS.length})`,
            Math.min(Math.round((Date.now() - started) / 1000), seconds),
            seconds,
          ),
        PROGRESS_TICK_MS,
      )
      try {
        levels.push({ concurrency, report: await load(concurrency, durationMs) })
      } finally {
        clearInterval(tick)
      }
    }
    const status = readFileSync(`/proc/${server.process.pid}/status`, 'utf8')
    const serverPeakRssKiB = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0)
    return { image: label, durationMs, levels, serverPeakRssKiB, cpus: availableParallelism() }
  } finally {
    await server.stop()
  }
}
