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
/** Small letters that hang below the baseline: left out of the baseline. */
const DESCENDERS = 'gjpqy'

/** One character of a line, in the line's deskewed frame (v grows downwards). */
export interface PlacedCharacter {
  /** Its reading, one character. */
  readonly text: string
  readonly top: number
  readonly bottom: number
}

/** What a line's characters say of its writing: distances in the line's pixels. */
export interface LineMetrics {
  /** The baseline's position (v), where letters without descenders stand. */
  readonly baseline: number
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
}

function quantile(values: number[], q: number): number | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const at = q * (sorted.length - 1)
  const low = Math.floor(at)
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (at - low)
}

const median = (values: number[]): number | undefined => quantile(values, 0.5)
const isLetter = (text: string): boolean => /^\p{L}$/u.test(text)

/** Letters whose case the classifier's reading says by shape: neither size-cased nor a bare stroke (i I l). */
const isShapeCased = (text: string): boolean => isLetter(text) && !SIZE_CASED_LETTERS.includes(text.toLowerCase()) && !'iIl'.includes(text)

/**
 * Measures a line's baseline, cap height and x-height from how high its letters rise above the
 * baseline: the tall ones give the cap height, the clearly smaller ones the x-height. Whether the
 * line is written in capitals is asked of the heights and of the shapes together: a line whose
 * typical letter rises as high as its tall ones is in capitals unless most letters whose case
 * shows in their shape (a, e, r, g …) were read small (then it is small letters with few
 * ascenders: "rapid progress"); a line of mixed heights is in capitals when every such letter was
 * read as a capital (a writer's uneven capitals: "Touch" written "TOUCH").
 *
 * @param chars the line's characters with their readings
 * @returns undefined for a line with no letter
 */
export function lineMetrics(chars: readonly PlacedCharacter[], options: LetterCaseOptions): LineMetrics | undefined {
  const letters = chars.filter((c) => isLetter(c.text))
  const standing = letters.filter((c) => !DESCENDERS.includes(c.text))
  const baseline = median((standing.length > 0 ? standing : letters).map((c) => c.bottom))
  if (baseline === undefined) return undefined
  const rises = letters.map((c) => baseline - c.top)
  const tallest = quantile(rises, options.capQuantile) ?? 0
  const typical = median(rises) ?? 0
  const shaped = letters.filter((c) => isShapeCased(c.text))
  const readSmall = shaped.filter((c) => c.text !== c.text.toUpperCase()).length
  const readCapital = shaped.length - readSmall
  if (typical >= options.smallLetterFraction * tallest) {
    if (readSmall <= readCapital) return { baseline, capHeight: tallest }
    return { baseline, capHeight: typical / options.xHeightRatio, xHeight: typical }
  }
  if (readSmall === 0 && readCapital >= options.minCapitalVotes) return { baseline, capHeight: tallest }
  return { baseline, capHeight: tallest, xHeight: median(rises.filter((r) => r < options.smallLetterFraction * tallest)) }
}

/**
 * A character's reading with its case (and a comma or an apostrophe) decided by where it sits on
 * its line. On a line written in capitals every letter is a capital. Otherwise a letter of
 * {@link SIZE_CASED_LETTERS} is small when it rises less than halfway from the x-height to the
 * cap height above the baseline, and a comma or apostrophe is an apostrophe when its middle is
 * above the middle of the x-height. Every other reading is returned as it is.
 */
export function caseBySize(char: PlacedCharacter, line: LineMetrics | undefined): string {
  if (line === undefined) return char.text
  if (line.xHeight === undefined) return isLetter(char.text) ? char.text.toUpperCase() : char.text
  if (char.text === ',' || char.text === "'") return (char.top + char.bottom) / 2 < line.baseline - line.xHeight / 2 ? "'" : ','
  const lower = char.text.toLowerCase()
  if (!SIZE_CASED_LETTERS.includes(lower)) return char.text
  const rise = line.baseline - char.top
  return rise < (line.xHeight + line.capHeight) / 2 ? lower : char.text.toUpperCase()
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
