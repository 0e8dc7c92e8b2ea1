import t from 'tap'
import { labelComponents } from '../../src/pipeline/components.js'
import { cutCandidates, inkProfile, overSegmentLine, piecesByCandidate, stackPieces, type Piece } from '../../src/pipeline/pieces.js'
import { binaryFromRows } from '../helpers/images.js'

const OPTIONS = {
  stackOverlap: 0.5,
  minCutWidthHeights: 0.6,
  maxCutInkStrokes: 2.5,
  minPartStrokes: 1.5,
  minCutSpacingHeights: 0.15,
  maxCutsPerHeight: 3,
}
const piece = (x: number, width: number, area = 10, label = x + 1): Piece => ({ box: { x, y: 0, width, height: 5 }, labels: [label], area })

t.test('pieces are the undilated components, grouped by the dilated candidate they lie in', async (t) => {
  const ink = binaryFromRows(['##.#.....#', '##.#.....#'])
  const inkLabels = labelComponents(ink)
  // One dilated candidate (label 1) holds the first two strokes, another (2) the last.
  const dilated = Int32Array.from(ink.data, (v, i) => (v === 0 ? 0 : i % 10 < 5 ? 1 : 2))
  const grouped = piecesByCandidate(ink, inkLabels.labels, inkLabels.count, dilated)
  t.same(
    grouped.get(1)?.map((p) => p.box),
    [
      { x: 0, y: 0, width: 2, height: 2 },
      { x: 3, y: 0, width: 1, height: 2 },
    ],
  )
  t.same(
    grouped.get(2)?.map((p) => p.area),
    [2],
  )
})

t.test('stacked pieces (the bars of a broken E) become one; specks join their nearest neighbour', async (t) => {
  const bar1 = piece(10, 8),
    bar2 = piece(11, 7),
    stem = piece(2, 3),
    speck = piece(20, 1, 1)
  const out = stackPieces([bar1, stem, speck, bar2], 0.5, 3)
  t.same(
    out.map((p) => [p.box.x, p.box.width, p.labels.length]),
    [
      [2, 3, 1],
      [10, 11, 3],
    ],
  )
})

t.test('cut candidates fall at thin minima of the ink profile, away from the edges', async (t) => {
  //                 H stem  bar   stem | join | I stem
  const profile = Float64Array.from([9, 9, 2, 2, 2, 9, 9, 1, 9, 9])
  const cuts = cutCandidates(profile, 1, 10, OPTIONS)
  t.same(
    cuts.map((c) => c.x),
    [3, 7],
    'the middle of the bar and the join',
  )
  t.same(
    cuts.map((c) => c.inkStrokes),
    [2, 1],
  )
  t.same(
    cutCandidates(profile, 1, 10, { ...OPTIONS, maxCutInkStrokes: 1.5 }).map((c) => c.x),
    [7],
    'a thick cut is no cut',
  )
  t.same(
    cutCandidates(profile, 1, 10, { ...OPTIONS, maxCutsPerHeight: 0.1 }).map((c) => c.x),
    [7],
    'the thinnest first',
  )
})

t.test('a wide piece of two touching letters is cut into segments; a narrow one is not', async (t) => {
  const ink = binaryFromRows(['#...#..#.....#', '#...#..#.....#', '#####..#.....#', '#...#####....#', '#...#..#.....#'])
  const { labels, count } = labelComponents(ink)
  const dilated = Int32Array.from(ink.data, (v) => (v === 0 ? 0 : 1))
  const pieces = piecesByCandidate(ink, labels, count, dilated).get(1) ?? []
  t.equal(pieces.length, 2, 'the touching pair is one component, the lone stroke another')
  const { segments } = overSegmentLine(pieces, ink, labels, 5, 1, 1, { ...OPTIONS, minCutSpacingHeights: 0.5 })
  const wide = segments.filter((s) => s.piece === 0)
  t.ok(wide.length >= 2, 'the wide piece is cut')
  t.ok(
    wide.some((s) => s.cutBefore !== undefined && s.x0 >= 5 && s.x0 <= 7),
    'at the join between the H and the I',
  )
  t.same(
    segments.filter((s) => s.piece === 1).map((s) => s.box),
    [{ x: 13, y: 0, width: 1, height: 5 }],
  )
  t.same(Array.from(inkProfile(pieces[0], ink, labels)).slice(4, 8), [5, 1, 1, 5])
})
