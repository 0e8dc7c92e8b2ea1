import { emnistToMask } from './emnist-glyph.js'
import { idxImage, type IdxImages } from './idx.js'
import type { GlyphClassifier } from '../classifier/model.js'
import { normalizeGlyph } from '../classifier/normalize-glyph.js'
import { topK } from '../classifier/scores.js'

/**
 * Accuracy of a classifier on an EMNIST-style IDX test set, through the service's own path: each
 * glyph becomes a binary mask (`emnistToMask`), is normalised (`normalizeGlyph`) and classified.
 */

/** Glyphs per session run. */
const EVALUATION_BATCH = 512
/** Ranks counted as a hit for top-3. */
const TOP_K = 3

/** Hits and shares of a test run. */
export interface IdxEvaluation {
  readonly count: number
  readonly top1Hits: number
  readonly top3Hits: number
  readonly top1: number
  readonly top3: number
}

/**
 * Classifies every image and counts top-1 and top-3 hits. A label byte is an ASCII code; a label
 * the model does not know counts as a miss.
 *
 * @param classifier a loaded model
 * @param images IDX images (28×28, white ink on black)
 * @param labels one ASCII code per image
 * @param onProgress called after every batch with the number of glyphs done
 */
export async function evaluateOnIdx(
  classifier: GlyphClassifier,
  images: IdxImages,
  labels: Uint8Array,
  onProgress?: (done: number) => void,
): Promise<IdxEvaluation> {
  if (labels.length !== images.count) throw new RangeError(`${images.count} images but ${labels.length} labels`)
  const classes = classifier.card.classes
  let top1Hits = 0,
    top3Hits = 0
  for (let start = 0; start < images.count; start += EVALUATION_BATCH) {
    const end = Math.min(images.count, start + EVALUATION_BATCH)
    const glyphs: Float32Array[] = []
    for (let i = start; i < end; i++) glyphs.push(normalizeGlyph(emnistToMask(idxImage(images, i), images.columns)))
    const results = await classifier.classify(glyphs, TOP_K)
    results.forEach((result, offset) => {
      const truth = String.fromCharCode(labels[start + offset])
      const ranked = topK(result.probabilities, classes, TOP_K)
      if (ranked[0].label === truth) top1Hits++
      if (ranked.some((r) => r.label === truth)) top3Hits++
    })
    onProgress?.(end)
  }
  return { count: images.count, top1Hits, top3Hits, top1: top1Hits / images.count, top3: top3Hits / images.count }
}

/** The line `eval:model` ends with: `top1=0.xxxx top3=0.xxxx`. */
export function formatAccuracyLine(evaluation: IdxEvaluation): string {
  return `top1=${evaluation.top1.toFixed(4)} top3=${evaluation.top3.toFixed(4)}`
}
