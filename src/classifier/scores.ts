/** Turning a model's logits into probabilities and ranked labels. */

/** One ranked class. */
export interface RankedLabel {
  readonly label: string
  readonly index: number
  readonly probability: number
}

/**
 * Numerically stable softmax: subtracts the largest logit before exponentiating, in float64.
 *
 * @param logits one row of scores
 * @returns probabilities summing to 1 (float32)
 */
export function softmax(logits: ArrayLike<number>): Float32Array {
  let largest = -Infinity
  for (let i = 0; i < logits.length; i++) largest = Math.max(largest, logits[i])
  const exps = new Float64Array(logits.length)
  let sum = 0
  for (let i = 0; i < logits.length; i++) {
    exps[i] = Math.exp(logits[i] - largest)
    sum += exps[i]
  }
  const out = new Float32Array(logits.length)
  for (let i = 0; i < logits.length; i++) out[i] = exps[i] / sum
  return out
}

/**
 * The `k` most probable classes, most probable first; equal probabilities keep class order.
 *
 * @param probabilities one row of probabilities, in the model's output order
 * @param labels class labels in output order (from the model card)
 * @param k how many to return (at most the number of classes)
 */
export function topK(probabilities: ArrayLike<number>, labels: readonly string[], k: number): RankedLabel[] {
  // Insertion into the kept few, not a sort of every class: it runs several times per candidate.
  const kept: number[] = []
  const count = Math.min(k, probabilities.length)
  for (let i = 0; i < probabilities.length && count > 0; i++) {
    const p = probabilities[i]
    if (kept.length === count && !(p > probabilities[kept[count - 1]])) continue
    let at = kept.length === count ? count - 1 : kept.length
    // Strictly greater moves ahead, so equal probabilities keep class order.
    while (at > 0 && p > probabilities[kept[at - 1]]) {
      kept[at] = kept[at - 1]
      at--
    }
    kept[at] = i
  }
  return kept.map((index) => ({ label: labels[index], index, probability: probabilities[index] }))
}
