import type { Box } from '../pipeline/image.js'
import type { Reading, SearchCandidate } from './search.js'
import { SMALL_MARKS } from './mark-size.js'

/**
 * The terms of the search's score for one candidate character, from what was measured of it:
 * its classification, its glyph-likeness and its size on its line. Pure arithmetic, all in
 * natural-log units; the weights are the `search` section of the configuration.
 */

/** Weights and limits of the candidate scores (the configuration's `search` section). */
export interface ScoreOptions {
  /** Readings (top classes) the search considers per candidate. */
  readonly readingsPerCandidate: number
  /** Log-score bonus per character read. */
  readonly charBonus: number
  /** Weight of log P(whole character) from the rejector. */
  readonly glyphWeight: number
  /** Floor of the rejector's probability. */
  readonly minGlyphProbability: number
  /** Log-score of passing over a candidate as not a character, before the rejector's log P(not a character)... */
  readonly skipCost: number
  /** ...and this weight times log(1 − the classifier's top probability): what the classifier reads well is not passed over lightly. */
  readonly skipClassWeight: number
  /**
   * The probability that a crop the classifier reads as a lower-case letter the rejector never learnt
   * ({@link UNLEARNT_LETTERS}) is a whole character: the rejector's word counts only for the share of
   * the classifier's belief on the other classes (see {@link judgedGlyphProbability}).
   */
  readonly unjudgedGlyphProbability: number
  /** Without a rejector: weight of the classifier's entropy (nats). */
  readonly entropyWeight: number
  /** Cost of a cut through ink between two characters, per cut and per stroke width crossed. */
  readonly cutCost: number
  readonly cutInkCost: number
  /** Width beyond this many line letter heights costs `widthCost` per letter height. */
  readonly freeWidthHeights: number
  readonly widthCost: number
  /** Height short of this fraction of the line's letter height costs `heightCost` per letter height. */
  readonly freeHeightFraction: number
  readonly heightCost: number
}

/** What is known of one candidate when it is scored. */
export interface CandidateEvidence {
  readonly from: number
  readonly to: number
  readonly box: Box
  /** The classifier's probabilities, in `labels` order. */
  readonly probabilities: Float32Array
  /** The rejector's probability that the crop is one whole character; undefined without a rejector. */
  readonly characterProbability?: number
  /**
   * The probability from a rejector that learnt the letters the first one never did (`models/rejector-mixed.json`):
   * it stands in for `unjudgedGlyphProbability` where the crop is read as one of those letters.
   */
  readonly unlearntCharacterProbability?: number
  /** Whether a cut through ink bounds it on either side: it is part of a stroke, not a stroke of its own. */
  readonly cutFromInk?: boolean
}

/** Shannon entropy of a distribution, in nats. */
export function entropy(probabilities: ArrayLike<number>): number {
  let h = 0
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]
    if (p > 0) h -= p * Math.log(p)
  }
  return h
}

/**
 * The glyph-likeness of a candidate as a log-score: the rejector's log-probability that it is a
 * whole character (floored) when there is one; else minus the classifier's entropy, a crop that
 * the classifier cannot place being less likely a character.
 */
export function glyphScore(evidence: CandidateEvidence, options: ScoreOptions): number {
  if (evidence.characterProbability !== undefined) {
    return options.glyphWeight * Math.log(Math.max(options.minGlyphProbability, evidence.characterProbability))
  }
  return -options.entropyWeight * entropy(evidence.probabilities)
}

/**
 * The log-score of passing over a candidate as not a character: `skipCost`, plus the weighted
 * log-probability the rejector gives to its not being one, plus the weighted log-probability
 * that the classifier's best reading is wrong (both floored): a crop is passed over when neither
 * model sees a character in it.
 *
 * @param topProbability the classifier's probability of its best class
 */
export function skipScore(characterProbability: number, topProbability: number, options: ScoreOptions): number {
  const floor = options.minGlyphProbability
  return (
    options.skipCost +
    options.glyphWeight * Math.log(Math.max(floor, 1 - characterProbability)) +
    options.skipClassWeight * Math.log(Math.max(floor, 1 - topProbability))
  )
}

/**
 * The width part of a candidate's layout prior on its line: nothing within letter-like
 * proportions, `widthCost` per letter height beyond `freeWidthHeights` (two letters side by side).
 *
 * @param lineLetterHeight the line's letter height, in the box's pixels
 */
export function widthScore(box: Box, lineLetterHeight: number, options: ScoreOptions): number {
  if (lineLetterHeight <= 0) return 0
  return -options.widthCost * Math.max(0, box.width / lineLetterHeight - options.freeWidthHeights)
}

