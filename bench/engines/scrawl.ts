/**
 * scrawl in-process, as a library user calls it: one warm {@link Reader} with its default
 * settings (default model, context on, onnxruntime's default of one intra-op thread).
 */
import { Reader } from '../../src/reading/reader.js'
import type { Engine, EngineInput, EngineReading } from './engine.js'

/** Creates a warm scrawl engine (the default model loaded). */
export async function createScrawlEngine(): Promise<Engine> {
  const reader = new Reader()
  await reader.load()
  return {
    description: 'in-process `Reader.recognize(bytes)`, default model and settings',
    async read(input: EngineInput): Promise<EngineReading> {
      const result = await reader.recognize(input.bytes)
      return { text: result.text, stagesMs: result.timingsMs }
    },
    close: () => reader.close(),
  }
}
