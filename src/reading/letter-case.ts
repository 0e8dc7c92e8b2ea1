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
/** Small letters that stand at the x-height and have no look-alike capital: they measure the x-height. */
const X_HEIGHT_LETTERS = 'aemnr'
/** Characters that reach the cap height whatever the case: tall small letters and capitals with no small twin. */
const CAP_HEIGHT_LETTERS = 'bdfhklABDEFGHLNQRT'
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
  /** Height of small letters above the baseline, when some measured it. */
  readonly xHeight?: number
  /** Height of capitals and tall small letters above the baseline, when some measured it. */
  readonly capHeight?: number
}

/** Settings of {@link lineMetrics} and {@link caseBySize}: the configuration's `letterCase` section. */
export interface LetterCaseOptions {
  /** x-height as a fraction of the cap height, used when only one of them was measured. */
  readonly xHeightRatio: number
}

const median = (values: number[]): number | undefined => {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/**
 * Measures a line's baseline, x-height and cap height from its characters.
 *
 * @param chars the line's characters with their readings
 * @returns undefined for a line with no letter to stand on the baseline
 */
export function lineMetrics(chars: readonly PlacedCharacter[]): LineMetrics | undefined {
  const standing = chars.filter((c) => /\p{L}|\p{N}/u.test(c.text) && !DESCENDERS.includes(c.text))
  const baseline = median(standing.map((c) => c.bottom))
  if (baseline === undefined) return undefined
  const heightOf = (set: string): number | undefined => median(chars.filter((c) => set.includes(c.text)).map((c) => baseline - c.top))
  const xHeight = heightOf(X_HEIGHT_LETTERS)
  const capHeight = heightOf(CAP_HEIGHT_LETTERS)
  return { baseline, ...(xHeight !== undefined ? { xHeight } : {}), ...(capHeight !== undefined ? { capHeight } : {}) }
}

/**
 * The x-height and cap height of a line, each measured or inferred from the other (or from the
 * page's, for a line that measured neither).
 *
 * @param page metrics of the page's other lines, in the same units, for a line that measured nothing
 */
function heights(line: LineMetrics, page: LineMetrics | undefined, options: LetterCaseOptions): { x: number; cap: number } | undefined {
  const x = line.xHeight ?? (line.capHeight !== undefined ? line.capHeight * options.xHeightRatio : page?.xHeight)
  const cap = line.capHeight ?? (line.xHeight !== undefined ? line.xHeight / options.xHeightRatio : page?.capHeight)
  if (x !== undefined && cap !== undefined) return { x, cap }
  if (x !== undefined) return { x, cap: x / options.xHeightRatio }
  if (cap !== undefined) return { x: cap * options.xHeightRatio, cap }
  return undefined
}

/**
 * A character's reading with its case (and a comma or an apostrophe) decided by where it sits on
 * its line: a letter of {@link SIZE_CASED_LETTERS} is small when it rises less than halfway from
 * the x-height to the cap height above the baseline; a comma or apostrophe is an apostrophe when
 * its middle is above the middle of the x-height. Every other reading is returned as it is.
 *
 * @param page the page's metrics (see {@link pageMetrics}), for a line that measured no height
 */
export function caseBySize(
  char: PlacedCharacter,
  line: LineMetrics | undefined,
  page: LineMetrics | undefined,
  options: LetterCaseOptions,
): string {
  const lower = char.text.toLowerCase()
  const isSizeCased = SIZE_CASED_LETTERS.includes(lower)
  const isMark = char.text === ',' || char.text === "'"
  if (line === undefined || (!isSizeCased && !isMark)) return char.text
  const h = heights(line, page, options)
  if (h === undefined) return char.text
  if (isMark) return (char.top + char.bottom) / 2 < line.baseline - h.x / 2 ? "'" : ','
  const rise = line.baseline - char.top
  return rise < (h.x + h.cap) / 2 ? lower : char.text.toUpperCase()
}

/**
 * The page's x-height and cap height as ratios to each line's own measures are unknown, so the
 * page's are the medians of the lines' that measured them (lines of one page are mostly written
 * at one size).
 */
export function pageMetrics(lines: ReadonlyArray<LineMetrics | undefined>): LineMetrics | undefined {
  const measured = lines.filter((l): l is LineMetrics => l !== undefined)
  if (measured.length === 0) return undefined
  const xHeight = median(measured.flatMap((l) => (l.xHeight !== undefined ? [l.xHeight] : [])))
  const capHeight = median(measured.flatMap((l) => (l.capHeight !== undefined ? [l.capHeight] : [])))
  return { baseline: 0, ...(xHeight !== undefined ? { xHeight } : {}), ...(capHeight !== undefined ? { capHeight } : {}) }
}
