import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import { ConfigError, loadConfig, type ServiceConfig } from './config.js'
import { createRecognitionService } from './service.js'

/**
 * Starts the service: validated configuration, the recognition pool, the HTTP app; and on SIGTERM
 * or SIGINT stops accepting, lets in-flight requests finish within the grace period, closes the
 * pool and exits 0.
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
  const recognition = await createRecognitionService(config)
  const app = await buildApp({ config, recognition })
  installShutdown(app, config)
  await recognition.warmUp()
  await app.listen({ host: config.host, port: config.port })
}

function installShutdown(app: FastifyInstance, config: ServiceConfig): void {
  let stopping = false
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return
    stopping = true
    app.log.info({ signal }, 'shutting down: no new connections, finishing in-flight requests')
    const deadline = setTimeout(() => {
      app.log.error({ graceMs: config.shutdownGraceMs }, 'in-flight requests did not finish in time; exiting')
      process.exit(1)
    }, config.shutdownGraceMs)
    deadline.unref()
    app.close()
      .then(() => app.recognition.close())
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
