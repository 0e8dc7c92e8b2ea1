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
 * How tall each small mark may be, in line letter heights: a period or a dash is a dot or a bar of
 * about a stroke's height, an apostrophe or a quote about half an x-height, a comma about a
 * descender's length. Without `maxDotHeight` and `maxQuoteHeight`, every small mark may be
 * `maxSmallMarkHeight` tall.
 */
export interface MarkHeightLimits {
  /** The tallest a comma (and, without the limits below, any small mark) may be. */
  readonly maxSmallMarkHeight: number
  /** The tallest a period or a dash may be. */
  readonly maxDotHeight?: number
  /** The tallest an apostrophe or a quote may be. */
  readonly maxQuoteHeight?: number
}

/** The tallest `mark` may be under `limits` (a number: the same for every small mark). */
export function maxMarkHeight(mark: string, limits: number | MarkHeightLimits): number {
  if (typeof limits === 'number') return limits
  if (mark === '.' || mark === '-') return Math.min(limits.maxSmallMarkHeight, limits.maxDotHeight ?? Infinity)
  if (mark === "'" || mark === '"') return Math.min(limits.maxSmallMarkHeight, limits.maxQuoteHeight ?? Infinity)
  return limits.maxSmallMarkHeight
}

/**
 * The small marks written with two strokes: a tall crop shaped like one is two strokes side by side
 * ("ll", "11"), two characters rather than one.
 */
export const TWO_STROKE_MARKS = '"'

/**
 * A classification with the small marks taken out that the candidate is too tall to be: their
 * probability is set to 0 and the rest renormalised (the ranking of what is left is unchanged).
 * A one-stroke mark's share goes to the rest (a bare I normalises like an apostrophe); a two-stroke
 * mark's ({@link TWO_STROKE_MARKS}) is not handed on: what looks like two tall strokes is less
 * likely any one character, so the remaining readings keep their own, lower, probabilities.
 * A candidate no taller than every small mark's limit ({@link maxMarkHeight}), and a classifier
 * without such marks, keep the classification as it is. A small letter ("o", "s", "e") written
 * small and thick normalises to a blob much like a period's: its height beside the line's letters
 * tells them apart.
 *
 * @param classification the classifier's reading of the candidate
 * @param labels the classifier's labels, in its probabilities' order
 * @param heightInLetters the candidate's height over its line's letter height
 * @param limits the tallest each small mark may be, in line letter heights (a number: the same for all)
 * @param k how many readings `top` keeps
 */
export function withoutTallMarks(
  classification: GlyphClassification,
  labels: readonly string[],
  heightInLetters: number,
  limits: number | MarkHeightLimits,
  k: number,
): GlyphClassification {
  const marks = labels.flatMap((label, i) => (SMALL_MARKS.includes(label) && heightInLetters > maxMarkHeight(label, limits) ? [i] : []))
  if (marks.length === 0) return classification
  const probabilities = classification.probabilities.slice()
  let removed = 0,
    handedOn = 0
  for (const i of marks) {
    removed += probabilities[i]
    if (!TWO_STROKE_MARKS.includes(labels[i])) handedOn += probabilities[i]
    probabilities[i] = 0
  }
  // A candidate read as nothing but marks keeps them: nothing else is left to say what it is.
  if (removed >= 1 - MIN_REMAINING_PROBABILITY) return classification
  for (let i = 0; i < probabilities.length; i++) probabilities[i] /= 1 - handedOn
  return { probabilities, top: topK(probabilities, labels, k) }
}

/** Probability left outside the marks below which there is no other reading to renormalise. */
const MIN_REMAINING_PROBABILITY = 1e-6
