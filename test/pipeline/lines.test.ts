import t from 'tap'
import { PIPELINE_CONFIG } from '../../src/pipeline/config.js'
import type { Box } from '../../src/pipeline/image.js'
import { centreAt, findTextLines } from '../../src/pipeline/lines.js'
import { estimateSkew } from '../../src/pipeline/rows.js'

const OPTIONS = PIPELINE_CONFIG.lines

interface Item {
  readonly id: string
  readonly box: Box
}

/** A letter `id` whose box is `width` × `height` with its centre at (cx, cy). */
function letter(id: string, cx: number, cy: number, width = 20, height = 30): Item {
  return { id, box: { x: Math.round(cx - width / 2), y: Math.round(cy - height / 2), width, height } }
}

/** Letters of a line starting at (x, y), 28 px apart, rising `slope` px per px to the right (negative: up). */
function line(ids: string, x: number, y: number, slope = 0, pitch = 28): Item[] {
  return [...ids].map((id, i) => letter(id, x + i * pitch, y + i * pitch * slope))
}

const text = (lines: Item[][]): string[] => lines.map((l) => l.map((i) => i.id).join(''))

t.test('two lines close together, each slanted its own way, stay apart', async (t) => {
  // Centres 40 px apart (1.33 letter heights); the upper line rises 7°, the lower one falls 3°:
  // sorted by height alone, the upper line's right end lies level with the lower line's.
  const upper = line('ABCDEFGHIJ', 40, 100, -0.12)
  const lower = line('KLMNOPQRST', 40, 140, 0.05)
  const shuffled = [...lower, ...upper].sort((a, b) => a.box.x - b.box.x)
  t.same(text(findTextLines(shuffled, 30, 0, OPTIONS)), ['ABCDEFGHIJ', 'KLMNOPQRST'])
})

t.test('two lines that converge, the lower one starting further left, stay apart', async (t) => {
  // The upper line falls about 4° and starts four letters in; the lower one rises about 5°: at the
  // right their letters come within 0.6 letter heights of each other across the line. Sorting
  // centres across the line (rows.ts' clusterRows) makes one line of them.
  const box = (id: string, x: number, y: number): Item => ({ id, box: { x, y, width: 20, height: 30 } })
  const items = [
    ...[box('A', 114, 84), box('B', 142, 83), box('C', 170, 92), box('D', 198, 94), box('E', 226, 91)],
    ...[box('a', 58, 123), box('b', 86, 124), box('c', 114, 122), box('d', 142, 118), box('e', 170, 112), box('f', 198, 111)],
  ]
  const skew = estimateSkew(
    items.map((i) => i.box),
    30,
    PIPELINE_CONFIG.skew,
  )
  t.same(text(findTextLines(items, 30, skew, OPTIONS)), ['ABCDE', 'abcdef'])
})

t.test('letters that wander: links passing over a letter set low leave no second line beside the first', async (t) => {
  const wander = [0, 5, -4, 7, -6, 3, -2, 6, -5, 4, 0, -3]
  const heights = [30, 26, 34, 28, 32, 25, 35, 29, 27, 33, 30, 28]
  const wandering = (ids: string, y: number, slope: number, phase: number): Item[] =>
    [...ids].map((id, i) => letter(id, 40 + i * 28, y + i * 28 * slope + wander[(i + phase) % 12], 20, heights[(i + phase * 5) % 12]))
  const items = [...wandering('ABCDEFGHIJ', 100, -0.1, 0), ...wandering('KLMNOPQRST', 140, 0.03, 3)]
  t.same(text(findTextLines(items, 30, 0, OPTIONS)), ['ABCDEFGHIJ', 'KLMNOPQRST'])
})

t.test('two letters one above the other are two lines, the upper one first', async (t) => {
  const found = findTextLines([letter('B', 50, 100), letter('A', 52, 55)], 30, 0, OPTIONS)
  t.same(text(found), ['A', 'B'])
})

t.test('sparse big letters: two lines of three, far apart, are two lines', async (t) => {
  // Letters 120 tall with gaps of 2.3 letter heights, lines 1.6 letter heights apart, the lower one set off to the right.
  const big = (id: string, cx: number, cy: number): Item => letter(id, cx, cy, 90, 120)
  const items = [big('A', 100, 200), big('B', 460, 205), big('C', 820, 195), big('D', 180, 390), big('E', 540, 392), big('F', 900, 388)]
  t.same(text(findTextLines(items, 120, 0, OPTIONS)), ['ABC', 'DEF'])
})

