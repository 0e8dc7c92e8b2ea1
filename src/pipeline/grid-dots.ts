import type { Box } from './image.js'
import { median } from './stroke.js'

/** Options of {@link findGridDots}. */
export interface GridDotOptions {
  /** A page has a dot grid only when at least this many dots sit on it (a note's periods never do)... */
  readonly minDots: number
  /** ...and at least this share of its dots. */
  readonly minShare: number
  /** Neighbours are looked for up to this many letter heights away (a grid's pitch is about a letter's height). */
  readonly maxPitchHeights: number
  /** A neighbour is at the grid's pitch when it is off by at most this fraction of the pitch, along and across. */
  readonly pitchTolerance: number
  /** A dot is on the grid when at least this many lattice points around it hold dots. */
  readonly minLatticeNeighbours: number
}

/** Lattice points up to this many pitches away are looked at, along and across. */
const LATTICE_REACH = 2

/**
 * Finds the dots of a dotted or faint grid: paper printed with dots, or the crossings a grid's lines
 * leave once the lines themselves are removed, all on one lattice. Periods are dots too, but a
 * period stands where the writing ended, not on the lattice of the dots around it.
 *
 * The pitch is the median distance from each dot to its nearest neighbour straight across or
 * straight down (within a tolerance). A dot is on the grid when at least `minLatticeNeighbours` of
 * the lattice points around it, up to two pitches away along and across, hold dots (a faint grid
 * keeps only some of its crossings). The page has a grid only when at least `minDots` dots and
 * `minShare` of all its dots are on it; otherwise no dot is (specks of noise, a few periods, a
 * numbered list's periods one line apart). On a grid page a period that happens to stand on the
 * lattice is taken for grid.
 *
 * @param dots boxes of the page's dots (small compact blobs), in the reading frame (lines run along x)
 * @param letterHeight the page's typical letter height in pixels
 * @returns indices into `dots` of the dots on the grid
 */
export function findGridDots(dots: readonly Box[], letterHeight: number, options: GridDotOptions): Set<number> {
  const onGrid = new Set<number>()
  if (dots.length < options.minDots || letterHeight <= 0) return onGrid
  const reach = options.maxPitchHeights * letterHeight
  const centres = dots.map((b) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 }))
  // Dots hashed into buckets as wide as the farthest lattice point looked at: those are in the 3 × 3 buckets around.
  const bucket = LATTICE_REACH * reach
  const buckets = new Map<string, number[]>()
  const key = (bx: number, by: number): string => `${bx},${by}`
  centres.forEach((c, i) => {
    const k = key(Math.floor(c.x / bucket), Math.floor(c.y / bucket))
    const list = buckets.get(k)
    if (list === undefined) buckets.set(k, [i])
    else list.push(i)
  })
  const near = (i: number): number[] => {
    const bx = Math.floor(centres[i].x / bucket),
      by = Math.floor(centres[i].y / bucket)
    const out: number[] = []
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) out.push(...(buckets.get(key(bx + dx, by + dy)) ?? []))
    return out.filter((j) => j !== i)
  }
  // The pitch: each dot's nearest neighbour straight across or down (off the axis by at most the tolerance).
  const nearest: number[] = []
  centres.forEach((c, i) => {
    let best = Infinity
    for (const j of near(i)) {
      const along = Math.max(Math.abs(centres[j].x - c.x), Math.abs(centres[j].y - c.y))
      const across = Math.min(Math.abs(centres[j].x - c.x), Math.abs(centres[j].y - c.y))
      if (along <= reach && across <= options.pitchTolerance * along && along < best) best = along
    }
    if (best < Infinity) nearest.push(best)
  })
  if (nearest.length < options.minDots) return onGrid
  const pitch = median(nearest)
  const tolerance = options.pitchTolerance * pitch
  // Lattice points around a dot, up to two pitches away: a faint grid keeps only some of its crossings.
  const offsets: Array<[number, number]> = []
  for (let a = -LATTICE_REACH; a <= LATTICE_REACH; a++)
    for (let b = -LATTICE_REACH; b <= LATTICE_REACH; b++) if (a !== 0 || b !== 0) offsets.push([a * pitch, b * pitch])
  centres.forEach((c, i) => {
    const others = near(i)
    let found = 0
    for (const [ox, oy] of offsets) {
      if (others.some((j) => Math.abs(centres[j].x - c.x - ox) <= tolerance && Math.abs(centres[j].y - c.y - oy) <= tolerance)) found++
      if (found >= options.minLatticeNeighbours) {
        onGrid.add(i)
        break
      }
    }
  })
  if (onGrid.size < options.minDots || onGrid.size < options.minShare * dots.length) onGrid.clear()
  return onGrid
}
