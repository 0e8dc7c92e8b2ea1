import type { BinaryImage, Box } from './image.js'
import { boxBottom, boxRight, unionBoxes } from './image.js'
import type { Piece, Segment } from './pieces.js'

/**
 * The lattice of candidate characters of one text line. Its nodes are the boundaries between the
 * line's segments (node 0 before the first, node n after the last); an edge `[from, to)` is the
 * candidate character made of segments `from … to − 1`. Every path from node 0 to node n reads
 * every segment exactly once, so choosing a path (the search, `reading/search.ts`) chooses the
 * segmentation.
 */

/** One candidate character: a run of adjacent segments. */
export interface LatticeEdge {
  /** First segment (the node the edge leaves). */
  readonly from: number
  /** One past the last segment (the node the edge enters). */
  readonly to: number
  /** Tight box of its ink. */
  readonly box: Box
}

/** Settings of {@link buildLattice}. */
export interface LatticeOptions {
  /** A candidate joins at most this many segments. */
  readonly maxSegments: number
  /** A candidate of several segments is at most this many of the line's letter heights wide... */
  readonly maxWidthHeights: number
  /** ...and spans no gap between its segments wider than this many letter heights. */
  readonly maxInnerGapHeights: number
}

/**
 * Builds the candidates of a line: every single segment (so that a path always exists), and
 * every run of 2 … `maxSegments` adjacent segments whose union is letter-sized (at most
 * `maxWidthHeights` letter heights wide) and holds no wide inner gap.
 *
 * @param segments the line's segments, sorted by left edge (see `overSegmentLine`)
 * @param letterHeight the line's letter height in pixels
 * @returns the edges, by `from` then `to`
 */
export function buildLattice(segments: readonly Segment[], letterHeight: number, options: LatticeOptions): LatticeEdge[] {
  const edges: LatticeEdge[] = []
  const maxWidth = options.maxWidthHeights * letterHeight
  const maxGap = options.maxInnerGapHeights * letterHeight
  for (let from = 0; from < segments.length; from++) {
    let x0 = segments[from].box.x,
      y0 = segments[from].box.y
    let x1 = boxRight(segments[from].box),
      y1 = boxBottom(segments[from].box)
    edges.push({ from, to: from + 1, box: segments[from].box })
    for (let to = from + 2; to <= Math.min(segments.length, from + options.maxSegments); to++) {
      const next = segments[to - 1].box
      if (next.x - x1 > maxGap) break
      x0 = Math.min(x0, next.x)
      y0 = Math.min(y0, next.y)
      x1 = Math.max(x1, boxRight(next))
      y1 = Math.max(y1, boxBottom(next))
      if (x1 - x0 > maxWidth) break
      edges.push({ from, to, box: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } })
    }
  }
  return edges
}

/**
 * The gap before each node along the line: how far the segment after node i starts right of
 * every segment before it (negative when they overlap); 0 for the first and last node.
 *
 * @returns `segments.length + 1` values in pixels
 */
export function nodeGaps(segments: readonly Segment[]): Float64Array {
  const gaps = new Float64Array(segments.length + 1)
  let right = -Infinity
  segments.forEach((s, i) => {
    if (i > 0) gaps[i] = s.box.x - right
    right = Math.max(right, boxRight(s.box))
  })
  return gaps
}

/**
 * A candidate's own ink: a mask the size of its box holding the pixels of its segments (each
 * segment: its piece's labels, within its columns), so that a neighbour reaching into the box
 * is left out.
 *
 * @param edge the candidate; @param segments the line's segments; @param pieces the line's pieces
 * @param ink the binary page; @param inkLabels its labels
 */