t.test('sparse big letters that wander up and down: the lower line set off diagonally does not steal a letter', async (t) => {
  // Lines 1.25 letter heights apart; B sits low and E high, so that B and E, diagonal neighbours with
  // no gap between them, overlap across the line as much as letters of one line may.
  const big = (id: string, cx: number, cy: number): Item => letter(id, cx, cy, 90, 120)
  const items = [big('A', 100, 200), big('B', 460, 245), big('C', 820, 215), big('D', 180, 340), big('E', 540, 305), big('F', 900, 335)]
  t.same(text(findTextLines(items, 120, 0, OPTIONS)), ['ABC', 'DEF'])
})

t.test('a word gap wider than a link joins one line where the centre lines meet', async (t) => {
  const items = [...line('ABC', 40, 100, -0.05), ...line('DEF', 40 + 2 * 28 + 150, 100 - 0.05 * 206, -0.05)]
  t.same(text(findTextLines(items, 30, 0, OPTIONS)), ['ABCDEF'])
})

t.test('ink of two lines joined into one candidate is split between them', async (t) => {
  // "XI" over "IY": the two I's touch after dilation; parts are the candidate's separate components.
  const top = letter('i', 68, 100)
  const bottom = letter('j', 68, 142)
  const joined: Item = { id: '?', box: { x: 58, y: 85, width: 20, height: 72 } }
  const parts = (item: Item): readonly Item[] => (item === joined ? [top, bottom] : [item])
  const items = [letter('X', 40, 100), joined, letter('Z', 96, 100), letter('W', 124, 100), letter('Y', 96, 142), letter('V', 124, 142)]
  t.same(text(findTextLines(items, 30, 0, OPTIONS, parts)), ['XiZW', 'jYV'])
  t.same(text(findTextLines(items, 30, 0, OPTIONS)), ['X?ZW', 'YV'], 'without parts it joins one line whole')
})

t.test('a big letter across lines of small marks is not cut up', async (t) => {
  // A letter 4 heights tall beside marks (a binder's holes) that line up on their own, one under another.
  const marks = [100, 140, 180, 220].map((y, i) => letter(`m${i}`, 10, y, 14, 30))
  const big: Item = { id: 'K', box: { x: 60, y: 90, width: 80, height: 140 } }
  const halves = [
    { id: 'k1', box: { x: 60, y: 90, width: 20, height: 140 } },
    { id: 'k2', box: { x: 80, y: 90, width: 60, height: 140 } },
  ]
  const found = findTextLines([...marks, big], 30, 0, OPTIONS, (item) => (item === big ? halves : [item]))
  t.ok(
    found.some((l) => l.some((i) => i.id === 'K')),
    'the letter stays whole',
  )
})

t.test('a tall letter of a line broken by a gap is not split between its two halves', async (t) => {
  // "of execution" in mixed case: the f reaches above and below both halves' bands, which are one line.
  const left = line('abcd', 40, 100)
  const right = line('efgh', 40 + 3 * 28 + 110, 104)
  const f: Item = { id: 'f', box: { x: 150, y: 70, width: 22, height: 62 } }
  const parts = (item: Item): readonly Item[] =>
    item === f
      ? [
          { id: 'f1', box: { x: 150, y: 70, width: 22, height: 32 } },
          { id: 'f2', box: { x: 150, y: 102, width: 22, height: 30 } },
        ]
      : [item]
  t.same(text(findTextLines([...left, f, ...right], 30, 0, OPTIONS, parts)), ['abcdfefgh'])
})

t.test('a line far right of another at its height comes after it, whichever is a little higher', async (t) => {
  const items = [...line('ABC', 40, 100), ...line('XY', 40 + 2 * 28 + 400, 96), ...line('DEF', 40, 160)]
  t.same(text(findTextLines(items, 30, 0, OPTIONS)), ['ABC', 'XY', 'DEF'])
})

t.test('lines of small marks alone are texture and left out', async (t) => {
  const marks = [letter('.', 40, 300, 6, 6), letter('.', 70, 300, 6, 6)]
  t.same(text(findTextLines([...line('ABC', 40, 100), ...marks], 30, 0, OPTIONS)), ['ABC'])
})

t.test('a line centre follows a slant and levels off when few letters say little', async (t) => {
  const centres = [0, 1, 2, 3].map((i) => ({ u: i * 30, v: 100 + i * 6 }))
  const far = centreAt(centres, 150, 30, { ...OPTIONS, slopePriorHeights: 0 })
  t.ok(Math.abs(far - 130) < 1e-9, `extrapolated ${far}`)
  const one = centreAt([{ u: 0, v: 100 }], 300, 30, OPTIONS)
  t.equal(one, 100, 'one letter: level')
})
