import type { Box } from './image.js'
import { deskewedCentre } from './rows.js'
import { median } from './stroke.js'

/**
 * Text lines from the letters' heights and positions, built the way line extraction for
 * handwriting does it (nearest-neighbour chaining of components, as in O'Gorman's docstrum and
 * the component-based line segmenters after it), so that lines hold when they are tightly spaced
 * and each slanted its own way, when big letters stand far apart, and when letters of two lines
 * stand above one another:
 *
 * 1. ANCHORS, the letter-sized items, are linked to their nearest consistent neighbour along the
 *    line (to the right, overlapping it across the line), a link kept only when each is the
 *    other's best: CHAINS of letters that cannot jump to a line above or below.
 * 2. Chains are joined end to start, again mutually best, where each one's centre line (a local
 *    straight fit through its letters' centres) meets the other's across the gap: a line broken
 *    by a wide word gap or by far-apart big letters becomes whole, while lines above and below,
 *    however close, stay apart. Chains that run side by side join only where their centre lines
 *    agree all along (a letter set low that the links passed over).
 * 3. The other items (marks, fragments, tall ink) join the line whose band they sit in. An item
 *    whose height spans the centres of two lines is ink of both that dilation joined (a letter
 *    above a letter): its parts go to their lines one by one, so that no candidate stacks them.
 * 4. What joined no line is chained on its own (a title written bigger than the rest).
 *
 * Everything is measured in the frame where the page's dominant skew is removed ({@link deskewedCentre}).
 */

/** Settings of {@link findTextLines}, in letter heights unless said otherwise. */
export interface LineOptions {
  /** Anchors are items at least this fraction of the page's letter height tall... */
  readonly minAnchorFraction: number
  /** ...and at most this many letter heights tall (taller may be ink of two lines). */
  readonly maxAnchorHeights: number
  /** A link spans a gap of at most this many of the taller letter's heights. */
  readonly maxLinkGapHeights: number
  /** Neighbours along a line overlap horizontally by at most this fraction of the narrower one (more is stacked). */
  readonly maxLinkOverlap: number
  /** Neighbours along a line overlap across it by at least this fraction of the shorter one. */
  readonly minLinkOverlap: number
  /** Weight of the offset across the line against the gap along it, in a link's or a join's cost. */
  readonly offsetWeight: number
  /** Chains are joined across a gap of at most this many of their letter heights... */
  readonly maxJoinGapHeights: number
  /** ...when their centre lines meet within this many letter heights in the middle of the gap... */
  readonly maxJoinOffsetHeights: number
  /** ...or, where they run side by side, keep within this many letter heights all along. */
  readonly maxSideBySideOffsetHeights: number
  /** A line's centre at some point is fitted through this many of its letters nearest to it. */
  readonly fitLetters: number
  /**
   * The fitted slope (in the deskewed frame) is drawn towards level as if one more letter stood level
   * this many letter heights away: one or two letters say little about a slope.
   */
  readonly slopePriorHeights: number
  /** Another item joins a line when its centre is within this many letter heights of the line's band. */
  readonly maxAttachHeights: number
  /** ...and it lies along the line or at most this many letter heights beyond its ends. */
  readonly maxAttachBeyondHeights: number
  /** An item may span a line when the line's band overlaps its height by this fraction of the line's letter height. */
  readonly spanInsetFraction: number
  /** A line must hold an item at least this fraction of the letter height tall; lines of small marks are texture. */
  readonly minLineHeightFraction: number
}

/** An item placed in the deskewed frame: its centre (u along the line, v across) and extents. */
interface Unit<T> {
  readonly item: T
  readonly u: number
  readonly v: number
  readonly u0: number
  readonly u1: number
  readonly v0: number
  readonly v1: number
  readonly height: number
  readonly width: number
}

/**
 * A line being built: the letters that place it (left to right) and their median height, and the
 * items attached to it that only follow.
 */
interface Chain<T> {
  readonly units: Unit<T>[]
  readonly attached: Unit<T>[]
  readonly height: number
  readonly u0: number
  readonly u1: number
  /** The lowest and highest of its letters' centres across the line. */
  readonly vMin: number
  readonly vMax: number
}

function place<T extends { box: Box }>(item: T, skew: number): Unit<T> {
  const { u, v } = deskewedCentre(item.box, skew)
  const { width, height } = item.box
  return { item, u, v, u0: u - width / 2, u1: u + width / 2, v0: v - height / 2, v1: v + height / 2, height, width }
}

