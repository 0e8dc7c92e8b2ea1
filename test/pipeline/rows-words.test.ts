import t from 'tap'
import type { Box } from '../../src/pipeline/image.js'
import { assignToRows, clusterRows, estimateSkew } from '../../src/pipeline/rows.js'
import { letterSpacing, lineGaps, splitWords, wordGapThreshold } from '../../src/pipeline/words.js'

const SKEW = { maxDegrees: 12, stepDegrees: 0.5 }
const WORDS = {
  minGapContrast: 2,
  minWordGapHeights: 0.7,
  outlierGapRatio: 2.5,
  minGapsForOwnEvidence: 3,
  gapFloorHeights: 0.1,
  maxLettersPerWord: 6,
  spacedOutWidths: 1.4,
}

/** Letter boxes of lines of `counts` letters, 30 tall and 20 wide with 8 px gaps, rotated by `degrees` about the origin. */
function page(counts: number[], degrees: number, heights: (i: number) => number = () => 30): Box[][] {
  const a = (degrees * Math.PI) / 180
  return counts.map((n, line) =>
    Array.from({ length: n }, (_, i) => {
      const x = 40 + i * 28,
        y = 40 + line * 60
      const h = heights(i)
      const cx = x + 10,
        cy = y + 15
      return {
        x: Math.round(cx * Math.cos(a) - cy * Math.sin(a) - 10),
        y: Math.round(cx * Math.sin(a) + cy * Math.cos(a) + 15 - h),
        width: 20,
        height: h,
      }
    }),
  )
}

t.test('skew is found within a step for lines tilted up to 10°', async (t) => {
  for (const degrees of [-10, -4, 0, 3, 10]) {
    const boxes = page([14, 12, 15], degrees).flat()
    const found = (estimateSkew(boxes, 30, SKEW) * 180) / Math.PI
    t.ok(Math.abs(found - degrees) <= 0.5, `${degrees}° found as ${found}°`)
  }
})

t.test('rows come out top to bottom, letters left to right, despite skew and mixed heights', async (t) => {
  const lines = page([10, 7, 12], 8, (i) => (i % 3 === 0 ? 36 : 26))
  const shuffled = lines
    .flat()
    .map((box, i) => ({ box, id: i }))
    .sort((a, b) => ((a.id * 7919) % 31) - ((b.id * 7919) % 31))
  const skew = estimateSkew(
    shuffled.map((s) => s.box),
    30,
    SKEW,
  )
  const rows = clusterRows(shuffled, 30, skew, { rowGapHeights: 0.55 })
  t.same(
    rows.map((r) => r.length),
    [10, 7, 12],
  )
  t.same(
    rows[1].map((r) => r.id),
    [10, 11, 12, 13, 14, 15, 16],
  )
})

t.test('a dot attaches to the line it sits on', async (t) => {
  const rows = page([5, 5], 0).map((r) => r.map((box) => ({ box })))
  const period = { box: { x: 190, y: 64, width: 4, height: 4 } } // at the baseline of line 1
  const stray = { box: { x: 190, y: 300, width: 4, height: 4 } }
  t.same(assignToRows([period, stray], rows, 0, 10), [0, -1])
})

t.test('word gaps from the line gap distribution', async (t) => {
  // "HAIKUS  ARE EASY": narrow letter gaps, one very wide and one moderately wide word gap.
  const h = 50
  const gaps = [0.44, 0.57, 0.63, 0.24, 0.34, 3.27, 0.22, 0.31, 1.6, 0.5, 0.19, 0.44].map((g) => g * h)
  const threshold = wordGapThreshold(gaps, h, WORDS)
  t.equal(threshold, 1.6 * h)
  t.equal(
    wordGapThreshold(
      [0.9, 1.1, 1.0, 0.8, 1.2].map((g) => g * h),
      h,
      WORDS,
    ),
    undefined,
    'evenly spaced letters are one word',
  )
})

t.test('touching letters do not make a wide letter spacing look like word gaps', async (t) => {
  const h = 50
  // "This is a test sentence": "sentence" and "test" written with touching letters (gaps about 0), the
  // other letters spaced about half a letter height apart, the words 2–3 letter heights apart.
  const gaps = [-0.02, 0.42, -0.1, 0.56, 2.9, 0.61, 3.2, 2.5, -0.02, 0.02, 0.13, 2.1, 0.08, -0.02, -0.02, -0.02, -0.02, -0.02, 0.1].map(
    (g) => g * h,
  )
  // Word gaps from half a letter height, as configured: the spacing by all gaps (the floor) would make 0.56 one.
  t.equal(wordGapThreshold(gaps, h, { ...WORDS, minWordGapHeights: 0.5 }), 2.1 * h, 'the wide letter gaps stay inside their words')
  t.equal(
    letterSpacing(
      [...gaps].sort((a, b) => a - b),
      undefined,
      1,
      0.1 * h,
      0.5 * h,
      WORDS,
    ),
    0.1 * h,
    'without a clear split, the median of all gaps',
  )
})

