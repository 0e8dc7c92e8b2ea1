/**
 * What every engine in the comparison offers, and the messages between the benchmark and the
 * child process that runs one engine (each engine runs in its own process, so its peak memory is
 * its own).
 */

/** The engines the benchmark can run. `baseline` reads nothing: it measures the bare runner process. */
export const ENGINE_NAMES = ['scrawl', 'tesseract', 'paddle', 'baseline'] as const
export type EngineName = (typeof ENGINE_NAMES)[number]

/** An image handed to an engine: its file, and its bytes already in memory. */
export interface EngineInput {
  readonly path: string
  readonly bytes: Uint8Array
}

/** What an engine read from one image. */
export interface EngineReading {
  /** The text, lines joined by newlines. */
  readonly text: string
  /** Milliseconds per stage, when the engine reports them (scrawl's `timingsMs`). */
  readonly stagesMs?: Readonly<Record<string, number>>
  /** CPU time (user + system) of a reading done in another process (a CLI), ms. */
  readonly childCpuMs?: number
  /** Peak resident memory of the process that did the reading, when that is not this one, KiB. */
  readonly childPeakRssKiB?: number
  /** The lines, when the engine gives them apart (scored by `bench/synthetic.ts`). */
  readonly lines?: readonly string[]
  /** Every character's box, when the engine was asked for them and gives them (scored by `bench/synthetic.ts`). */
  readonly charBoxes?: readonly CharBox[]
}

/** A character's box in image pixels: top-left corner, width and height. */
export interface CharBox {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/** One OCR engine, warm: models loaded once, then any number of readings. */
export interface Engine {
  /** How the engine is configured (threads, mode), for the report. */
  readonly description: string
  read(input: EngineInput): Promise<EngineReading>
  close(): Promise<void>
}

/** What the benchmark asks a child process to do. */
export interface EngineJob {
  readonly engine: EngineName
  readonly images: ReadonlyArray<{ readonly name: string; readonly path: string }>
  /** Untimed readings of each image first, so caches, JIT and lazy allocations are warm. */
  readonly warmupRuns: number
  /** Timed readings of each image. */
  readonly runs: number
  /** Also time sharp's full decode of each image before every reading (the floor). */
  readonly measureDecodeFloor: boolean
}

/** The timings of one image. */
export interface ImageMeasurement {
  readonly name: string
  /** The text of the first reading (every engine here is deterministic). */
  readonly text: string
  /** Wall time of each timed reading, ms. */
  readonly latencyMs: number[]
  /** CPU time (user + system, all threads) of each timed reading, ms. */
  readonly cpuMs: number[]
  /** sharp's full decode of the same bytes, before each reading, ms (empty unless asked). */
  readonly decodeFloorMs: number[]
  /** Per-stage ms of each timed reading, when the engine reports stages. */
  readonly stagesMs: Record<string, number[]>
  /** Why the image could not be read, when it could not. */
  readonly error?: string
}

/** What a child process reports when it is done. */
export interface EngineRunResult {
  readonly engine: EngineName
  readonly description: string
  /** Time to create the engine and load its models, ms. */
  readonly startMs: number
  readonly images: ImageMeasurement[]
  /** Peak resident memory of the engine over the whole job, KiB. */
  readonly peakRssKiB: number
}

/** Messages from the child to the benchmark. */
export type ChildMessage =
  | {
      readonly type: 'progress'
      readonly image: string
      readonly imageIndex: number
      readonly imageCount: number
      readonly run: number
      readonly runsPerImage: number
    }
  | { readonly type: 'result'; readonly result: EngineRunResult }
  | { readonly type: 'failed'; readonly message: string }