function chainOf<T>(units: Unit<T>[], attached: Unit<T>[] = []): Chain<T> {
  const sorted = [...units].sort((a, b) => a.u - b.u)
  return {
    units: sorted,
    attached,
    height: median(sorted.map((x) => x.height)),
    u0: sorted.reduce((m, x) => Math.min(m, x.u0), Infinity),
    u1: sorted.reduce((m, x) => Math.max(m, x.u1), -Infinity),
    vMin: sorted.reduce((m, x) => Math.min(m, x.v), Infinity),
    vMax: sorted.reduce((m, x) => Math.max(m, x.v), -Infinity),
  }
}

/**
 * A quick bound before fitting: whether the chain's centre line at `u` may come within `reach` of
 * the span `[v0, v1]` across the line. The centre line stays near its letters' centres, give or
 * take a letter height, the fit's run across its widest gap and half the distance beyond its ends.
 */
function mayReach<T>(chain: Chain<T>, u: number, v0: number, v1: number, reach: number, options: LineOptions): boolean {
  const beyond = Math.max(0, chain.u0 - u, u - chain.u1)
  const slack = reach + chain.height * (1 + options.maxJoinGapHeights / 2) + beyond / 2
  return v1 >= chain.vMin - slack && v0 <= chain.vMax + slack
}

/**
 * A line's centre across the line at `u`: the least-squares straight line through the centres of
 * its `fitLetters` letters nearest to `u` along it, its slope drawn towards level by a prior (see
 * {@link LineOptions.slopePriorHeights}). Near the line's ends this extrapolates the end's own slant.
 *
 * @param centres the line's letter centres, sorted by `u`
 */
export function centreAt(centres: readonly { u: number; v: number }[], u: number, height: number, options: LineOptions): number {
  const n = centres.length
  if (n === 0) return Number.NaN
  const count = Math.min(n, Math.max(1, options.fitLetters))
  // The nearest `count` along the line are a window of the sorted centres: grow it from where `u` falls.
  let lo = 0,
    hi = n
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (centres[mid].u < u) lo = mid + 1
    else hi = mid
  }
  let from = lo,
    to = lo // window [from, to)
  while (to - from < count) {
    if (from === 0) to++
    else if (to === n) from--
    else if (u - centres[from - 1].u <= centres[to].u - u) from--
    else to++
  }
  let meanU = 0,
    meanV = 0
  for (let k = from; k < to; k++) {
    meanU += centres[k].u / count
    meanV += centres[k].v / count
  }
  let suv = 0,
    suu = (options.slopePriorHeights * height) ** 2
  for (let k = from; k < to; k++) {
    suv += (centres[k].u - meanU) * (centres[k].v - meanV)
    suu += (centres[k].u - meanU) ** 2
  }
  return meanV + (suv / suu) * (u - meanU)
}

function chainCentre<T>(chain: Chain<T>, u: number, options: LineOptions): number {
  return centreAt(chain.units, u, chain.height, options)
}

/**
 * Links each unit to its best right neighbour and keeps the links that are mutual: the left
 * neighbour's best right is the right one's best left. Both overlap across the line by at least
 * `minLinkOverlap` of the shorter, stand side by side (horizontal overlap at most `maxLinkOverlap`
 * of the narrower), at most `maxLinkGapHeights` of the taller apart; the cost is the length of
 * (gap, `offsetWeight` × how far the shorter sticks out of the taller's height), in the taller's
 * heights: a diagonal neighbour of the next line close by costs more than a level one far off.
 */
function linkChains<T>(units: readonly Unit<T>[], options: LineOptions): Chain<T>[] {
  const n = units.length
  const order = [...units.keys()].sort((a, b) => units[a].u0 - units[b].u0)
  const maxHeight = units.reduce((m, x) => Math.max(m, x.height), 0)
  const bestRight = new Int32Array(n).fill(-1),
    bestLeft = new Int32Array(n).fill(-1)
  const costRight = new Float64Array(n).fill(Infinity),
    costLeft = new Float64Array(n).fill(Infinity)
  for (let i = 0; i < n; i++) {
    const a = units[order[i]]
    // A right neighbour starts right of `a`'s left edge (it overlaps `a` by at most half of `a`'s width)
    // and at most one widest reach right of its right edge: scan the units sorted by left edge.
    for (let k = i + 1; k < n; k++) {
      const b = units[order[k]]
      if (b.u0 > a.u1 + options.maxLinkGapHeights * maxHeight) break
      if (b.u <= a.u) continue
      const cost = linkCost(a, b, options)
      if (cost === undefined) continue
      const ia = order[i],
        ib = order[k]
      if (cost < costRight[ia]) {
        costRight[ia] = cost
        bestRight[ia] = ib
      }
      if (cost < costLeft[ib]) {
        costLeft[ib] = cost
        bestLeft[ib] = ia
      }
    }
  }
  const next = new Int32Array(n).fill(-1),
    hasPrevious = new Uint8Array(n)
  for (let a = 0; a < n; a++) {
    const b = bestRight[a]
    if (b >= 0 && bestLeft[b] === a) {
      next[a] = b
      hasPrevious[b] = 1
    }
  }
  const chains: Chain<T>[] = []
  for (let start = 0; start < n; start++) {
    if (hasPrevious[start]) continue
    const members: Unit<T>[] = []
    for (let k = start; k >= 0; k = next[k]) members.push(units[k])
    chains.push(chainOf(members))
  }
  return chains
}

