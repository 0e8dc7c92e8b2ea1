import { DEFAULT_TOP_K, type GlyphClassification, type GlyphClassifier } from './model.js'
import { topK } from './scores.js'

/**
 * A mixed-case classifier helped by a capitals-and-digits one. The 28×28 crop hides case, and a
 * model that must also tell "o" from "O" and "l" from "I" from "1" learns letters and digits less
 * sharply than one that need not; so the two are asked together: the probability of each
 * case-folded letter or digit is the weighted mean of the two models' (the mixed model's with its
 * two cases summed), shared between the cases as the mixed model shares it; punctuation is the
 * mixed model's alone. Case is then left to the line (`reading/letter-case.ts`).
 *
 * @param mixed probabilities over `mixedLabels` (each letter in both cases, digits, marks)
 * @param folded probabilities over `foldedLabels` (capitals and digits)
 * @param foldedWeight weight of the folded model in [0, 1]
 * @returns probabilities over `mixedLabels`, summing to 1
 */
export function combineCaseFolded(
  mixed: Float32Array,
  folded: Float32Array,
  mixedLabels: readonly string[],
  foldedLabels: readonly string[],
  foldedWeight: number,
): Float32Array {
  const foldedIndex = new Map(foldedLabels.map((label, i) => [label, i]))
  // Every folded label (a capital or a digit) is a label of the mixed model too.
  const groupOf = mixedLabels.map((label) => foldedIndex.get(label.toUpperCase()))
  const mixedGroup = new Float64Array(foldedLabels.length)
  const groupSize = new Int32Array(foldedLabels.length)
  let marks = 0
  mixed.forEach((p, i) => {
    const g = groupOf[i]
    if (g === undefined) marks += p
    else {
      mixedGroup[g] += p
      groupSize[g]++
    }
  })
  const out = new Float32Array(mixed.length)
  mixed.forEach((p, i) => {
    const g = groupOf[i]
    if (g === undefined) {
      out[i] = p
      return
    }
    // The folded model's probability, scaled to the mass the mixed model leaves to letters and digits.
    const group = (1 - foldedWeight) * mixedGroup[g] + foldedWeight * folded[g] * (1 - marks)
    out[i] = mixedGroup[g] > 0 ? (group * p) / mixedGroup[g] : group / groupSize[g]
  })
  return out
}

/**
 * A glyph read as a block capital: each capital and digit gets the capitals model's probability,
 * scaled to the mass the mixed model leaves to letters and digits; marks keep the mixed model's;
 * small letters get none. On a line written in capitals this is what the capitals model, trained
 * for nothing else, reads, with the marks it has no classes for.
 *
 * @param mixed probabilities over `mixedLabels`
 * @param folded probabilities over `foldedLabels` (capitals and digits)
 * @returns probabilities over `mixedLabels`, summing to 1
 */
export function capitalsReading(
  mixed: Float32Array,
  folded: Float32Array,
  mixedLabels: readonly string[],
  foldedLabels: readonly string[],
): Float32Array {
  const foldedIndex = new Map(foldedLabels.map((label, i) => [label, i]))
  let marks = 0
  mixedLabels.forEach((label, i) => {
    if (!foldedIndex.has(label.toUpperCase())) marks += mixed[i]
  })
  return Float32Array.from(mixedLabels, (label, i) => {
    const g = foldedIndex.get(label)
    if (g !== undefined) return folded[g] * (1 - marks)
    return foldedIndex.has(label.toUpperCase()) ? 0 : mixed[i]
  })
}

/**
 * The classifier of {@link combineCaseFolded}: both models run on the same batch (one session run
 * each), their readings combined per glyph, with each glyph's {@link capitalsReading} beside.
 * Its card and labels are the mixed model's.
 */
export function caseFoldedEnsemble(name: string, mixed: GlyphClassifier, folded: GlyphClassifier, foldedWeight: number): GlyphClassifier {
  const labels = mixed.card.classes
  return {
    name,
    card: mixed.card,
    logits: (glyphs) => mixed.logits(glyphs),
    async classify(glyphs, k): Promise<GlyphClassification[]> {
      const [a, b] = await Promise.all([mixed.classify(glyphs, 1), folded.classify(glyphs, 1)])
      return a.map((m, i) => {
        const probabilities = combineCaseFolded(m.probabilities, b[i].probabilities, labels, folded.card.classes, foldedWeight)
        const capitals = capitalsReading(m.probabilities, b[i].probabilities, labels, folded.card.classes)
        const top = (p: Float32Array): GlyphClassification['top'] => topK(p, labels, k ?? DEFAULT_TOP_K)
        return { probabilities, top: top(probabilities), capitals: { probabilities: capitals, top: top(capitals) } }
      })
    },
    close: async () => {
      await Promise.all([mixed.close(), folded.close()])
    },
  }
}
