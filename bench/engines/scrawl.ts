/**
 * scrawl in-process, as a library user calls it: one warm {@link Recognizer} with its default
 * settings (default model, context on, onnxruntime's default of one intra-op thread).
 */
import { Recognizer } from '../../src/recognize.js'
import type { Engine, EngineInput, EngineReading } from './engine.js'

/** Creates a warm scrawl engine (the default model loaded). */
export async function createScrawlEngine(): Promise<Engine> {
  const recognizer = new Recognizer()
  await recognizer.load()
  return {
    description: 'in-process `Recognizer.recognize(bytes)`, default model and settings',
    async read(input: EngineInput): Promise<EngineReading> {
      const result = await recognizer.recognize(input.bytes)
      return { text: result.text, stagesMs: result.timingsMs }
    },
    close: () => recognizer.close(),
  }
}