/** The cost of `b` following `a` along a line, or undefined when it cannot. */
function linkCost<T>(a: Unit<T>, b: Unit<T>, options: LineOptions): number | undefined {
  const tall = Math.max(a.height, b.height)
  const gap = b.u0 - a.u1
  if (gap > options.maxLinkGapHeights * tall) return undefined
  if (-gap > options.maxLinkOverlap * Math.min(a.width, b.width)) return undefined
  const across = Math.min(a.v1, b.v1) - Math.max(a.v0, b.v0)
  if (across < options.minLinkOverlap * Math.min(a.height, b.height)) return undefined
  // How far the shorter sticks out of the taller's height: for letters of one height the offset of their
  // centres, and nothing for an x-height letter beside an ascender or descender of its line.
  const [short, long] = a.height <= b.height ? [a, b] : [b, a]
  const offset = Math.max(0, long.v0 - short.v0) + Math.max(0, short.v1 - long.v1)
  return Math.hypot(Math.max(0, gap), options.offsetWeight * offset) / tall
}

/**
 * The cost of joining chain `b` to chain `a`, which starts left of it, or undefined when they are
 * not one line. Their centre lines must meet within `maxJoinOffsetHeights`: in the middle of the
 * gap between them, or, where they run side by side (the links passed over a letter set low or
 * high, and two chains interleave), all along the stretch both run along.
 */
function joinCost<T>(a: Chain<T>, b: Chain<T>, options: LineOptions): number | undefined {
  if (b.u0 < a.u0) return undefined
  const height = Math.max(a.height, b.height)
  const gap = b.u0 - a.u1
  if (gap > options.maxJoinGapHeights * height) return undefined
  const last = a.units[a.units.length - 1],
    first = b.units[0]
  const end = Math.min(a.u1, b.u1)
  // Side by side, they must agree all along the shared stretch (at its ends and middle): lines
  // above and below that converge come close somewhere.
  const endToStart = first.u > last.u
  const apart = (u: number): number => Math.abs(chainCentre(a, u, options) - chainCentre(b, u, options))
  const offset = endToStart ? apart((last.u + first.u) / 2) : Math.max(apart(b.u0), apart((b.u0 + end) / 2), apart(end))
  if (offset > (endToStart ? options.maxJoinOffsetHeights : options.maxSideBySideOffsetHeights) * height) return undefined
  return Math.hypot(Math.max(0, gap), options.offsetWeight * offset) / height
}

