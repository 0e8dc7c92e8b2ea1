import type { Box } from './image.js'

/** Options of {@link findBindingMarks}. */
export interface BindingOptions {
  /** Marks lie wholly within this fraction of the page's width from its left or right side. */
  readonly edgeFraction: number
  /** A binding shows at least this many marks down the side. */
  readonly minMarks: number
  /** The marks are alike: width and height each within this fraction of the column's median. */
  readonly sizeTolerance: number
  /** The marks are evenly spaced: this share of the gaps between neighbours... */
  readonly regularShare: number
  /** ...are within this fraction of the median gap (or of twice it: a ring the light hides). */
  readonly pitchTolerance: number
  /** The marks run down at least this fraction of the page's height. */
  readonly minSpanFraction: number
  /** At least this share of the marks have no other ink in their row (a list's numbers each lead a line of text). */
  readonly minAloneShare: number
}

/**
 * The marks of a spiral or ring binding, or of punched holes, down a side of the page: a column of
 * at least `minMarks` alike marks near the left or right side, evenly spaced down most of the page's
 * height, most of them with nothing else in their row. Found before the letter height is measured,
 * since a binding's dozen rings would otherwise pass for the page's letters (and big letters beside
 * them for drawings); the rings are then no line of one character each.
 *
 * A numbered list written along a side is no binding: its numbers differ in shape, follow the
 * lines of text rather than a fixed pitch, and each leads a line of text.
 *
 * @param boxes the page's ink components (letters, rings, rule ends, specks)
 * @param width the page's width; @param height its height
 * @returns the indices in `boxes` of the marks of a binding (empty when there is none)
 */
export function findBindingMarks(boxes: readonly Box[], width: number, height: number, options: BindingOptions): Set<number> {
  const marks = new Set<number>()
  const edge = options.edgeFraction * width
  const left = boxes.map((b, i) => ({ b, i })).filter(({ b }) => b.x + b.width <= edge)
  const right = boxes.map((b, i) => ({ b, i })).filter(({ b }) => b.x >= width - edge)
  const inStrip = new Set([...left, ...right].map(({ i }) => i))
  // The rows that hold ink away from the sides.
  const inner = boxes.filter((_, i) => !inStrip.has(i))
  for (const side of [left, right]) {
    const column = alikeColumn(
      side.map(({ b }) => b),
      options.sizeTolerance,
    ).map((k) => side[k])
    if (column.length < options.minMarks) continue
    column.sort((a, b) => a.b.y + a.b.height / 2 - (b.b.y + b.b.height / 2))
    const centres = column.map(({ b }) => b.y + b.height / 2)
    if (centres[centres.length - 1] - centres[0] < options.minSpanFraction * height) continue
    const gaps = centres.slice(1).map((c, k) => c - centres[k])
    const pitch = median(gaps)
    const even = gaps.filter(
      (g) => Math.abs(g - pitch) <= options.pitchTolerance * pitch || Math.abs(g - 2 * pitch) <= options.pitchTolerance * pitch,
    )
    if (even.length < options.regularShare * gaps.length) continue
    const alone = column.filter(({ b }) => !inner.some((o) => o.y < b.y + b.height && b.y < o.y + o.height))
    if (alone.length < options.minAloneShare * column.length) continue
    for (const { i } of column) marks.add(i)
  }
  return marks
}

/**
 * The largest group of alike boxes: those whose width and height are within `tolerance` of the
 * median of the group's width and height, grown from the box most others are alike to.
 *
 * @returns indices into `boxes`
 */
function alikeColumn(boxes: readonly Box[], tolerance: number): number[] {
  const alike = (a: { width: number; height: number }, b: Box): boolean =>
    Math.abs(b.width - a.width) <= tolerance * a.width && Math.abs(b.height - a.height) <= tolerance * a.height
  let best: number[] = []
  for (const seed of boxes) {
    const group = boxes.flatMap((b, k) => (alike(seed, b) ? [k] : []))
    if (group.length <= best.length) continue
    // Measured against the group's own median, so that the seed's quirks do not decide it.
    const typical = { width: median(group.map((k) => boxes[k].width)), height: median(group.map((k) => boxes[k].height)) }
    const settled = boxes.flatMap((b, k) => (alike(typical, b) ? [k] : []))
    if (settled.length > best.length) best = settled
  }
  return best
}

/** The median of a non-empty list (the lower middle one for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor((sorted.length - 1) / 2)]
}
