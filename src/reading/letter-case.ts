/**
 * Case and marks from the line, not the crop alone. Many lower-case letters are small copies of
 * their capitals (c C, o O, s S …), and a 28×28 crop normalised the EMNIST way erases the
 * difference; so does it between a comma and an apostrophe. Where a character sits on its line
 * tells them apart: a capital reaches the cap height above the baseline, a small letter the
 * x-height; a comma hangs at the baseline, an apostrophe at the top.
 *
 * The line's baseline, x-height and cap height are measured from the characters whose reading
 * leaves no doubt (a, e, n, r stand at the x-height; b, d, h, l and the capitals that have no
 * small twin reach the cap height), in the line's own frame (deskewed). Pure arithmetic over
 * boxes: the reader supplies the readings.
 */

/** Letters whose small and capital forms differ mostly in size: their case is decided by height. */
export const SIZE_CASED_LETTERS = 'cmopsuvwxyz'
/** Letters that are a bare upright stroke, told apart by height alone once the i's dot is lost. */
const BARE_STROKES = 'Il'
/** Small letters that hang below the baseline: left out of the baseline. */
const DESCENDERS = 'gjpqy'
/** Small letters whose shape is not their capital's and that rise only to the x-height: read small, they measure it. */
const X_HEIGHT_SHAPES = 'aenr'

/** One character of a line, in the line's deskewed frame (u along the line, v grows downwards). */
export interface PlacedCharacter {
  /** Its reading, one character. */
  readonly text: string
  readonly top: number
  readonly bottom: number
  /** Its centre along the line; 0 when not known (the baseline is then level). */
  readonly u?: number
}

/** What a line's characters say of its writing: distances in the line's pixels. */
export interface LineMetrics {
  /**
   * The baseline's position (v) at u = 0, where letters without descenders stand; at u it is
   * `baseline + slope · u`.
   */
  readonly baseline: number
  /** How far the baseline falls (v grows) per pixel along the line: handwritten lines drift from the page's skew. */
  readonly slope: number
  /** Height of capitals and tall small letters above the baseline. */
  readonly capHeight: number
  /** Height of small letters above the baseline; undefined for a line written in capitals only. */
  readonly xHeight?: number
}

/** Settings of {@link lineMetrics}: the configuration's `letterCase` section. */
export interface LetterCaseOptions {
  /** The cap height is this quantile of the letters' heights above the baseline (the tallest, less strays). */
  readonly capQuantile: number
  /**
   * Letters rising less than this fraction of the cap height are small ones; when the line's
   * median letter rises at least this high, the line is written in capitals.
   */
  readonly smallLetterFraction: number
  /** x-height as a fraction of the cap height, for a line of small letters with no ascender to measure the cap height. */
  readonly xHeightRatio: number
  /** A line of uneven heights is in capitals when at least this many letters were read as capitals by shape and none small. */
  readonly minCapitalVotes: number
  /**
   * A bare stroke (I, l) is an i whose dot was not read with it when it rises less than this
   * fraction of the way from the x-height to the cap height.
   */
  readonly dotlessStrokeRise: number
}

function quantile(values: number[], q: number): number | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const at = q * (sorted.length - 1)
  const low = Math.floor(at)
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (at - low)
}

const median = (values: number[]): number | undefined => quantile(values, 0.5)

/** Two letters closer than this many of their own heights along the line say nothing of its slope. */
const MIN_SLOPE_BASE_HEIGHTS = 1.5

/**
 * The baseline through the bottoms of the letters that stand on it, robustly (Theil–Sen): its
 * slope is the median of the slopes between pairs of letters at least
 * {@link MIN_SLOPE_BASE_HEIGHTS} letter heights apart, its offset the median of what each letter
 * says given that slope; a line with no such pair is level.
 */
function fitBaseline(standing: readonly PlacedCharacter[]): { baseline: number; slope: number } | undefined {
  const heights = median(standing.map((c) => c.bottom - c.top)) ?? 0
  const slopes: number[] = []
  for (let i = 0; i < standing.length; i++) {
    for (let j = i + 1; j < standing.length; j++) {
      const du = (standing[j].u ?? 0) - (standing[i].u ?? 0)
      if (Math.abs(du) >= MIN_SLOPE_BASE_HEIGHTS * heights && du !== 0) slopes.push((standing[j].bottom - standing[i].bottom) / du)
    }
  }
  const slope = median(slopes) ?? 0
  const baseline = median(standing.map((c) => c.bottom - slope * (c.u ?? 0)))
  return baseline === undefined ? undefined : { baseline, slope }
}

/** The baseline's v at a character's place along the line. */
export const baselineAt = (line: Pick<LineMetrics, 'baseline' | 'slope'>, char: PlacedCharacter): number =>
  line.baseline + line.slope * (char.u ?? 0)
const isLetter = (text: string): boolean => /^\p{L}$/u.test(text)

/** Letters whose case the classifier's reading says by shape: neither size-cased nor a bare stroke (i I l). */
const isShapeCased = (text: string): boolean => isLetter(text) && !SIZE_CASED_LETTERS.includes(text.toLowerCase()) && !'iIl'.includes(text)

