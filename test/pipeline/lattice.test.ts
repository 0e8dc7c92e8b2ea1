import t from 'tap'
import { labelComponents } from '../../src/pipeline/components.js'
import { buildLattice, edgeMask, lineLattice, nodeGaps } from '../../src/pipeline/lattice.js'
import type { Segment } from '../../src/pipeline/pieces.js'
import { binaryFromRows, rowsFromBinary } from '../helpers/images.js'

const OPTIONS = { maxSegments: 3, maxWidthHeights: 1.6, maxInnerGapHeights: 0.35, maxCandidatesPerPage: 100 }
const segment = (x: number, width: number, piece = x): Segment =>
  ({ box: { x, y: 0, width, height: 10 }, piece, x0: x, x1: x + width, area: width * 10 })

t.test('candidates: every segment, and runs of adjacent segments that make a letter-sized union', async (t) => {
  // Two halves of a W (touching), then a letter after a letter gap, then one after a word gap.
  const segments = [segment(0, 5), segment(5, 5), segment(12, 6), segment(30, 6)]
  const edges = buildLattice(segments, 12, OPTIONS)
  t.same(edges.map((e) => [e.from, e.to]), [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3], [3, 4]])
  t.same(edges[1].box, { x: 0, y: 0, width: 10, height: 10 }, 'a union has the box of its segments')
  t.same(buildLattice(segments, 12, { ...OPTIONS, maxWidthHeights: 1.2 }).map((e) => [e.from, e.to]),
    [[0, 1], [0, 2], [1, 2], [1, 3], [2, 3], [3, 4]], 'too wide a union is not a candidate')
  t.same(buildLattice(segments, 12, { ...OPTIONS, maxSegments: 1 }).length, 4, 'single segments only')
})

t.test('gaps before each node', async (t) => {
  t.same(Array.from(nodeGaps([segment(0, 5), segment(3, 5), segment(12, 6)])), [0, -2, 4, 0])
})

t.test('a candidate mask holds its segments\' ink only, cut at their columns', async (t) => {
  const ink = binaryFromRows([
    '###.#',
    '#.###',
    '###.#',
  ])
  const { labels } = labelComponents(ink)
  const pieces = [{ box: { x: 0, y: 0, width: 5, height: 3 }, labels: [1], area: 11 }]
  // One piece cut after column 2: the left segment is the box-like shape, the right the H-like stem.
  const segments: Segment[] = [
    { box: { x: 0, y: 0, width: 3, height: 3 }, piece: 0, x0: 0, x1: 3, area: 7 },
    { box: { x: 3, y: 0, width: 2, height: 3 }, piece: 0, x0: 3, x1: 5, area: 4, cutBefore: 1 },
  ]
  t.same(rowsFromBinary(edgeMask({ from: 0, to: 1, box: segments[0].box }, segments, pieces, ink, labels)), ['###', '#.#', '###'])
  const line = lineLattice(segments, pieces, ink, labels, 4, [], OPTIONS)
  t.same(line.candidates.map((c) => [c.from, c.to]), [[0, 1], [0, 2], [1, 2]])
  t.same(rowsFromBinary(line.candidates[1].mask), ['###.#', '#.###', '###.#'], 'the union is the whole piece')
  t.same(Array.from(line.cutInkStrokes), [0, 1, 0], 'the cut node costs, the ends do not')
})
