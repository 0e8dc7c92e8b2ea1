import type { BinaryImage, Box } from './image.js'
import { boxBottom, boxRight, forEachRun, unionBoxes } from './image.js'
import type { Candidate } from './letters.js'
import { median } from './stroke.js'

/**
 * Over-segmentation of a text line, the first step of segmentation by recognition: the line's
 * ink is cut into PIECES (connected components of the undilated ink, with the components of one
 * letter stacked above one another taken together) and wide pieces are cut further at CUT
 * CANDIDATES (thin places of the vertical ink profile). The result, SEGMENTS left to right, is
 * finer than the letters: the lattice (`lattice.ts`) joins them again and the classifier decides.
 */

/** A piece of a line: undilated ink components (by label) taken as one, their box and ink area. */
export type Piece = Candidate

/** A place where a wide piece may be cut between two letters. */
export interface Cut {
  /** The column (relative to the piece's box) left of which the cut falls. */
  readonly x: number
  /** Ink the cut crosses, in stroke widths: how much of a letter a wrong cut would break. */
  readonly inkStrokes: number
}

/**
 * A segment: the ink of one piece between two of its cuts (or its edges). Segments are the
 * atoms of the lattice; a character is one segment or a run of adjacent ones.
 */
export interface Segment {
  /** Tight box of the segment's ink. */
  readonly box: Box
  /** Index of its piece in the line's piece list. */
  readonly piece: number
  /** Columns of the piece this segment holds, `[x0, x1)` in page pixels. */
  readonly x0: number
  readonly x1: number
  /** Ink pixels. */
  readonly area: number
  /** When the segment starts at a cut inside its piece: the ink that cut crosses, in stroke widths; else undefined. */
  readonly cutBefore?: number
  /**
   * Where its cuts are curved paths: per row of its piece's box (row 0 = the box's top), the
   * columns `[left, right)` it holds in page pixels, within `[x0, x1)`; absent, every row holds `[x0, x1)`.
   */
  readonly rows?: { readonly left: Int32Array; readonly right: Int32Array }
}

/** Settings of {@link overSegmentLine}, in letter heights or stroke widths. */
export interface PieceOptions {
  /** Pieces whose horizontal extents overlap by this fraction of the narrower one are one piece (stacked strokes). */
  readonly stackOverlap: number
  /** A piece at least this many of the line's letter heights wide gets cut candidates. */
  readonly minCutWidthHeights: number
  /** A cut crosses at most this many stroke widths of ink. */
  readonly maxCutInkStrokes: number
  /** A cut leaves at least this many stroke widths of the piece on either side... */
  readonly minPartStrokes: number
  /** ...and cuts of one piece are at least this many letter heights apart (and as far as minPartStrokes). */
  readonly minCutSpacingHeights: number
  /** At most this many cuts per letter height of the piece's width (at least one), the thinnest kept. */
  readonly maxCutsPerHeight: number
  /**
   * 1: a cut is the path from the piece's top to its bottom that crosses the least ink (it may bend
   * around a letter leaning over its neighbour, {@link cutPaths}); 0: a cut is a straight column.
   */
  readonly curvedCuts: number
  /**
   * With curved cuts, 1: the straight columns of {@link cutCandidates} are cut candidates too, where
   * they cross no curved cut; 0: curved cuts only.
   */
  readonly straightCutsToo: number
  /** What a curved cut pays per sideways step, in ink pixels, so that among paths crossing as little ink the straighter wins. */
  readonly cutStepCost: number
}

/** Curved cuts of a piece: per bottom column the least ink a path to it crosses, and the path. */
export interface CutPaths {
  /** Per column of the piece's box: the cost (ink pixels crossed plus sideways steps) of the best path ending at its bottom row. */
  readonly cost: Float64Array
  /** The best path ending at column `x` (relative to the box) of the bottom row: its column per row, relative to the box. */
  readonly path: (x: number) => Int32Array
}

