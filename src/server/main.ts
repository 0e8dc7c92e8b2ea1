import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import { ConfigError, loadConfig, type ServiceConfig } from './config.js'
import { WorkerPool } from './pool.js'

/**
 * Starts the service: validated configuration, the reading pool, the HTTP app; and on SIGTERM or
 * SIGINT stops accepting, lets in-flight requests finish within the grace period (answering
 * those still reading at its end with 503), and exits 0.
 */
export async function main(): Promise<void> {
  let config: ServiceConfig
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`scrawl: ${error.message}\n`)
      process.exit(2)
    }
    throw error
  }
  const reading = new WorkerPool({
    workers: config.workers,
    queueLimit: config.queueLimit,
    intraOpNumThreads: config.ortThreads,
    maxInputPixels: config.maxInputPixels,
    maxImageSide: config.maxImageSide,
    maxAspectRatio: config.maxAspectRatio,
    timeoutMs: config.requestTimeoutMs,
  })
  const app = await buildApp({ config, reading })
  installShutdown(app, config)
  await reading.warmUp()
  await app.listen({ host: config.host, port: config.port })
}

/** Time the answers given at the grace's end get to reach their clients before the process exits. */
const FLUSH_MS = 500

function installShutdown(app: FastifyInstance, config: ServiceConfig): void {
  let stopping = false
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return
    stopping = true
    app.log.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down: no new connections, finishing in-flight requests')
    // At the grace's end the pool answers what is still reading with 503; the app then closes
    // once those answers are sent. A reading stuck in native code is not waited for.
    const pool = app.reading.close(config.shutdownGraceMs)
    const backstop = setTimeout(() => {
      app.log.warn('connections still open after the grace period; exiting')
      process.exit(0)
    }, config.shutdownGraceMs + FLUSH_MS)
    backstop.unref()
    Promise.all([app.close(), pool])
      .then(() => {
        app.log.info('stopped')
        process.exit(0)
      })
      .catch((error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed')
        process.exit(1)
      })
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}
