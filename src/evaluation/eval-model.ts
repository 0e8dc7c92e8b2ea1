import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { evaluateOnIdx, formatAccuracyLine } from './evaluate-idx.js'
import { emnistToMask } from './emnist-glyph.js'
import { idxImage, readIdxImages, readIdxLabels, type IdxImages } from './idx.js'
import { loadClassifier, type GlyphClassifier } from '../classifier/model.js'
import { normalizeGlyph } from '../classifier/normalize-glyph.js'
import { shippedModel } from '../classifier/registry.js'

/**
 * Evaluates a model on an IDX test set in Node, the way the service runs it:
 *
 *     npm run -s eval:model -- models/cnn.onnx IMAGES-idx3-ubyte.gz LABELS-idx1-ubyte.gz [--threads 2]
 *
 * MODEL is an `.onnx` file with its card (`.json`) beside it, or a shipped model's name. Progress
 * goes to stderr; the last line on stdout is exactly `top1=0.xxxx top3=0.xxxx`.
 */

const USAGE = 'usage: eval-model MODEL.onnx|NAME IMAGES-idx3-ubyte[.gz] LABELS-idx1-ubyte[.gz] [--threads N]'
const DEFAULT_THREADS = 2
/** A note's worth of letters: the batch size the service typically classifies at once. */
const LATENCY_BATCH = 40
const LATENCY_RUNS = 50

/** Median wall time of one session run over a batch of `LATENCY_BATCH` normalised glyphs. */
async function medianBatchMilliseconds(classifier: GlyphClassifier, images: IdxImages): Promise<number> {
  const glyphs = Array.from({ length: Math.min(LATENCY_BATCH, images.count) }, (_, i) =>
    normalizeGlyph(emnistToMask(idxImage(images, i), images.columns)),
  )
  await classifier.classify(glyphs) // warm-up
  const times: number[] = []
  for (let run = 0; run < LATENCY_RUNS; run++) {
    const started = performance.now()
    await classifier.classify(glyphs)
    times.push(performance.now() - started)
  }
  return times.sort((a, b) => a - b)[LATENCY_RUNS >> 1]
}

function cardPathFor(model: string): string {
  if (model.endsWith('.onnx')) return model.replace(/\.onnx$/, '.json')
  if (model.endsWith('.json')) return model
  return shippedModel(model).cardPath
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { threads: { type: 'string' } } })
  if (positionals.length !== 3) throw new Error(USAGE)
  const [model, imagesPath, labelsPath] = positionals
  const threads = values.threads === undefined ? DEFAULT_THREADS : Number(values.threads)
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`--threads must be a positive integer\n${USAGE}`)
  const cardPath = cardPathFor(model)
  for (const path of [cardPath, imagesPath, labelsPath]) if (!existsSync(path)) throw new Error(`${path}: no such file\n${USAGE}`)
  const classifier = await loadClassifier(cardPath, { intraOpNumThreads: threads })
  const images = readIdxImages(imagesPath)
  const labels = readIdxLabels(labelsPath)
  const started = performance.now()
  const evaluation = await evaluateOnIdx(classifier, images, labels, (done) => {
    process.stderr.write(`\r${classifier.name}: ${done}/${images.count} glyphs`)
  })
  const latency = await medianBatchMilliseconds(classifier, images)
  await classifier.close()
  process.stderr.write(
    `\n${classifier.name}: a batch of ${LATENCY_BATCH} glyphs takes ${latency.toFixed(2)} ms (median of ${LATENCY_RUNS} runs, ${threads} threads)`,
  )
  process.stderr.write(
    `\n${classifier.name}: ${evaluation.top1Hits} top-1 and ${evaluation.top3Hits} top-3 hits of ${evaluation.count} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  )
  process.stdout.write(`${formatAccuracyLine(evaluation)}\n`)
}

// Runs only as a program (`npm run eval:model`), never when imported.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  })
}