/**
 * The height part of a candidate's layout prior: `heightCost` per letter height short of
 * `freeHeightFraction` (a stroke or a bar of a letter on its own). It is a cost of reading a
 * letter or a digit, not a mark: a period, a comma, an apostrophe or a dash ({@link SMALL_MARKS})
 * is that short by nature.
 */
export function shortfallScore(box: Box, lineLetterHeight: number, options: ScoreOptions): number {
  if (lineLetterHeight <= 0) return 0
  return -options.heightCost * Math.max(0, options.freeHeightFraction - box.height / lineLetterHeight)
}

/**
 * The lower-case letters the capitals rejector never learnt as characters (`models/rejector.json`,
 * `data.positives`: EMNIST's digits and capitals and Chars74K's forms of them, with the lower case of
 * C I J K L M O P S U V W X Y Z only). To an "e", "n" or "a" it gives the probability of a fragment
 * (a few percent), so that the search passed them over as clutter. Marks are not in this set
 * although the rejector never learnt them either: a fragment of a letter reads as a mark, and
 * without the rejector's doubt the search reads fragments as marks (on the first 150 mixed-case
 * synthetic pages, segmentation precision fell from 88.7 to 86.7 %). A loaded rejector names its
 * own (`GlyphRejector.unlearnt`, from its card's classes); the mixed one has none.
 */
export const UNLEARNT_LETTERS: ReadonlySet<string> = new Set('abdefghnqrt')

/**
 * Marks made of separate dots (a colon, a semicolon). The capitals rejector sees each as specks and
 * gave a colon between digits about 0.001, so the search joined its dots to a neighbour ("4:30"
 * read "430"); the mixed-case rejector learnt them, and judges them in the search where it is
 * loaded (first 150 mixed-case synthetic pages: colons found 8 -> 28 %, segmentation F1 0.8385 ->
 * 0.8388). Whether a line is text is still judged without them: two specks of a desk's grain are
 * a colon's shape, and one page of clutter went from no line to 257 characters when they counted.
 */
export const PIECED_MARKS: ReadonlySet<string> = new Set(':;')

/** What the search asks the lower-case rejector to judge: the letters the main one never learnt, and {@link PIECED_MARKS}. */
export const judgedBySecondRejector = (unlearnt: ReadonlySet<string>): ReadonlySet<string> => new Set([...unlearnt, ...PIECED_MARKS])

/**
 * The probability that a candidate is one whole character, from the rejector where it can judge:
 * `(1 − u) · rejector + u · unjudgedGlyphProbability`, with `u` the classifier's probability on
 * the letters the rejector never learnt (`unlearnt`, by default {@link UNLEARNT_LETTERS}). A crop
 * read as a capital or a digit keeps the rejector's word; one read surely as an "e" gets the prior
 * instead of a veto. A classifier without such classes (the capitals models), or a rejector that
 * learnt them all, gives `u = 0`: nothing changes.
 *
 * @param characterProbability the rejector's probability; @param probabilities the classifier's, in `labels` order
 */
export function judgedGlyphProbability(
  characterProbability: number,
  probabilities: ArrayLike<number>,
  labels: readonly string[],
  unjudgedGlyphProbability: number,
  unlearnt: ReadonlySet<string> = UNLEARNT_LETTERS,
): number {
  let unjudged = 0
  for (let i = 0; i < labels.length; i++) if (unlearnt.has(labels[i])) unjudged += probabilities[i]
  if (unjudged <= 0) return characterProbability
  unjudged = Math.min(1, unjudged)
  return (1 - unjudged) * characterProbability + unjudged * unjudgedGlyphProbability
}

/**
 * A candidate as the search takes it: its best readings with their log-probabilities, and its
 * class-independent score (character bonus + glyph-likeness + layout prior).
 *
 * @param labels the classifier's class labels
 * @param alongLine the candidate's left and right edge along the line (deskewed), in pixels
 * @param unlearnt the lower-case letters the rejector never learnt (`GlyphRejector.unlearnt`)
 */
