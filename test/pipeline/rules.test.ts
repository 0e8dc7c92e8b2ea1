import type { BinaryImage, Box } from '../../src/pipeline/image.js'
import t from 'tap'
import { labelComponents } from '../../src/pipeline/components.js'
import { PIPELINE_CONFIG } from '../../src/pipeline/config.js'
import { longRuns, removeRules, transpose } from '../../src/pipeline/rules.js'
import { binaryFromRows, rowsFromBinary, seededRandom } from '../helpers/images.js'

/** The box of each 8-connected component, in label order. */
function componentBoxes(image: BinaryImage): Box[] {
  const { labels, count } = labelComponents(image)
  const boxes = Array.from({ length: count }, () => ({ x0: Infinity, y0: Infinity, x1: -1, y1: -1 }))
  labels.forEach((l, i) => {
    if (l === 0) return
    const x = i % image.width,
      y = (i - x) / image.width,
      b = boxes[l - 1]
    b.x0 = Math.min(b.x0, x)
    b.y0 = Math.min(b.y0, y)
    b.x1 = Math.max(b.x1, x)
    b.y1 = Math.max(b.y1, y)
  })
  return boxes.map((b) => ({ x: b.x0, y: b.y0, width: b.x1 - b.x0 + 1, height: b.y1 - b.y0 + 1 }))
}

const RULES = PIPELINE_CONFIG.rules

/** Rows of paper `width` wide, with `rows` placed from row `at` and the given pixels set. */
function page(width: number, height: number, rows: readonly string[], at: number, rules: readonly number[]): string[] {
  const out = Array.from({ length: height }, () => '.'.repeat(width))
  rows.forEach((row, k) => {
    out[at + k] = row.padEnd(width, '.')
  })
  for (const y of rules) out[y] = [...out[y]].map(() => '#').join('')
  return out
}

/**
 * A strip of ruled paper 60 × 20 with two rules one pixel thin across it (rows 6 and 12): an "I"
 * whose stem crosses the lower rule, a "U" (its bottom two pixels thick, as a pen is thicker than a
 * hairline) sitting on it, and a short dash that touches nothing.
 */
const ruledRows = page(
  60,
  20,
  [
    '.....#..............#...#...............',
    '.....#..............#...#...............',
    '.....#..............#...#.....###.......',
    '.....#...............###................',
    '.....#...............###................',
    '.....#..................................',
    '.....#..................................',
  ],
  7,
  [6, 12],
)
const ruled = binaryFromRows(ruledRows)

t.test('ruled lines go; a letter crossing a line stays whole; letters no longer join through the line', async (t) => {
  const removal = removeRules(ruled, RULES)
  t.equal(removal.horizontal, 2, 'two rules')
  t.equal(removal.vertical, 0, 'no line down the page')
  // The rules go but for the pixels beside a stroke that meets them: the I's stem is whole and the
  // U keeps the stretch of rule under it, so neither loses ink; nothing joins them any more.
  t.same(
    rowsFromBinary(removal.ink),
    page(
      60,
      20,
      [
        '....###............###.###..............',
        '.....#..............#...#...............',
        '.....#..............#...#...............',
        '.....#..............#...#.....###.......',
        '.....#...............###................',
        '.....#...............###................',
        '....###.............#####...............',
        '.....#..................................',
      ],
      6,
      [],
    ),
  )
  const pieces = componentBoxes(removal.ink)
  t.same(
    pieces,
    [
      { x: 4, y: 6, width: 3, height: 8 },
      { x: 19, y: 6, width: 7, height: 7 },
      { x: 30, y: 9, width: 3, height: 1 },
    ],
    'the I, the U and the dash, apart',
  )
})

t.test('a page without rules is left as it is, bars of letters side by side included', async (t) => {
  const letters = binaryFromRows(
    page(
      160,
      40,
      [
        '.#####....#####....#####....#####....#####....#####....#####....#####.....',
        '...#........#........#........#........#........#........#........#.......',
        '...#........#........#........#........#........#........#........#.......',
        '...#........#........#........#........#........#........#........#.......',
        '...#........#........#........#........#........#........#........#.......',
      ],
      10,
      [],
    ),
  )
  const removal = removeRules(letters, RULES)
  t.equal(removal.horizontal, 0)
  t.equal(removal.removedPixels, 0)
  t.equal(removal.ink, letters, 'the same image back')
})

t.test('a dashed, tilted rule is found along the text slope', async (t) => {
  // A rule descending one pixel every 20 columns, broken every 15 pixels; no text.
  const width = 120,
    height = 20
  const data = new Uint8Array(width * height)
  for (let x = 0; x < width; x++) if (x % 15 !== 0) data[(5 + Math.floor(x / 20)) * width + x] = 1
  const removal = removeRules({ width, height, data }, RULES, 1 / 20)
  t.equal(removal.horizontal, 1)
  // A step of the staircase looks like a stroke leaving the line diagonally: a pixel per step may stay (a speck).
  const left = removal.ink.data.reduce((s, v) => s + v, 0)
  t.ok(left <= 2 * (width / 20), `${left} of ${data.reduce((s, v) => s + v, 0)} pixels left`)
})

