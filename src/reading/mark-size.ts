import type { GlyphClassification } from '../classifier/model.js'
import { topK } from '../classifier/scores.js'

/**
 * Size from the line, for marks. A 28×28 crop normalised the EMNIST way is scaled to fill its
 * box, so an apostrophe, a comma or a dash comes out as a stroke the size of an I or an l: the
 * crop alone cannot tell them apart. Their height beside the line's letters can: these marks are
 * never nearly as tall as the letters around them.
 */

/** The marks that are small beside a line's letters (period, comma, apostrophe, quote, dash). */
export const SMALL_MARKS = '.,\'"-'

/**
 * A classification with the small marks taken out when the candidate is too tall to be one: their
 * probability is set to 0 and the rest renormalised (the ranking of what is left is unchanged).
 * A candidate no taller than `maxSmallMarkHeight` line letter heights, and a classifier without
 * such marks, keep the classification as it is.
 *
 * @param classification the classifier's reading of the candidate
 * @param labels the classifier's labels, in its probabilities' order
 * @param heightInLetters the candidate's height over its line's letter height
 * @param maxSmallMarkHeight the tallest a small mark may be, in line letter heights
 * @param k how many readings `top` keeps
 */
export function withoutTallMarks(
  classification: GlyphClassification,
  labels: readonly string[],
  heightInLetters: number,
  maxSmallMarkHeight: number,
  k: number,
): GlyphClassification {
  if (heightInLetters <= maxSmallMarkHeight) return classification
  const marks = labels.flatMap((label, i) => (SMALL_MARKS.includes(label) ? [i] : []))
  if (marks.length === 0) return classification
  const probabilities = classification.probabilities.slice()
  let removed = 0
  for (const i of marks) {
    removed += probabilities[i]
    probabilities[i] = 0
  }
  // A candidate read as nothing but marks keeps them: nothing else is left to say what it is.
  if (removed >= 1 - MIN_REMAINING_PROBABILITY) return classification
  for (let i = 0; i < probabilities.length; i++) probabilities[i] /= 1 - removed
  return { probabilities, top: topK(probabilities, labels, k) }
}

/** Probability left outside the marks below which there is no other reading to renormalise. */
const MIN_REMAINING_PROBABILITY = 1e-6