/**
 * The least-ink paths through a piece from its top row to its bottom row, moving at most one
 * column per row (a "shortest-path" cut, as drop-fall and Viterbi segmenters of handwriting use):
 * where two letters lean into each other no straight column between them is free of ink, but a
 * path bending around the overhang crosses only where they touch. Dynamic programming over the
 * piece's box; a cut that runs straight down a column never costs more than that column's ink.
 *
 * @param piece the piece; only its own ink (`piece.labels`) counts
 * @param ink the binary page; @param inkLabels its labels
 * @param stepCost cost of a sideways step, in ink pixels
 */
export function cutPaths(piece: Piece, ink: BinaryImage, inkLabels: Int32Array, stepCost: number): CutPaths {
  const { box } = piece
  const { width, height } = box
  const member = new Set(piece.labels)
  const isInk = (x: number, y: number): number => {
    const i = (box.y + y) * ink.width + box.x + x
    return ink.data[i] !== 0 && member.has(inkLabels[i]) ? 1 : 0
  }
  // came[y * width + x]: the column offset (−1, 0, +1) of the row above that the best path to (x, y) comes from.
  const came = new Int8Array(width * height)
  let cost = Float64Array.from({ length: width }, (_, x) => isInk(x, 0))
  for (let y = 1; y < height; y++) {
    const next = new Float64Array(width)
    for (let x = 0; x < width; x++) {
      let best = cost[x],
        from = 0
      if (x > 0 && cost[x - 1] + stepCost < best) {
        best = cost[x - 1] + stepCost
        from = -1
      }
      if (x + 1 < width && cost[x + 1] + stepCost < best) {
        best = cost[x + 1] + stepCost
        from = 1
      }
      next[x] = best + isInk(x, y)
      came[y * width + x] = from
    }
    cost = next
  }
  const path = (end: number): Int32Array => {
    const columns = new Int32Array(height)
    let x = end
    for (let y = height - 1; y >= 0; y--) {
      columns[y] = x
      x += came[y * width + x]
    }
    return columns
  }
  return { cost, path }
}

/**
 * The pieces of a page: statistics of every connected component of the undilated ink, grouped
 * by the dilated component (letter candidate) it lies in, in one pass over the ink.
 *
 * @param ink the binary page; @param inkLabels its 8-connected labels ({@link labelComponents} of `ink`)
 * @param inkCount number of ink labels; @param dilatedLabels the labels of the dilated ink
 * @returns for each dilated label, the pieces (undilated components) inside it
 */
export function piecesByCandidate(
  ink: BinaryImage,
  inkLabels: Int32Array,
  inkCount: number,
  dilatedLabels: Int32Array,
): Map<number, Piece[]> {
  const { width, height, data } = ink
  const minX = new Int32Array(inkCount + 1).fill(width),
    minY = new Int32Array(inkCount + 1).fill(height)
  const maxX = new Int32Array(inkCount + 1).fill(-1),
    maxY = new Int32Array(inkCount + 1).fill(-1)
  const area = new Float64Array(inkCount + 1)
  const owner = new Int32Array(inkCount + 1)
  for (let y = 0; y < height; y++) {
    const row = y * width
    forEachRun(data, row, width, (start, end) => {
      for (let x = start; x < end; x++) {
        const l = inkLabels[row + x]
        area[l]++
        owner[l] = dilatedLabels[row + x]
        if (x < minX[l]) minX[l] = x
        if (x > maxX[l]) maxX[l] = x
        if (y < minY[l]) minY[l] = y
        if (y > maxY[l]) maxY[l] = y
      }
    })
  }
  const out = new Map<number, Piece[]>()
  for (let l = 1; l <= inkCount; l++) {
    if (area[l] === 0) continue
    const piece = {
      box: { x: minX[l], y: minY[l], width: maxX[l] - minX[l] + 1, height: maxY[l] - minY[l] + 1 },
      labels: [l],
      area: area[l],
    }
    const list = out.get(owner[l])
    if (list) list.push(piece)
    else out.set(owner[l], [piece])
  }
  return out
}

/**
 * Joins the pieces of a line that cannot be separate characters of a left-to-right line: those
 * whose horizontal extents overlap by at least `stackOverlap` of the narrower one (the bars of a
 * broken E, a dot over its stroke), and specks (under `minArea` ink pixels), which join their
 * nearest neighbour along the line or, alone, are dropped.
 *
 * @param pieces the line's pieces, any order
 * @returns pieces sorted by left edge
 */
