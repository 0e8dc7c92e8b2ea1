/**
 * The side-by-side run: every engine reads every image of every set, each engine warm and in a
 * child process of its own, and reports texts, latencies, CPU time and peak memory.
 */
import sharp from 'sharp'
import type { EngineName, EngineRunResult, ImageMeasurement } from './engines/engine.js'
import { runEngineJob } from './lib/child.js'
import type { BenchImage, ImageSet } from './lib/data.js'
import { BLANK_LABEL, makeBlankImage } from './lib/images.js'
import { packageDir, tesseractVersion } from './lib/machine.js'
import type { Progress } from './lib/progress.js'

/** How many readings the comparison makes. */
export interface RunCounts {
  readonly warmupRuns: number
  readonly runs: number
}

/** An image of a set as the report shows it. */
export interface ComparedImage extends BenchImage {
  readonly set: string
  readonly width: number
  readonly height: number
}

/** One engine's results, keyed for lookup by set and image. */
export interface EngineOutcome {
  readonly engine: EngineName
  readonly result: EngineRunResult
  /** `set/name` → measurement. */
  readonly byImage: ReadonlyMap<string, ImageMeasurement>
  /** The blank image: the engine's fixed cost per call. */
  readonly blank: ImageMeasurement | undefined
}

/** Everything the comparison measured. */
export interface Comparison {
  readonly sets: ImageSet[]
  readonly images: ComparedImage[]
  readonly outcomes: EngineOutcome[]
  /** The bare runner process (Node with tsx), to read the in-process engines' memory against. */
  readonly baseline: EngineRunResult
  /** Engines that were not run, and why. */
  readonly skipped: Array<{ engine: EngineName; reason: string }>
  readonly counts: RunCounts
}

/** The key of an image in {@link EngineOutcome.byImage}. */
export const imageKey = (set: string, name: string): string => `${set}/${name}`
/** The name the blank probe image has in a job. */
const BLANK_KEY = `(${BLANK_LABEL})`

/** Why an engine cannot run here, or undefined when it can. */
export function engineUnavailable(engine: EngineName): string | undefined {
  if (engine === 'tesseract' && tesseractVersion() === 'not installed')
    return 'the `tesseract` command is not installed (`apt-get install tesseract-ocr tesseract-ocr-eng`)'
  if (engine === 'paddle' && !packageDir('@gutenye/ocr-node'))
    return '`@gutenye/ocr-node` is not installed (`ONNXRUNTIME_NODE_INSTALL=skip npm ci`)'
  return undefined
}

/** Indexes one engine's results by image (also used to re-render saved results). */
export function engineOutcome(result: EngineRunResult): EngineOutcome {
  const byImage = new Map(result.images.map((m) => [m.name, m]))
  return { engine: result.engine, result, byImage, blank: byImage.get(BLANK_KEY) }
}

/**
 * Runs each engine over all images of all sets plus a blank image, one engine after the other
 * (never two at once, so they do not compete for the CPU).
 *
 * @param tempDir where the blank image is written
 */
export async function runComparison(
  sets: ImageSet[],
  engines: readonly EngineName[],
  counts: RunCounts,
  tempDir: string,
  progress: Progress,
): Promise<Comparison> {
  const images: ComparedImage[] = []
  for (const set of sets) {
    for (const image of set.images) {
      const { width = 0, height = 0 } = await sharp(image.path).metadata()
      images.push({ ...image, set: set.name, width, height })
    }
  }
  const blankPath = await makeBlankImage(tempDir)
  const jobImages = [...images.map((i) => ({ name: imageKey(i.set, i.name), path: i.path })), { name: BLANK_KEY, path: blankPath }]
  const outcomes: EngineOutcome[] = []
  const skipped: Comparison['skipped'] = []
  for (const engine of engines) {
    const reason = engineUnavailable(engine)
    if (reason) {
      skipped.push({ engine, reason })
      progress.log(`skipping ${engine}: ${reason}`)
      continue
    }
    progress.phase(`accuracy and latency: ${engine} (${counts.warmupRuns} warm-up + ${counts.runs} timed runs per image)`)
    const result = await runEngineJob({ engine, images: jobImages, ...counts, measureDecodeFloor: engine === 'scrawl' }, progress)
    for (const m of result.images) if (m.error) progress.log(`${engine} failed on ${m.name}: ${m.error}`)
    outcomes.push(engineOutcome(result))
  }
  progress.phase('memory baseline: the runner process alone')
  const baseline = await runEngineJob({ engine: 'baseline', images: [], warmupRuns: 0, runs: 0, measureDecodeFloor: false }, progress)
  return { sets, images, outcomes, baseline, skipped, counts }
}