/**
 * Measures a line's baseline, cap height and x-height from how high its letters rise above the
 * baseline: the tall ones give the cap height, the clearly smaller ones the x-height. Whether the
 * line is written in capitals is asked of the heights and of the shapes together: a line whose
 * typical letter rises as high as its tall ones is in capitals unless most letters whose case
 * shows in their shape (a, e, r, g …) were read small; then its x-height is where its a, e, n and
 * r stand when they stand clearly lower than the tall letters ("Call"), else it is small letters
 * with few ascenders ("rapid progress"); a line of mixed heights is in capitals when every such letter was
 * read as a capital (a writer's uneven capitals: "Touch" written "TOUCH").
 *
 * @param chars the line's characters with their readings
 * @returns undefined for a line with no letter
 */
export function lineMetrics(chars: readonly PlacedCharacter[], options: LetterCaseOptions): LineMetrics | undefined {
  const letters = chars.filter((c) => isLetter(c.text))
  const standing = letters.filter((c) => !DESCENDERS.includes(c.text))
  const fitted = fitBaseline(standing.length > 0 ? standing : letters)
  if (fitted === undefined) return undefined
  const { baseline, slope } = fitted
  const rises = letters.map((c) => baseline + slope * (c.u ?? 0) - c.top)
  const tallest = quantile(rises, options.capQuantile) ?? 0
  const typical = median(rises) ?? 0
  const shaped = letters.filter((c) => isShapeCased(c.text))
  const readSmall = shaped.filter((c) => c.text !== c.text.toUpperCase()).length
  const readCapital = shaped.length - readSmall
  if (typical >= options.smallLetterFraction * tallest) {
    if (readSmall <= readCapital) return { baseline, slope, capHeight: tallest }
    // Mostly tall letters ("Call", "bell") with small ones that measure the x-height below them; else small letters with few ascenders.
    const xHeight = median(letters.flatMap((c, i) => (X_HEIGHT_SHAPES.includes(c.text) ? [rises[i]] : [])))
    if (xHeight !== undefined && xHeight < options.smallLetterFraction * tallest) return { baseline, slope, capHeight: tallest, xHeight }
    return { baseline, slope, capHeight: typical / options.xHeightRatio, xHeight: typical }
  }
  if (readSmall === 0 && readCapital >= options.minCapitalVotes) return { baseline, slope, capHeight: tallest }
  return { baseline, slope, capHeight: tallest, xHeight: median(rises.filter((r) => r < options.smallLetterFraction * tallest)) }
}

/**
 * A character's reading with its case (and a comma or an apostrophe) decided by where it sits on
 * its line. On a line written in capitals every letter is a capital. Otherwise a letter of
 * {@link SIZE_CASED_LETTERS} is small when it rises less than halfway from the x-height to the
 * cap height above the baseline, and a comma or apostrophe is an apostrophe when its middle is
 * above the middle of the x-height. A bare stroke read I or l is an i that lost its dot when it
 * stands near the x-height (`dotlessStrokeRise`). Every other reading is returned as it is.
 */
export function caseBySize(
  char: PlacedCharacter,
  line: LineMetrics | undefined,
  options: Pick<LetterCaseOptions, 'dotlessStrokeRise'>,
): string {
  if (line === undefined) return char.text
  if (line.xHeight === undefined) return isLetter(char.text) ? char.text.toUpperCase() : char.text
  const baseline = baselineAt(line, char)
  if (char.text === ',' || char.text === "'") return (char.top + char.bottom) / 2 < baseline - line.xHeight / 2 ? "'" : ','
  const rise = baseline - char.top
  const small = rise < (line.xHeight + line.capHeight) / 2
  // A bare stroke no taller than the small letters is no I or l (both reach the cap height): it is an i whose dot was not read
  // with it. An l or I is written far more often than an i's dot is lost, so it must stand near the x-height, not merely below midway.
  if (BARE_STROKES.includes(char.text)) {
    return rise < line.xHeight + options.dotlessStrokeRise * (line.capHeight - line.xHeight) ? 'i' : char.text
  }
  const lower = char.text.toLowerCase()
  if (!SIZE_CASED_LETTERS.includes(lower)) return char.text
  return small ? lower : char.text.toUpperCase()
}

/**
 * One case per word (its first letter: the first that is a letter, "'Tis"). After a capital first
 * letter, a letter whose case is not the case of most letters after the first takes theirs
 * ("BuTS" → "BUTS"; the first keeps its own: "Hello", "Berlin"; a tie, or fewer than two letters
 * after it, changes nothing). A word whose first letter is small takes the case of most of its
 * letters, the first among them, and small on a tie ("dentIst" → "dentist", "oF" → "of",
 * "comPUTER" → "COMPUTER"): words begin small and go on in capitals ("iPhone") far more rarely
 * than a letter's case is misread.
 *
 * @param word the characters of one word, as read
 */
export function consistentCase(word: readonly string[]): string[] {
  const first = word.findIndex(isLetter)
  if (first < 0) return [...word]
  const isUpper = (c: string): boolean => c !== c.toLowerCase()
  const isLower = (c: string): boolean => c !== c.toUpperCase()
  const startsSmall = isLower(word[first])
  const voters = word.slice(startsSmall ? first : first + 1).filter(isLetter)
  if (!startsSmall && voters.length < 2) return [...word]
  const upper = voters.filter(isUpper).length
  const lower = voters.filter(isLower).length
  if (upper === lower && !startsSmall) return [...word]
  const toMajority = upper > lower ? (c: string): string => c.toUpperCase() : (c: string): string => c.toLowerCase()
  return word.map((c, i) => ((i === first && !startsSmall) || !isLetter(c) ? c : toMajority(c)))
}