export function stackPieces(pieces: readonly Piece[], stackOverlap: number, minArea: number): Piece[] {
  const sorted = [...pieces].sort((a, b) => a.box.x - b.box.x)
  const big = sorted.filter((p) => p.area >= minArea)
  const specks = sorted.filter((p) => p.area < minArea)
  const out: Piece[] = []
  for (const p of big) {
    // A piece may overlap any earlier one (a long bar spans several); join the last it overlaps enough.
    let joined = false
    for (let k = out.length - 1; k >= 0 && !joined; k--) {
      const q = out[k]
      const overlap = Math.min(boxRight(q.box), boxRight(p.box)) - Math.max(q.box.x, p.box.x)
      if (overlap >= stackOverlap * Math.min(q.box.width, p.box.width) && overlap > 0) {
        out[k] = joinPieces(q, p)
        joined = true
      }
    }
    if (!joined) out.push(p)
  }
  for (const s of specks) {
    let best = -1,
      bestDistance = Infinity
    out.forEach((p, k) => {
      const d = Math.max(0, p.box.x - boxRight(s.box), s.box.x - boxRight(p.box))
      if (d < bestDistance) {
        bestDistance = d
        best = k
      }
    })
    if (best >= 0) out[best] = joinPieces(out[best], s)
  }
  return out.sort((a, b) => a.box.x - b.box.x)
}

function joinPieces(a: Piece, b: Piece): Piece {
  return { box: unionBoxes([a.box, b.box]), labels: [...a.labels, ...b.labels], area: a.area + b.area }
}

/**
 * The vertical ink profile of a piece: ink pixels per column of its box.
 *
 * @param ink the binary page; @param inkLabels its labels; only pixels of `piece.labels` count
 */
export function inkProfile(piece: Piece, ink: BinaryImage, inkLabels: Int32Array): Float64Array {
  const { box } = piece
  const member = new Set(piece.labels)
  const profile = new Float64Array(box.width)
  for (let y = box.y; y < boxBottom(box); y++) {
    for (let x = box.x; x < boxRight(box); x++) {
      const i = y * ink.width + x
      if (ink.data[i] !== 0 && member.has(inkLabels[i])) profile[x - box.x]++
    }
  }
  return profile
}

/**
 * Cut candidates of a piece from its vertical ink profile: columns where the profile is a local
 * minimum (the least ink within a stroke width either side) crossing at most `maxCutInkStrokes`
 * stroke widths of ink, at least `minPartStrokes` stroke widths from either edge. Thinnest first,
 * each at least the spacing from those kept; at most `maxCutsPerHeight` per letter height of width.
 *
 * @param profile ink per column (see {@link inkProfile})
 * @param strokeWidth pen stroke width in pixels; @param letterHeight the line's letter height
 * @returns cuts sorted left to right
 */
export function cutCandidates(profile: Float64Array, strokeWidth: number, letterHeight: number, options: PieceOptions): Cut[] {
  const width = profile.length
  const margin = Math.max(1, Math.round(options.minPartStrokes * strokeWidth))
  const window = Math.max(1, Math.round(strokeWidth))
  const spacing = Math.max(margin, options.minCutSpacingHeights * letterHeight)
  const maxInk = options.maxCutInkStrokes * strokeWidth
  const found: Cut[] = []
  for (let x = margin; x <= width - margin; x++) {
    const value = profile[x]
    if (value > maxInk) continue
    let isMinimum = true
    for (let d = -window; d <= window && isMinimum; d++) {
      const k = x + d
      if (d !== 0 && k >= 0 && k < width && profile[k] < value) isMinimum = false
    }
    // On a flat bottom keep the plateau's middle: skip while the next column is as low.
    if (isMinimum && x + 1 < width && profile[x + 1] === value) {
      let end = x
      while (end + 1 < width && profile[end + 1] === value) end++
      const middle = Math.round((x + end) / 2)
      if (middle >= margin && middle <= width - margin) found.push({ x: middle, inkStrokes: value / strokeWidth })
      x = end
      continue
    }
    if (isMinimum) found.push({ x, inkStrokes: value / strokeWidth })
  }
  found.sort((a, b) => a.inkStrokes - b.inkStrokes || a.x - b.x)
  const kept: Cut[] = []
  const maxCuts = Math.max(1, Math.ceil((options.maxCutsPerHeight * width) / letterHeight))
  for (const cut of found) {
    if (kept.length >= maxCuts) break
    if (kept.every((k) => Math.abs(k.x - cut.x) >= spacing)) kept.push(cut)
  }
  return kept.sort((a, b) => a.x - b.x)
}