t.test('on ruled paper, a margin line down the page goes too', async (t) => {
  const width = 60,
    height = 60
  const data = new Uint8Array(width * height)
  for (const y of [10, 25, 40, 55]) for (let x = 0; x < width; x++) data[y * width + x] = 1
  for (let y = 0; y < height; y++) data[y * width + 8] = 1
  const removal = removeRules({ width, height, data }, RULES)
  t.equal(removal.horizontal, 4)
  t.equal(removal.vertical, 1)
  const left = removal.ink.data.reduce((s, v) => s + v, 0)
  // Where two rules cross, each keeps the pixels beside the other: a speck of at most 5 pixels per crossing.
  t.ok(left <= 5 * 4, `${left} pixels left: specks at the four crossings`)
})

t.test('transposing twice gives the image back', async (t) => {
  t.same(rowsFromBinary(transpose(transpose(ruled))), ruledRows)
  t.same(rowsFromBinary(transpose(binaryFromRows(['#..', '.#.']))), ['#.', '.#', '..'])
})

/** An image `width` × `height` with the given pixels set. */
function drawn(width: number, height: number, set: (put: (x: number, y: number) => void) => void): BinaryImage {
  const data = new Uint8Array(width * height)
  set((x, y) => {
    if (x >= 0 && x < width && y >= 0 && y < height) data[y * width + x] = 1
  })
  return { width, height, data }
}

/** Ink pixels of an image. */
const inkCount = (image: BinaryImage): number => image.data.reduce((s, v) => s + v, 0)

t.test('rules fanned out by perspective, none along the text: each is found along its own slope', async (t) => {
  // The text runs level (slope 0); one rule rises 1 px in 12 (4.8°), the other falls 1 px in 16 (3.6°).
  // A letter's stem, two pixels wide, crosses the lower one.
  const width = 200,
    height = 50
  const stem = (put: (x: number, y: number) => void): void => {
    for (let y = 22; y <= 40; y++) for (const x of [100, 101]) put(x, y)
  }
  const ruled = drawn(width, height, (put) => {
    for (let x = 0; x < width; x++) {
      put(x, Math.round(16 - x / 12 + 8))
      put(x, Math.round(20 + x / 16))
    }
    stem(put)
  })
  const removal = removeRules(ruled, RULES, 0)
  t.equal(removal.horizontal, 2, 'two rules')
  const letter = drawn(width, height, stem)
  const kept = letter.data.every((v, i) => v === 0 || removal.ink.data[i] === 1)
  t.ok(kept, 'the stem keeps all its ink')
  // The stem keeps the pixels of rule beside it where the rule meets it; nothing else stays.
  const left = inkCount(removal.ink) - inkCount(letter)
  t.ok(left <= 4, `${left} pixels of rule left`)
  const pieces = componentBoxes(removal.ink)
  t.equal(pieces.length, 1, 'one piece: the stem')
  t.same([pieces[0].y, pieces[0].height], [22, 19], 'the stem is whole')
})

t.test('on grid paper nothing is left where rules cross; a letter over a crossing stays whole', async (t) => {
  const width = 72,
    height = 72
  // An L, strokes two pixels thick, over the crossing at (36, 36).
  const letter = (put: (x: number, y: number) => void): void => {
    for (let y = 28; y <= 45; y++) for (const x of [30, 31]) put(x, y)
    for (let x = 30; x <= 42; x++) for (const y of [44, 45]) put(x, y)
  }
  const grid = drawn(width, height, (put) => {
    for (let k = 0; k < width; k++) {
      for (const line of [12, 24, 36, 48, 60]) {
        put(k, line)
        put(line, k)
      }
    }
    letter(put)
  })
  const removal = removeRules(grid, RULES)
  t.equal(removal.horizontal, 5)
  t.equal(removal.vertical, 5)
  // The L keeps the pixel of rule either side of where a rule meets it (a column wider, a row lower); the
  // stubs the rules kept of one another where they cross go.
  const pieces = componentBoxes(removal.ink)
  t.same(pieces, [{ x: 29, y: 28, width: 14, height: 19 }], 'the L alone')
})

t.test('a period sitting on a rule stays, with the pixels of rule beside it', async (t) => {
  const width = 120,
    height = 30
  const image = drawn(width, height, (put) => {
    for (let x = 0; x < width; x++) put(x, 15)
    // A period, three pixels round, sitting on the rule.
    for (let y = 13; y <= 15; y++) for (let x = 80; x <= 82; x++) put(x, y)
  })
  const removal = removeRules(image, RULES)
  t.equal(removal.horizontal, 1)
  t.same(componentBoxes(removal.ink), [{ x: 79, y: 13, width: 5, height: 3 }], 'the period alone')
})