t.test('with touching letters, gaps of half a letter height stay word gaps when a far stray is the widest gap', async (t) => {
  const h = 20
  // Letters that touch, words half a letter height apart, and one item far off at the end of the line:
  // Otsu's wide group is the stray alone, a "word" of 17 letters, so the narrow group still holds word gaps.
  const gaps = [-0.05, -0.05, -0.05, 0.52, -0.05, -0.05, 0.56, -0.05, -0.05, -0.05, 0.3, 0.2, 0.6, -0.05, -0.05, -0.05, 3].map((g) => g * h)
  const words = { ...WORDS, minWordGapHeights: 0.5 }
  t.equal(wordGapThreshold(gaps, h, words), 0.52 * h)
  const sorted = [...gaps].sort((a, b) => a - b)
  t.equal(letterSpacing(sorted, sorted.slice(0, -1), 1, 0.1 * h, 0.5 * h, words), 0.1 * h, 'the median of all gaps, at least the floor')
})

t.test('the letter spacing of a split into short words is that of the letters standing apart', async (t) => {
  const h = 20
  const spacing = (gaps: number[], wide: number, lines = 1): number => {
    const sorted = gaps.map((g) => g * h).sort((a, b) => a - b)
    return letterSpacing(sorted, sorted.slice(0, sorted.length - wide), lines, 0.1 * h, 0.5 * h, WORDS) / h
  }
  // Four touching pairs, three letters 0.4–0.5 apart, three word gaps: words of 2.75 letters on average.
  t.equal(spacing([-0.05, 0, -0.05, 0, 0.4, 0.45, 0.5, 2, 2.5, 3], 3), 0.45)
  // Only two letters stand apart: too few to tell the spacing, the median of all gaps (the floor) it is.
  t.equal(spacing([-0.05, 0, -0.05, 0, -0.05, 0, 0.45, 0.5, 2, 2.5, 3], 3), 0.1)
  // Fifteen letters in two "words" (the wide gap is a stray far off): the narrow gaps still hold word gaps.
  t.equal(spacing([-0.05, 0, 0.4, 0.45, 0.5, -0.05, 0, -0.05, 0, -0.05, 0, -0.05, 0, 3], 1), 0.1)
  // A short line whose wide gap is a stray: the letters apart split again into letter gaps and word gaps.
  t.equal(spacing([-0.05, 0.35, 3.5, -0.1, 3.6, -0.45, 0.6, 0.25, 19], 1), 0.35)
})

t.test('splitWords groups a line and falls back to the page threshold for short lines', async (t) => {
  const boxes = (xs: number[]): Box[] => xs.map((x) => ({ x, y: 0, width: 20, height: 30 }))
  const line = boxes([0, 28, 56, 130, 158, 240])
  t.same(lineGaps(line, 0), [8, 8, 54, 8, 62])
  t.same(splitWords(line, 0, 30, undefined, WORDS), [
    [0, 3],
    [3, 5],
    [5, 6],
  ])
  const twoLetters = boxes([0, 60])
  t.same(splitWords(twoLetters, 0, 30, undefined, WORDS), [[0, 2]], 'no evidence without a page threshold')
  t.same(
    splitWords(twoLetters, 0, 30, 35, WORDS),
    [
      [0, 1],
      [1, 2],
    ],
    'the page threshold decides',
  )
  t.same(splitWords([], 0, 30, 35, WORDS), [])
})

t.test('a line of letters all spaced wider than a letter is one word per letter; wide spacing with one tight pair is not', async (t) => {
  const boxes = (xs: number[]): Box[] => xs.map((x) => ({ x, y: 0, width: 20, height: 30 }))
  // A row of a letter grid: gaps of 30, 34 and 32 px between letters 20 wide (evenly spaced, no Otsu split).
  t.same(splitWords(boxes([0, 50, 104, 156]), 0, 30, undefined, WORDS), [
    [0, 1],
    [1, 2],
    [2, 3],
    [3, 4],
  ])
  // The same, but one pair 12 px apart: not spaced out; the usual gap rules keep that pair together.
  t.same(splitWords(boxes([0, 50, 82, 134]), 0, 30, undefined, WORDS), [
    [0, 1],
    [1, 3],
    [3, 4],
  ])
  // Two letters far apart say nothing about spacing on their own.
  t.same(splitWords(boxes([0, 60]), 0, 30, undefined, WORDS), [[0, 2]])
})