/**
 * Over-segments one text line: its pieces ({@link stackPieces}), wide ones cut at their cut
 * candidates, as segments left to right.
 *
 * @param pieces the line's pieces (undilated components), any order
 * @param ink the binary page; @param inkLabels its labels
 * @param letterHeight the line's letter height; @param strokeWidth the pen's stroke width
 * @param minArea ink pixels below which a piece is a speck
 * @returns the stacked pieces and the segments (each naming its piece), sorted by left edge
 */
export function overSegmentLine(
  pieces: readonly Piece[],
  ink: BinaryImage,
  inkLabels: Int32Array,
  letterHeight: number,
  strokeWidth: number,
  minArea: number,
  options: PieceOptions,
): { pieces: Piece[]; segments: Segment[] } {
  const stacked = stackPieces(pieces, options.stackOverlap, minArea)
  const segments: Segment[] = []
  stacked.forEach((piece, index) => {
    const { box } = piece
    if (box.width < options.minCutWidthHeights * letterHeight) {
      segments.push({ box, piece: index, x0: box.x, x1: boxRight(box), area: piece.area })
      return
    }
    if (options.curvedCuts > 0) {
      segments.push(...curvedSegments(piece, index, ink, inkLabels, letterHeight, strokeWidth, options))
      return
    }
    const cuts = cutCandidates(inkProfile(piece, ink, inkLabels), strokeWidth, letterHeight, options)
    const bounds = [0, ...cuts.map((c) => c.x), box.width]
    for (let k = 0; k + 1 < bounds.length; k++) {
      const x0 = box.x + bounds[k],
        x1 = box.x + bounds[k + 1]
      const trimmed = inkWithin(piece, ink, inkLabels, x0, x1)
      if (trimmed === undefined) continue
      segments.push({ ...trimmed, piece: index, x0, x1, ...(k > 0 ? { cutBefore: cuts[k - 1].inkStrokes } : {}) })
    }
  })
  segments.sort((a, b) => a.box.x - b.box.x || a.piece - b.piece)
  return { pieces: stacked, segments }
}

/** A wide piece cut along its least-ink paths ({@link cutPaths}), chosen as straight cuts are ({@link cutCandidates}). */
function curvedSegments(
  piece: Piece,
  index: number,
  ink: BinaryImage,
  inkLabels: Int32Array,
  letterHeight: number,
  strokeWidth: number,
  options: PieceOptions,
): Segment[] {
  const { box } = piece
  const paths = cutPaths(piece, ink, inkLabels, options.cutStepCost)
  const edge = (x: number): Int32Array => new Int32Array(box.height).fill(x)
  const curved = cutCandidates(paths.cost, strokeWidth, letterHeight, options).map((c) => ({
    path: paths.path(c.x),
    inkStrokes: c.inkStrokes,
  }))
  const straight =
    options.straightCutsToo > 0
      ? cutCandidates(inkProfile(piece, ink, inkLabels), strokeWidth, letterHeight, options).map((c) => ({
          path: edge(c.x),
          inkStrokes: c.inkStrokes,
        }))
      : []
  const cuts = mergeCuts(curved, straight, Math.max(1, Math.round(strokeWidth)))
  const bounds = [edge(0), ...cuts.map((c) => c.path), edge(box.width)]
  const segments: Segment[] = []
  for (let k = 0; k + 1 < bounds.length; k++) {
    const left = bounds[k].map((x) => box.x + x),
      right = bounds[k + 1].map((x) => box.x + x)
    const rows = { left, right }
    const trimmed = inkWithinRows(piece, ink, inkLabels, rows)
    if (trimmed === undefined) continue
    const x0 = Math.min(...left),
      x1 = Math.max(...right)
    segments.push({ ...trimmed, piece: index, x0, x1, rows, ...(k > 0 ? { cutBefore: cuts[k - 1].inkStrokes } : {}) })
  }
  return segments
}