t.test('a rule tilted past what the rows find is found along a tilted line, when the tilt allowed reaches it', async (t) => {
  // Pieces count from 40 px: a line falling 1 px in 10 (5.7°) stays within three rows for 20 px only.
  // A rule along the text (level) shows the page is ruled.
  const options = { ...RULES, minPieceFraction: 0.1 }
  const width = 400,
    height = 80
  const image = drawn(width, height, (put) => {
    for (let x = 0; x < width; x++) {
      put(x, 10 + Math.floor(x / 10))
      put(x, 70)
    }
  })
  t.equal(removeRules(image, { ...options, maxTiltDegrees: 2 }).horizontal, 1, 'the level rule only, within 2°')
  const removal = removeRules(image, { ...options, maxTiltDegrees: 8 })
  t.equal(removal.horizontal, 2, 'both within 8°')
  t.ok(inkCount(removal.ink) <= 2 * (width / 10), `${inkCount(removal.ink)} of ${2 * width} pixels left`)
})

/** `longRuns` as it was written first, pixel by pixel along every line (the reference for the run-based one). */
function longRunsReference(
  ink: BinaryImage,
  minLength: number,
  bridge: number,
  shears: readonly number[],
): { mask: Uint8Array; longest: number } {
  const { width, height, data } = ink
  const out = new Uint8Array(width * height)
  const merged = new Uint8Array(width)
  let longest = 0
  for (const shear of shears) {
    const shift = Array.from({ length: width }, (_, x) => Math.round((x + 0.5) * shear))
    const lowest = Math.min(0, ...shift),
      highest = Math.max(0, ...shift)
    for (let r = -highest - 1; r <= height - lowest; r++) {
      for (let x = 0; x < width; x++) {
        const y = r + shift[x]
        merged[x] =
          (y >= 0 && y < height ? data[y * width + x] : 0) |
          (y >= 1 && y <= height ? data[(y - 1) * width + x] : 0) |
          (y >= -1 && y + 1 < height ? data[(y + 1) * width + x] : 0)
      }
      let x = 0
      while (x < width) {
        if (merged[x] === 0) {
          x++
          continue
        }
        const start = x
        let end = x
        while (end < width) {
          while (end < width && merged[end] !== 0) end++
          let gap = end
          while (gap < width && merged[gap] === 0 && gap - end < bridge) gap++
          if (gap < width && merged[gap] !== 0 && gap - end <= bridge) end = gap
          else break
        }
        if (end - start >= minLength) {
          for (let k = start; k < end; k++) {
            const y = r + shift[k]
            if (y >= 0 && y < height) out[y * width + k] = 1
          }
        }
        longest = Math.max(longest, end - start)
        x = end
      }
    }
  }
  return { mask: out, longest }
}

t.test('longRuns marks what the pixel-by-pixel reference marks, at every shear, on sparse and dense ink', async (t) => {
  const random = seededRandom(7)
  for (let trial = 0; trial < 80; trial++) {
    const width = 1 + Math.floor(random() * 150),
      height = 1 + Math.floor(random() * 40)
    const density = [0.01, 0.05, 0.3, 0.8][trial % 4]
    const data = Uint8Array.from({ length: width * height }, () => (random() < density ? 1 : 0))
    // A long row of ink now and then, so that runs pass `minLength`.
    if (trial % 3 === 0 && height > 2) data.fill(1, Math.floor(height / 2) * width, Math.floor(height / 2) * width + width)
    const ink = { width, height, data }
    const minLength = 1 + Math.floor(random() * 30),
      bridge = Math.floor(random() * 4)
    const shears = [0, 0.01, -0.02, 0.07, -0.3, 1.5].slice(0, 1 + (trial % 6))
    const expected = longRunsReference(ink, minLength, bridge, shears)
    const got = longRuns(ink, minLength, bridge, shears)
    t.same({ longest: got.longest, mask: [...got.mask.data] }, { longest: expected.longest, mask: [...expected.mask] }, `trial ${trial}`)
  }
})

t.test('longRuns adds to what it is given', async (t) => {
  const ink = binaryFromRows(['#########', '.........', '..#.#.#..'])
  const first = longRuns(ink, 9, 0)
  const both = longRuns(ink, 3, 1, [0], first)
  // The middle row is its neighbours' OR too: a full line the first time.
  t.same(rowsFromBinary(both.mask), ['#########', '#########', '..#####..'])
  t.equal(both.longest, 9)
})

t.test('longRuns along no shear gives back what it was given', async (t) => {
  const ink = binaryFromRows(['#####', '.....'])
  const first = longRuns(ink, 3, 0)
  const none = longRuns(ink, 1, 0, [], first)
  t.equal(none.mask.data, first.mask.data)
  t.equal(none.longest, 5)
  t.same(longRuns(ink, 1, 0, []).longest, 0)
})
