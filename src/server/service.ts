import { WorkerPoolRecognition } from './pool.js'
import type { RecognitionService } from './recognition.js'
import type { ServiceConfig } from './config.js'

/** The recognition service the server runs with this configuration: a pool of worker threads. */
export async function createRecognitionService(config: ServiceConfig): Promise<RecognitionService> {
  return new WorkerPoolRecognition({
    workers: config.workers,
    queueLimit: config.queueLimit,
    intraOpNumThreads: config.ortThreads,
    maxInputPixels: config.maxInputPixels,
    timeoutMs: config.requestTimeoutMs,
  })
}
