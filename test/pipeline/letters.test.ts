import t from 'tap'
import { labelComponents } from '../../src/pipeline/components.js'
import {
  type Candidate,
  boundMaskSize,
  candidateMask,
  classifyBySize,
  gatherCandidates,
  mergeFragments,
  splitTouching,
  typicalLetterHeight,
} from '../../src/pipeline/letters.js'
import { binaryFromRows, rowsFromBinary } from '../helpers/images.js'

const candidate = (x: number, y: number, width: number, height: number, area = width * height): Candidate => ({
  box: { x, y, width, height },
  labels: [x + 1],
  area,
})

const LIMITS = {
  speckAreaStrokes: 0.5,
  dotMaxSize: 0.3,
  dotMaxElongation: 2.5,
  borderObjectHeights: 2.5,
  borderSliverHeights: 0.5,
  maxPageFraction: 0.5,
  maxLetterHeights: 6,
}

t.test('specks, page edges and rules are dropped; dots are set aside', async (t) => {
  const letter = candidate(50, 50, 20, 30, 200)
  const speck = candidate(100, 60, 1, 1, 1)
  const dot = candidate(120, 75, 5, 5, 20)
  const pageEdge = candidate(0, 0, 4, 200, 800)
  const rule = candidate(30, 120, 300, 3, 900)
  const shadowSliver = candidate(200, 0, 6, 8, 30)
  const ruleRemnant = candidate(150, 78, 8, 2, 16) // a short dash left where a ruled line was removed
  const { letters, dots } = classifyBySize([letter, speck, dot, pageEdge, rule, shadowSliver, ruleRemnant], 30, 3, 400, 300, LIMITS)
  t.same(letters, [letter])
  t.same(dots, [dot], 'a dash is not a dot')
})

t.test('a blob filling the page is background, even when it is the only candidate', async (t) => {
  const darkPage = candidate(0, 0, 400, 300, 120_000)
  t.same(classifyBySize([darkPage], 300, 1, 400, 300, LIMITS), { letters: [], dots: [] })
})

t.test('big masks are shrunk with their strokes kept', async (t) => {
  const mask = binaryFromRows(['#.....', '......', '.....#', '......'])
  t.equal(boundMaskSize(mask, 8), mask, 'small enough: unchanged')
  t.same(rowsFromBinary(boundMaskSize(mask, 3)), ['#..', '..#'])
})

t.test('typical letter height ignores specks', async (t) => {
  t.equal(typicalLetterHeight([candidate(0, 0, 9, 30), candidate(20, 0, 9, 34), candidate(40, 0, 2, 2), candidate(50, 0, 2, 3)], 9), 32)
})

t.test('fragments of one letter merge; separate letters do not', async (t) => {
  const vertical = candidate(10, 0, 4, 40) // E's spine
  const bar = candidate(12, 0, 20, 4) // its top bar, overlapping the spine
  const nextLetter = candidate(45, 0, 25, 40)
  const merged = mergeFragments([vertical, bar, nextLetter], 25, 40, { minOverlap: 0.5, fragmentWidth: 0.65, maxMergedHeights: 1.5 })
  t.equal(merged.length, 2)
  t.same(merged[0].box, { x: 10, y: 0, width: 22, height: 40 })
  t.same(merged[0].labels, [11, 13])
  t.same(merged[1], nextLetter)
})

t.test('a thin stroke touching a letter joins it (a W drawn as V and a stroke), two touching letters do not', async (t) => {
  const options = { minOverlap: 0.5, fragmentWidth: 0.65, maxMergedHeights: 1.5 }
  const v = candidate(0, 0, 34, 40),
    stroke = candidate(34, 0, 15, 36)
  t.equal(mergeFragments([v, stroke], 32, 40, options).length, 1)
  const h = candidate(0, 0, 30, 40),
    a = candidate(30, 0, 30, 40)
  t.equal(mergeFragments([h, a], 30, 40, options).length, 2)
})

t.test('two touching letters are cut at the projection minimum', async (t) => {
  // Two 5-wide "O"s joined by a 1-pixel bridge.
  const ink = binaryFromRows(['#####.#####', '#...###...#', '#...#.#...#', '#####.#####'])
  const { labels, count } = labelComponents(ink)
  t.equal(count, 1)
  const [whole] = gatherCandidates(ink, labels, count)
  const pieces = splitTouching(whole, ink, labels, 5, 1, { minWidthRatio: 1.7, minAspect: 1.5, maxCutInkStrokes: 2.5 })
  t.equal(pieces.length, 2)
  // The one-pixel bridge in the cut column goes to the right-hand piece.
  t.same(
    pieces.map((p) => p.box),
    [
      { x: 0, y: 0, width: 5, height: 4 },
      { x: 5, y: 0, width: 6, height: 4 },
    ],
  )
  const narrow = splitTouching(whole, ink, labels, 8, 1, { minWidthRatio: 1.7, minAspect: 1.5, maxCutInkStrokes: 2.5 })
  t.equal(narrow.length, 1, 'not wide enough for two letters of width 8')
})

t.test('a candidate mask holds its own ink only', async (t) => {
  const ink = binaryFromRows(['##.#', '#..#', '####'])
  const image = binaryFromRows(['##..', '#...', '#...'])
  const { labels, count } = labelComponents(image)
  const [c] = gatherCandidates(image, labels, count)
  t.same(rowsFromBinary(candidateMask(c, ink, labels)), ['##', '#.', '#.'])
})

t.test('a run of touching letters longer than a rule is kept when it is as tall as a letter; a rule is not', async (t) => {
  const run = candidate(10, 50, 240, 30, 3000)
  const rule = candidate(10, 120, 300, 3, 900)
  const frame = candidate(10, 150, 240, 80, 2000)
  const limits = { ...LIMITS, maxRunHeightHeights: 1.6, minRunHeightFraction: 0.6 }
  t.same(classifyBySize([run, rule, frame], 30, 3, 400, 300, limits).letters, [run])
  t.same(classifyBySize([run, rule, frame], 30, 3, 400, 300, LIMITS).letters, [], 'without the exception every long blob goes')
})
