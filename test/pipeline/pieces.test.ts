import t from 'tap'
import { labelComponents } from '../../src/pipeline/components.js'
import {
  cutCandidates,
  cutPaths,
  inkProfile,
  mergeCuts,
  overSegmentLine,
  piecesByCandidate,
  stackPieces,
  type Piece,
} from '../../src/pipeline/pieces.js'
import { seededRandom } from '../../src/reading/note-text.js'
import { binaryFromRows } from '../helpers/images.js'

const OPTIONS = {
  stackOverlap: 0.5,
  minCutWidthHeights: 0.6,
  maxCutInkStrokes: 2.5,
  minPartStrokes: 1.5,
  minCutSpacingHeights: 0.15,
  maxCutsPerHeight: 3,
  curvedCuts: 0,
  straightCutsToo: 0,
  cutStepCost: 0.25,
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

/** Every path from the top row to the bottom row moving at most one column a row, brute force: the least cost per end column. */
function bruteForcePathCosts(rows: readonly string[], stepCost: number): number[] {
  const width = rows[0].length
  const best = new Array<number>(width).fill(Infinity)
  const walk = (x: number, y: number, cost: number): void => {
    const here = cost + (rows[y][x] === '#' ? 1 : 0)
    if (y === rows.length - 1) {
      best[x] = Math.min(best[x], here)
      return
    }
    for (const dx of [-1, 0, 1]) if (x + dx >= 0 && x + dx < width) walk(x + dx, y + 1, here + (dx === 0 ? 0 : stepCost))
  }
  for (let x = 0; x < width; x++) walk(x, 0, 0)
  return best
}

const wholePiece = (rows: readonly string[]): { piece: Piece; ink: ReturnType<typeof binaryFromRows>; labels: Int32Array } => {
  const ink = binaryFromRows(rows)
  const labels = Int32Array.from(ink.data, (v) => (v === 0 ? 0 : 1))
  const area = ink.data.reduce((sum, v) => sum + v, 0)
  return { piece: { box: { x: 0, y: 0, width: ink.width, height: ink.height }, labels: [1], area }, ink, labels }
}

t.test('curved cuts: the least ink any top-to-bottom path crosses, as brute force finds it', async (t) => {
  const random = seededRandom(7)
  for (let trial = 0; trial < 20; trial++) {
    const rows = Array.from({ length: 5 }, () => Array.from({ length: 6 }, () => (random() < 0.4 ? '#' : '.')).join(''))
    for (const stepCost of [0.25, 1]) {
      const { piece, ink, labels } = wholePiece(rows)
      const paths = cutPaths(piece, ink, labels, stepCost)
      t.same(Array.from(paths.cost), bruteForcePathCosts(rows, stepCost), `${rows.join('/')} step ${stepCost}`)
      // The path it returns costs what it says.
      const end = paths.cost.indexOf(Math.min(...paths.cost))
      const path = paths.path(end)
      let cost = 0
      path.forEach((x, y) => {
        cost += (rows[y][x] === '#' ? 1 : 0) + (y > 0 && x !== path[y - 1] ? stepCost : 0)
        if (y > 0) t.ok(Math.abs(x - path[y - 1]) <= 1)
      })
      t.equal(cost, paths.cost[end])
      t.equal(path[path.length - 1], end)
    }
  }
})

t.test('a curved cut bends around a letter reaching over its neighbour', async (t) => {
  // A T whose bar reaches over an o: every straight column between them crosses the bar; the path
  // round the bar's end and down beside the o crosses nothing (three sideways steps).
  const rows = ['#######.', '...#....', '...#....', '...#....', '...#.###', '...#.#.#', '...#.###']
  const { piece, ink, labels } = wholePiece(rows)
  const paths = cutPaths(piece, ink, labels, 0.25)
  t.equal(paths.cost[4], 0.75)
  t.same(Array.from(paths.path(4)), [7, 6, 5, 4, 4, 4, 4])
  t.equal(Math.min(...Array.from(inkProfile(piece, ink, labels)).slice(4, 7)), 1, 'a straight cut crosses the bar')
  const options = { ...OPTIONS, minPartStrokes: 1, maxCutsPerHeight: 0.1, curvedCuts: 1, cutStepCost: 0.25 }
  const { segments } = overSegmentLine([piece], ink, labels, 7, 1, 1, options)
  t.same(
    segments.map((s) => s.area),
    [13, 8],
    'the T and the o apart',
  )
  t.same(segments[1].box, { x: 5, y: 4, width: 3, height: 3 })
  t.same(Array.from(segments[0].rows?.right ?? []), [7, 6, 5, 4, 4, 4, 4], 'the T holds what lies left of the path')
})

t.test("two touching O's are cut at their shared wall, with curved and straight cuts together", async (t) => {
  const { piece, ink, labels } = wholePiece(['.####.####.', '#....#....#', '#....#....#', '#....#....#', '.####.####.'])
  const options = {
    ...OPTIONS,
    minCutWidthHeights: 0.9,
    minPartStrokes: 1,
    minCutSpacingHeights: 0.25,
    curvedCuts: 1,
    straightCutsToo: 1,
    cutStepCost: 1,
  }
  const { segments } = overSegmentLine([piece], ink, labels, 5, 1, 1, options)
  // Some run of segments is each O: a boundary at the wall (column 5 or 6), none crossing it.
  const bounds = segments.slice(1).map((s) => s.x0)
  t.ok(
    bounds.some((x) => x === 5 || x === 6),
    `a cut at the wall (cuts at ${bounds.join(', ')})`,
  )
  const left = segments.filter((s) => s.x1 <= 6)
  t.ok(left.length > 0 && left.every((s) => s.box.x + s.box.width <= 6), "the left O's segments hold no ink of the right one")
})

t.test('straight cuts join the curved ones only where they cross none of them', async (t) => {
  const column = (x: number, inkStrokes = 1): { path: Int32Array; inkStrokes: number } => ({ path: new Int32Array(4).fill(x), inkStrokes })
  const bent = { path: Int32Array.from([9, 8, 7, 6]), inkStrokes: 0.5 }
  const merged = mergeCuts([bent], [column(3), column(7), column(12), column(10)], 2)
  t.same(
    merged.map((c) => Array.from(c.path)),
    [
      [3, 3, 3, 3],
      [9, 8, 7, 6],
      [12, 12, 12, 12],
    ],
    'column 7 crosses the bent cut, column 10 runs within 2 columns of its top; 3 and 12 are clear',
  )
  t.same(
    mergeCuts([], [column(4), column(5)], 2).map((c) => c.path[0]),
    [4],
    'nor two straight cuts side by side',
  )
})