/** Joins chains into lines, mutually best pairs at a time, until none is left to join. */
function joinChains<T>(chains: Chain<T>[], options: LineOptions): Chain<T>[] {
  let current = chains
  for (;;) {
    const n = current.length
    const bestRight = new Int32Array(n).fill(-1),
      bestLeft = new Int32Array(n).fill(-1)
    const costRight = new Float64Array(n).fill(Infinity),
      costLeft = new Float64Array(n).fill(Infinity)
    // `b` starts no further left than `a` and at most a join's gap right of its end: scan by left end.
    const order = [...current.keys()].sort((x, y) => current[x].u0 - current[y].u0)
    const tallest = current.reduce((m, c) => Math.max(m, c.height), 0)
    for (let i = 0, first = 0; i < n; i++) {
      const a = order[i]
      while (current[order[first]].u0 < current[a].u0) first++
      for (let k = first; k < n; k++) {
        const b = order[k]
        if (a === b) continue
        if (current[b].u0 > current[a].u1 + options.maxJoinGapHeights * tallest) break
        const reach = options.maxJoinOffsetHeights * Math.max(current[a].height, current[b].height)
        if (!mayReach(current[a], current[b].u0, current[b].vMin, current[b].vMax, reach, options)) continue
        const cost = joinCost(current[a], current[b], options)
        if (cost === undefined) continue
        if (cost < costRight[a]) {
          costRight[a] = cost
          bestRight[a] = b
        }
        if (cost < costLeft[b]) {
          costLeft[b] = cost
          bestLeft[b] = a
        }
      }
    }
    const joinedInto = new Int32Array(n).fill(-1)
    let joins = 0
    for (let a = 0; a < n; a++) {
      const b = bestRight[a]
      if (b >= 0 && bestLeft[b] === a && joinedInto[a] < 0 && joinedInto[b] < 0) {
        // Only pairs this round: a chain already taken waits for the next.
        joinedInto[a] = a
        joinedInto[b] = a
        joins++
      }
    }
    if (joins === 0) return current
    const merged = new Map<number, Chain<T>[]>()
    const out: Chain<T>[] = []
    for (let c = 0; c < n; c++) {
      const into = joinedInto[c]
      if (into < 0) out.push(current[c])
      else merged.set(into, [...(merged.get(into) ?? []), current[c]])
    }
    for (const parts of merged.values()) {
      out.push(
        chainOf(
          parts.flatMap((p) => p.units),
          parts.flatMap((p) => p.attached),
        ),
      )
    }
    current = out
  }
}

/** Chains of the given units, joined into lines (steps 1 and 2). */
function buildLines<T>(units: readonly Unit<T>[], options: LineOptions): Chain<T>[] {
  return units.length === 0 ? [] : joinChains(linkChains(units, options), options)
}

/** Whether the unit lies along the line or at most `beyondHeights` of its letter heights beyond its ends. */
function alongLine<T>(unit: Unit<T>, line: Chain<T>, beyondHeights: number): boolean {
  const reach = beyondHeights * line.height
  return unit.u1 >= line.u0 - reach && unit.u0 <= line.u1 + reach
}

/**
 * Whether the unit may span two lines: the bands of two lines (centre ± half a letter height), at
 * its place, overlap its height by at least `spanInsetFraction` of a letter height, and their
 * centres are at least their heights apart (closer, their bands overlap: they are pieces of one
 * line not yet joined, and the unit a tall letter of it). Its parts decide ({@link splitAcross}).
 */
function spansLines<T>(unit: Unit<T>, lines: readonly Chain<T>[], options: LineOptions): boolean {
  const inside: { centre: number; height: number }[] = []
  for (const line of lines) {
    // As far as the line could continue (see `joinCost`): ink there may be the line's own.
    if (!alongLine(unit, line, options.maxJoinGapHeights) || !mayReach(line, unit.u, unit.v0, unit.v1, 0, options)) continue
    const centre = chainCentre(line, unit.u, options)
    const inset = options.spanInsetFraction * line.height - line.height / 2
    if (centre >= unit.v0 + inset && centre <= unit.v1 - inset) inside.push({ centre, height: line.height })
  }
  return inside.some((a) => inside.some((b) => b.centre - a.centre >= (a.height + b.height) / 2))
}

/**
 * The parts of a unit that spans two lines, when they are letters of those lines: each part
 * no taller than a letter of its nearest line, and letter-sized parts going to at least two lines.
 * Otherwise (one stroke through both, a big letter across lines of small marks) undefined.
 */
function splitAcross<T extends { box: Box }>(
  unit: Unit<T>,
  partsOf: (item: T) => readonly T[],
  lines: readonly Chain<T>[],
  skew: number,
  options: LineOptions,
): Unit<T>[] | undefined {
  const parts = partsOf(unit.item).map((part) => place(part, skew))
  const linesWithLetters = new Set<number>()
  for (const part of parts) {
    // Which line a part belongs to, looked for as far as `spansLines` looks.
    const line = nearestLine(part, lines, options, options.maxJoinGapHeights)
    if (line < 0) continue
    const height = lines[line].height
    if (part.height > options.maxAnchorHeights * height) return undefined
    if (part.height >= options.minAnchorFraction * height) linesWithLetters.add(line)
  }
  return linesWithLetters.size >= 2 ? parts : undefined
}

/**
 * The line whose band the unit's centre is nearest, if within `maxAttachHeights`, among the lines
 * it lies along or at most `beyondHeights` of their letter heights beyond; else -1.
 */