/** A cut of a piece as a path: its column per row of the piece's box (relative to the box), and the ink it crosses. */
export interface PathCut {
  readonly path: Int32Array
  readonly inkStrokes: number
}

/**
 * The cuts of a piece from two sources, left to right, none crossing another: every `first` cut,
 * and each `second` cut that lies strictly between two neighbouring cuts on every row and at
 * least `minDistance` columns from each of them (not the same cut again). Where two letters lean
 * into each other the least-ink path bends around the overhang; where they merely touch, the
 * least-ink path may have run through the neighbouring letter's open side and left the straight
 * column at the touching point unproposed.
 *
 * @param first cuts kept whatever the others; @param second cuts added where they fit
 * @returns the cuts, ordered left to right
 */
export function mergeCuts(first: readonly PathCut[], second: readonly PathCut[], minDistance: number): PathCut[] {
  const mean = (c: PathCut): number => c.path.reduce((s, x) => s + x, 0) / Math.max(1, c.path.length)
  const kept = [...first].sort((a, b) => mean(a) - mean(b))
  for (const cut of second) {
    const fits = kept.every((other) => {
      const left = other.path[0] < cut.path[0]
      return other.path.every((x, r) => (left ? cut.path[r] - x >= minDistance : x - cut.path[r] >= minDistance))
    })
    if (fits) kept.push(cut)
    kept.sort((a, b) => mean(a) - mean(b))
  }
  return kept
}

/** The tight box and area of a piece's ink between per-row bounds (see {@link Segment.rows}), or undefined when there is none. */
function inkWithinRows(
  piece: Piece,
  ink: BinaryImage,
  inkLabels: Int32Array,
  rows: NonNullable<Segment['rows']>,
): { box: Box; area: number } | undefined {
  const member = new Set(piece.labels)
  let bx0 = Infinity,
    by0 = Infinity,
    bx1 = -1,
    by1 = -1,
    area = 0
  for (let y = piece.box.y; y < boxBottom(piece.box); y++) {
    const r = y - piece.box.y
    for (let x = rows.left[r]; x < rows.right[r]; x++) {
      const i = y * ink.width + x
      if (ink.data[i] === 0 || !member.has(inkLabels[i])) continue
      area++
      if (x < bx0) bx0 = x
      if (x > bx1) bx1 = x
      if (y < by0) by0 = y
      if (y > by1) by1 = y
    }
  }
  return area === 0 ? undefined : { box: { x: bx0, y: by0, width: bx1 - bx0 + 1, height: by1 - by0 + 1 }, area }
}

/** The tight box and area of a piece's ink in columns `[x0, x1)`, or undefined when there is none. */
function inkWithin(piece: Piece, ink: BinaryImage, inkLabels: Int32Array, x0: number, x1: number): { box: Box; area: number } | undefined {
  const member = new Set(piece.labels)
  let bx0 = Infinity,
    by0 = Infinity,
    bx1 = -1,
    by1 = -1,
    area = 0
  for (let y = piece.box.y; y < boxBottom(piece.box); y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * ink.width + x
      if (ink.data[i] === 0 || !member.has(inkLabels[i])) continue
      area++
      if (x < bx0) bx0 = x
      if (x > bx1) bx1 = x
      if (y < by0) by0 = y
      if (y > by1) by1 = y
    }
  }
  return area === 0 ? undefined : { box: { x: bx0, y: by0, width: bx1 - bx0 + 1, height: by1 - by0 + 1 }, area }
}

/**
 * A line's own letter height: the median height of its pieces that are more than specks or
 * dots (at least `minHeight` tall), falling back to `fallback`.
 */
export function lineLetterHeight(pieces: readonly Piece[], minHeight: number, fallback: number): number {
  const tall = pieces.map((p) => p.box.height).filter((h) => h >= minHeight)
  return tall.length > 0 ? median(tall) : fallback
}