export function searchCandidate(
  evidence: CandidateEvidence,
  labels: readonly string[],
  lineLetterHeight: number,
  alongLine: { left: number; right: number },
  options: ScoreOptions,
  unlearnt: ReadonlySet<string> = UNLEARNT_LETTERS,
): SearchCandidate {
  const { probabilities } = evidence
  const topProbability = probabilities.length > 0 ? Math.max(...probabilities) : 1
  // A short crop is unlikely a letter or a digit, but not unlikely a mark written as a stroke of
  // its own; a short piece cut out of ink (the end of a T's bar) is no mark either.
  const shortfall = shortfallScore(evidence.box, lineLetterHeight, options)
  const costsShort = (label: string): boolean => evidence.cutFromInk === true || !SMALL_MARKS.includes(label)
  const readings: Reading[] = Array.from(probabilities, (p, i) => ({
    text: labels[i],
    logProb: Math.log(Math.max(1e-12, p)) + (costsShort(labels[i]) ? shortfall : 0),
  }))
    .sort((a, b) => b.logProb - a.logProb)
    .slice(0, options.readingsPerCandidate)
  const characterProbability =
    evidence.characterProbability === undefined
      ? undefined
      : judgedGlyphProbability(
          evidence.characterProbability,
          evidence.probabilities,
          labels,
          evidence.unlearntCharacterProbability ?? options.unjudgedGlyphProbability,
          unlearnt,
        )
  const judged = { ...evidence, characterProbability }
  return {
    from: evidence.from,
    to: evidence.to,
    readings,
    score: options.charBonus + glyphScore(judged, options) + widthScore(evidence.box, lineLetterHeight, options),
    ...alongLine,
    ...(characterProbability !== undefined ? { skipScore: skipScore(characterProbability, topProbability, options) } : {}),
  }
}

/**
 * Bounds the skip score of every candidate of several segments by the skip scores of its
 * segments. Passing over a union as "not a character" costs at least what passing over its most
 * character-like segment alone costs, or a real letter next to clutter (an O beside a spiral
 * binding) is swallowed with the clutter, the union looking like no character at all. A union as
 * tall as a letter costs at least what passing over each of its segments costs: it hides the ink
 * of every one of them, and bounded by one segment, two touching letters that the classifier and
 * the rejector doubt as one crop were passed over together for less than reading either half
 * (on the mixed-case synthetic pages the largest cause of touching letters lost). A union shorter
 * than a letter (a bar or a dash that the cutter cut into pieces) keeps the first bound: its
 * pieces are one stroke, not several things passed over.
 *
 * @param candidates a line's candidates, single segments among them (`to − from = 1`)
 * @param letterSized whether the candidate at an index is as tall as a letter
 * @returns the same candidates, unions with bounded skip scores
 */
export function boundUnionSkips(
  candidates: readonly SearchCandidate[],
  letterSized: (index: number) => boolean = () => false,
): SearchCandidate[] {
  const segmentSkip = new Map<number, number>()
  for (const c of candidates) if (c.to - c.from === 1 && c.skipScore !== undefined) segmentSkip.set(c.from, c.skipScore)
  return candidates.map((c, index) => {
    if (c.skipScore === undefined || c.to - c.from === 1) return c
    let bound = c.skipScore
    if (letterSized(index)) {
      // Skip scores are negative: the sum is below every segment's, so it bounds as the first rule does too.
      let sum = 0
      for (let k = c.from; k < c.to; k++) sum += segmentSkip.get(k) ?? 0
      bound = Math.min(bound, sum)
    } else for (let k = c.from; k < c.to; k++) bound = Math.min(bound, segmentSkip.get(k) ?? bound)
    return bound === c.skipScore ? c : { ...c, skipScore: bound }
  })
}

/**
 * The score of passing each node of a lattice as a boundary between two characters: free
 * between separate pieces, `−(cutCost + cutInkCost · ink)` through a cut crossing `ink` stroke widths.
 *
 * @param cutInkStrokes per node, the ink a cut there crosses (0 where there is no cut)
 */
export function nodeScores(cutInkStrokes: ArrayLike<number>, options: ScoreOptions): Float64Array {
  return Float64Array.from({ length: cutInkStrokes.length }, (_, i) =>
    cutInkStrokes[i] > 0 ? -(options.cutCost + options.cutInkCost * cutInkStrokes[i]) : 0,
  )
}

/** Limits of {@link isTextLine} (the configuration's `textLines` section). */
export interface TextLineOptions {
  /** The characters read must average at least this probability of being whole characters. */
  readonly minMeanGlyphProbability: number
}

/**
 * Whether what the search chose on a line is text: at least one character read, no more
 * candidates passed over as not characters than read (a line whose candidates are mostly
 * rejected is clutter: a sheet edge, a spiral binding, a doodle), and the characters read look
 * like whole characters on average. A line of periods alone is not text either.
 *
 * @param readGlyphness the rejector's probability of each character read (1 without a rejector)
 * @param skipped how many candidates the search passed over
 */
export function isTextLine(readGlyphness: readonly number[], skipped: number, options: TextLineOptions): boolean {
  if (readGlyphness.length === 0 || skipped > readGlyphness.length) return false
  const meanGlyphness = readGlyphness.reduce((s, p) => s + p, 0) / readGlyphness.length
  return meanGlyphness >= options.minMeanGlyphProbability
}