function nearestLine<T>(
  unit: Unit<T>,
  lines: readonly Chain<T>[],
  options: LineOptions,
  beyondHeights = options.maxAttachBeyondHeights,
): number {
  let best = -1,
    bestDistance = Infinity
  lines.forEach((line, index) => {
    const reach = (options.maxAttachHeights + 0.5) * line.height
    if (!alongLine(unit, line, beyondHeights) || !mayReach(line, unit.u, unit.v, unit.v, reach, options)) return
    const offset = Math.abs(unit.v - chainCentre(line, unit.u, options))
    const distance = Math.max(0, offset - line.height / 2) / line.height
    if (distance <= options.maxAttachHeights && distance < bestDistance) {
      bestDistance = distance
      best = index
    }
  })
  return best
}

/**
 * Puts lines in reading order: a line before another when it is above it where they share some
 * stretch along the line (compared at the middle of that stretch), or left of it at the same
 * height (their centre lines meeting in the gap, as a join's do, but too far apart to join);
 * otherwise the one whose centre is higher first.
 */
function readingOrder<T>(lines: readonly Chain<T>[], options: LineOptions): number[] {
  const n = lines.length
  const meanV = lines.map((l) => l.units.reduce((s, x) => s + x.v, 0) / l.units.length)
  const above: number[][] = lines.map(() => [])
  const blockers = new Int32Array(n)
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      if (a === b) continue
      const from = Math.max(lines[a].u0, lines[b].u0),
        to = Math.min(lines[a].u1, lines[b].u1)
      const middle = (from + to) / 2
      const va = chainCentre(lines[a], middle, options),
        vb = chainCentre(lines[b], middle, options)
      const sameRow = Math.abs(va - vb) <= options.maxJoinOffsetHeights * Math.max(lines[a].height, lines[b].height)
      if (to <= from ? sameRow && lines[a].u1 <= lines[b].u0 : va < vb || (va === vb && a < b)) {
        above[a].push(b)
        blockers[b]++
      }
    }
  }
  const out: number[] = []
  const done = new Uint8Array(n)
  for (let k = 0; k < n; k++) {
    // The highest line nothing unplaced stands above; on a cycle (curved lines crossing), the highest unplaced.
    let pick = -1
    for (let c = 0; c < n; c++) if (!done[c] && blockers[c] === 0 && (pick < 0 || meanV[c] < meanV[pick])) pick = c
    if (pick < 0) for (let c = 0; c < n; c++) if (!done[c] && (pick < 0 || meanV[c] < meanV[pick])) pick = c
    done[pick] = 1
    for (const b of above[pick]) blockers[b]--
    out.push(pick)
  }
  return out
}

/**
 * The text lines of a page (see the module comment for the steps).
 *
 * @param items letter candidates (anything with a box)
 * @param letterHeight the page's typical letter height in pixels
 * @param skew the page's dominant line slope in radians (`estimateSkew`); each line may slant its own way around it
 * @param partsOf the separate parts of an item's ink (its undilated components), for an item that spans two
 *   lines; without it such an item joins the line nearest its centre whole
 * @returns lines in reading order, each sorted left to right; lines with no item at least
 *   `minLineHeightFraction` of the letter height tall are left out
 */
export function findTextLines<T extends { box: Box }>(
  items: readonly T[],
  letterHeight: number,
  skew: number,
  options: LineOptions,
  partsOf?: (item: T) => readonly T[],
): T[][] {
  if (items.length === 0 || letterHeight <= 0) return []
  const units = items.map((item) => place(item, skew))
  const isAnchor = (x: Unit<T>): boolean =>
    x.height >= options.minAnchorFraction * letterHeight && x.height <= options.maxAnchorHeights * letterHeight
  const lines = buildLines(units.filter(isAnchor), options)
  const leftover: Unit<T>[] = []
  const attach = (unit: Unit<T>): void => {
    const line = nearestLine(unit, lines, options)
    if (line >= 0) lines[line].attached.push(unit)
    else leftover.push(unit)
  }
  for (const unit of units) {
    if (isAnchor(unit)) continue
    const parts = partsOf !== undefined && spansLines(unit, lines, options) ? splitAcross(unit, partsOf, lines, skew, options) : undefined
    if (parts === undefined) attach(unit)
    else for (const part of parts) attach(part)
  }
  // What joined no line makes lines of its own, which may continue the others (a word whose ink
  // was split off a candidate spanning two lines, a mark past a line's end).
  const all = joinChains([...lines, ...buildLines(leftover, options)], options)
  const members = all.map((line) => [...line.units, ...line.attached].sort((a, b) => a.u - b.u).map((x) => x.item))
  return readingOrder(all, options)
    .map((l) => members[l])
    .filter((line) => line.some((item) => item.box.height >= options.minLineHeightFraction * letterHeight))
}
