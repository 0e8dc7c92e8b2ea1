import type { ResolvedReadOptions } from '../../src/reading/options.js'
import { Reader } from '../../src/reading/reader.js'
import { countCharacters, type ReadingService, type ServiceLoad, type ServiceReading } from '../../src/server/service.js'

/**
 * The service boundary on the calling thread, one reading at a time in arrival order: lets
 * `buildApp` be tested with `app.inject` without worker threads.
 */
export class InProcessService implements ReadingService {
  readonly #reader: Reader
  #ready = false
  #running = 0

  constructor(reader = new Reader()) {
    this.#reader = reader
  }

  async read(image: Uint8Array, options: ResolvedReadOptions): Promise<ServiceReading> {
    this.#running++
    try {
      const { rendered, result } = await this.#reader.render(image, options)
      return { rendered, summary: { characters: countCharacters(result.lines), timingsMs: result.timingsMs } }
    } finally {
      this.#running--
    }
  }

  async warmUp(): Promise<void> {
    await this.#reader.load()
    this.#ready = true
  }

  get ready(): boolean {
    return this.#ready
  }

  load(): ServiceLoad {
    return { queued: 0, running: this.#running, saturated: false, workers: 0 }
  }

  async close(): Promise<void> {
    this.#ready = false
    await this.#reader.close()
  }
}
