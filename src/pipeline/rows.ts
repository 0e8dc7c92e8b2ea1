import type { Box } from './image.js'
import { median } from './stroke.js'

/** Options of {@link estimateSkew}. */
export interface SkewOptions {
  /** Largest skew tried, in degrees, both ways. */
  readonly maxDegrees: number
  /** Step between angles tried, in degrees. */
  readonly stepDegrees: number
}

/**
 * Estimates the text lines' slope from the letter centres: for each angle tried, projects the
 * centres onto the axis perpendicular to it and scores how sharply they bunch into rows
 * (sum of squared counts in bins a third of a letter high). The sharpest angle wins; ties go to
 * the smaller angle.
 *
 * @param boxes letter boxes
 * @param letterHeight typical letter height in pixels
 * @returns the angle in radians by which lines descend to the right (y grows downwards)
 */
export function estimateSkew(boxes: readonly Box[], letterHeight: number, options: SkewOptions): number {
  if (boxes.length < 3 || letterHeight <= 0) return 0
  const bin = letterHeight / 3
  let bestAngle = 0,
    bestScore = -1
  const steps = Math.round(options.maxDegrees / options.stepDegrees)
  for (let s = 0; s <= 2 * steps; s++) {
    // Try 0, +step, -step, +2·step, … so that ties keep the smaller angle.
    const k = s % 2 === 1 ? (s + 1) / 2 : -s / 2
    const angle = (k * options.stepDegrees * Math.PI) / 180
    const tan = Math.tan(angle)
    const counts = new Map<number, number>()
    for (const b of boxes) {
      const y = b.y + b.height / 2 - (b.x + b.width / 2) * tan
      const key = Math.floor(y / bin)
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    let score = 0
    for (const c of counts.values()) score += c * c
    if (score > bestScore) {
      bestScore = score
      bestAngle = angle
    }
  }
  return bestAngle
}

/** A box's centre in the frame where lines are horizontal: along the line (u) and across it (v). */
export function deskewedCentre(b: Box, skew: number): { u: number; v: number } {
  const cx = b.x + b.width / 2,
    cy = b.y + b.height / 2
  const cos = Math.cos(skew),
    sin = Math.sin(skew)
  return { u: cx * cos + cy * sin, v: cy * cos - cx * sin }
}

/** Options of {@link clusterRows}. */
export interface RowOptions {
  /** Centres further apart across the line than this many letter heights start a new row. */
  readonly rowGapHeights: number
}

/**
 * Clusters letter boxes into text lines: sorts them by their centre across the (deskewed) line
 * direction and starts a new line wherever consecutive centres are further apart than
 * `rowGapHeights` letter heights. Lines come out top to bottom, each sorted left to right. The
 * simplest line finder, and the pipeline's until lines came from `lines.ts`: it mixes lines
 * that are close and slanted differently, so the pipeline no longer uses it.
 *
 * @param items anything with a box
 * @param skew line slope from {@link estimateSkew}, radians
 * @returns lines of items
 */
export function clusterRows<T extends { box: Box }>(items: readonly T[], letterHeight: number, skew: number, options: RowOptions): T[][] {
  const placed = items.map((item) => ({ item, ...deskewedCentre(item.box, skew) }))
  placed.sort((a, b) => a.v - b.v)
  const rows: (typeof placed)[] = []
  for (const p of placed) {
    const current = rows[rows.length - 1]
    if (current !== undefined && p.v - current[current.length - 1].v <= options.rowGapHeights * letterHeight) current.push(p)
    else rows.push([p])
  }
  return rows.map((row) => row.sort((a, b) => a.u - b.u).map((p) => p.item))
}

/**
 * The position of a line across its direction: the median centre, top and bottom of its boxes
 * in the deskewed frame.
 */
export function rowBand(row: readonly { box: Box }[], skew: number): { centre: number; top: number; bottom: number } {
  const centres = row.map((r) => deskewedCentre(r.box, skew).v)
  const halfHeights = row.map((r) => r.box.height / 2)
  const centre = median(centres)
  const half = median(halfHeights)
  return { centre, top: centre - half, bottom: centre + half }
}

/**
 * Attaches small items (dots) to the line they sit on: the line whose band (median top to median
 * bottom, deskewed) is nearest to the dot's centre, if that is within `maxDistance` pixels.
 *
 * @returns for each small item, the index of its line or -1
 */
export function assignToRows(
  small: readonly { box: Box }[],
  rows: readonly (readonly { box: Box }[])[],
  skew: number,
  maxDistance: number,
): number[] {
  const bands = rows.map((r) => rowBand(r, skew))
  return small.map((s) => {
    const v = deskewedCentre(s.box, skew).v
    let best = -1,
      bestDistance = Infinity
    bands.forEach((band, index) => {
      const distance = v < band.top ? band.top - v : v > band.bottom ? v - band.bottom : 0
      if (distance < bestDistance) {
        bestDistance = distance
        best = index
      }
    })
    return bestDistance <= maxDistance ? best : -1
  })
}

/** Options of {@link placePeriods}. */
export interface PeriodOptions {
  /** A dot belongs to a line when its centre is within this many letter heights of the line's band. */
  readonly maxDistanceHeights: number
  /** A period sits in the lower part of the line: its centre is below this fraction of the band. */
  readonly minBaselineFraction: number
}

/** An item of a line that is either a letter or a period. */
export interface Placed<T> {
  readonly item: T
  readonly kind: 'glyph' | 'period'
}

/**
 * Places the dots that sit low on a line, where a period does, into that line as periods; dots
 * higher up are noise or fragments that lost their letter and are dropped.
 *
 * @param lines letters per line, from `findTextLines` (`lines.ts`)
 * @param dots small compact blobs of the page
 * @returns each line's letters and periods, left to right along the deskewed line
 */
export function placePeriods<T extends { box: Box }>(
  lines: readonly (readonly T[])[],
  dots: readonly T[],
  skew: number,
  letterHeight: number,
  options: PeriodOptions,
): Placed<T>[][] {
  const placed: Placed<T>[][] = lines.map((line) => line.map((item) => ({ item, kind: 'glyph' as const })))
  const lineOfDot = assignToRows(dots, lines, skew, options.maxDistanceHeights * letterHeight)
  dots.forEach((dot, d) => {
    const l = lineOfDot[d]
    if (l < 0) return
    const band = rowBand(lines[l], skew)
    if (deskewedCentre(dot.box, skew).v < band.top + options.minBaselineFraction * (band.bottom - band.top)) return
    placed[l].push({ item: dot, kind: 'period' })
  })
  for (const line of placed) line.sort((a, b) => deskewedCentre(a.item.box, skew).u - deskewedCentre(b.item.box, skew).u)
  return placed
}