export function edgeMask(
  edge: LatticeEdge,
  segments: readonly Segment[],
  pieces: readonly Piece[],
  ink: BinaryImage,
  inkLabels: Int32Array,
): BinaryImage {
  const { box } = edge
  const data = new Uint8Array(box.width * box.height)
  for (let s = edge.from; s < edge.to; s++) {
    const segment = segments[s]
    const labels = pieces[segment.piece].labels
    // A piece is mostly one component: then a comparison per pixel, not a set's lookup.
    const only = labels.length === 1 ? labels[0] : undefined
    const member = new Set(labels)
    const sb = segment.box
    const top = pieces[segment.piece].box.y
    for (let y = sb.y; y < boxBottom(sb); y++) {
      const left = segment.rows?.left[y - top] ?? segment.x0,
        right = segment.rows?.right[y - top] ?? segment.x1
      const end = Math.min(boxRight(sb), right)
      for (let x = Math.max(sb.x, left); x < end; x++) {
        const i = y * ink.width + x
        if (ink.data[i] !== 0 && (only !== undefined ? inkLabels[i] === only : member.has(inkLabels[i])))
          data[(y - box.y) * box.width + x - box.x] = 1
      }
    }
  }
  return { width: box.width, height: box.height, data }
}

/** The box of a run of segments (for callers holding segments, not edges). */
export function segmentsBox(segments: readonly Segment[], from: number, to: number): Box {
  return unionBoxes(segments.slice(from, to).map((s) => s.box))
}

/** A candidate character with its own ink, ready for the classifier. */
export interface LatticeCandidate extends LatticeEdge {
  /** The candidate's ink cropped to its box (1 = ink), see {@link edgeMask}. */
  readonly mask: BinaryImage
}

/** One text line's lattice, as the reader takes it. */
export interface LineLattice {
  /** Union of the line's ink. */
  readonly box: Box
  /** The line's own letter height in pixels (its pieces' median height). */
  readonly letterHeight: number
  /** Nodes of the lattice: segments + 1. */
  readonly nodeCount: number
  readonly candidates: LatticeCandidate[]
  /** Per node, the ink a cut there crosses in stroke widths; 0 where the node lies between separate pieces. */
  readonly cutInkStrokes: Float64Array
  /** The periods (small low dots) of the line, left to right. */
  readonly periods: Box[]
}

/**
 * The lattice of one line from its segments: the candidates of {@link buildLattice} with their
 * masks, and the cut cost at each node.
 *
 * @param maxSegments overrides `options.maxSegments` (1 keeps single segments only)
 */
export function lineLattice(
  segments: readonly Segment[],
  pieces: readonly Piece[],
  ink: BinaryImage,
  inkLabels: Int32Array,
  letterHeight: number,
  periods: Box[],
  options: LatticeOptions,
  maxSegments = options.maxSegments,
): LineLattice {
  const edges = buildLattice(segments, letterHeight, { ...options, maxSegments })
  const candidates = edges.map((edge) => ({ ...edge, mask: edgeMask(edge, segments, pieces, ink, inkLabels) }))
  const cutInkStrokes = Float64Array.from({ length: segments.length + 1 }, (_, node) => segments[node]?.cutBefore ?? 0)
  const box = segments.length > 0 ? unionBoxes(segments.map((s) => s.box)) : { x: 0, y: 0, width: 0, height: 0 }
  return { box, letterHeight, nodeCount: segments.length + 1, candidates, cutInkStrokes, periods }
}

/**
 * A line of letters already segmented (the heuristic segmentation) as a lattice of one path:
 * each letter its own candidate, no cuts.
 */
export function pathLattice(letters: ReadonlyArray<{ box: Box; mask: BinaryImage }>, letterHeight: number, periods: Box[]): LineLattice {
  const candidates = letters.map((l, i) => ({ from: i, to: i + 1, box: l.box, mask: l.mask }))
  return {
    box: unionBoxes(letters.map((l) => l.box)),
    letterHeight,
    nodeCount: letters.length + 1,
    candidates,
    cutInkStrokes: new Float64Array(letters.length + 1),
    periods,
  }
}
