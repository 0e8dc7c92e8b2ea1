import t from 'tap'
import { PIPELINE_CONFIG } from '../../src/pipeline/config.js'
import type { Box } from '../../src/pipeline/image.js'
import {
  boundUnionSkips,
  entropy,
  isTextLine,
  nodeScores,
  searchCandidate,
  shortfallScore,
  widthScore,
} from '../../src/reading/lattice-scores.js'
import { kindBigram } from '../helpers/language-models.js'
import { logSigmoid, searchLine, type CharLanguageModel, type SearchCandidate } from '../../src/reading/search.js'

const LABELS = ['0', '1', '2', '7', 'E', 'F', 'H', 'I', 'O', 'V', 'W']
const HEIGHT = 100
const OPTIONS = { beamWidth: PIPELINE_CONFIG.search.beamWidth }

/**
 * A candidate as the reader would score it with the shipped configuration: `readings` are the
 * classifier's probabilities (the rest of the mass spread evenly), `glyph` the rejector's.
 */
function candidate(
  from: number,
  to: number,
  x: number,
  width: number,
  height: number,
  readings: Record<string, number>,
  glyph: number,
): SearchCandidate {
  const rest = (1 - Object.values(readings).reduce((s, p) => s + p, 0)) / (LABELS.length - Object.keys(readings).length)
  const probabilities = Float32Array.from(LABELS, (l) => readings[l] ?? rest)
  const box = { x, y: 0, width, height }
  return searchCandidate(
    { from, to, box, probabilities, characterProbability: glyph },
    LABELS,
    HEIGHT,
    { left: x, right: x + width },
    PIPELINE_CONFIG.search,
  )
}

const read = (candidates: SearchCandidate[], nodeCount: number, cuts: number[] = []): string => {
  const cutInk = Float64Array.from({ length: nodeCount }, (_, i) => cuts[i] ?? 0)
  return searchLine({ nodeCount, candidates, nodeScore: nodeScores(cutInk, PIPELINE_CONFIG.search) }, OPTIONS)
    .steps.map((s) => s.text)
    .join('')
}

t.test('a touching H and I, cut at their join, read as two letters when the classifier says so', async (t) => {
  const h = candidate(0, 1, 0, 70, 100, { H: 0.95 }, 0.95)
  const i = candidate(1, 2, 72, 12, 100, { I: 0.95 }, 0.95)
  const pair = candidate(0, 2, 0, 84, 100, { W: 0.5, H: 0.3 }, 0.1)
  t.equal(read([h, i, pair], 3, [0, 1]), 'HI')
  // When the halves are not letters (the classifier unsure, the rejector doubtful), the whole stays whole.
  const left = candidate(0, 1, 0, 40, 100, { I: 0.4, '1': 0.3 }, 0.3)
  const right = candidate(1, 2, 42, 40, 100, { '1': 0.5, I: 0.3 }, 0.3)
  const whole = candidate(0, 2, 0, 82, 100, { H: 0.97 }, 0.97)
  t.equal(read([left, right, whole], 3, [0, 1]), 'H')
})

t.test('a W drawn as two pieces is read as one W', async (t) => {
  const v1 = candidate(0, 1, 0, 60, 100, { V: 0.8, W: 0.1 }, 0.6)
  const v2 = candidate(1, 2, 58, 60, 100, { V: 0.8 }, 0.6)
  const w = candidate(0, 2, 0, 118, 100, { W: 0.9 }, 0.9)
  t.equal(read([v1, v2, w], 3), 'W')
})

t.test('an E broken into three pieces is read as one E', async (t) => {
  const stem = candidate(0, 1, 0, 12, 100, { I: 0.9, '1': 0.05 }, 0.8)
  const bars = candidate(1, 2, 14, 50, 60, { '7': 0.5, F: 0.2 }, 0.2)
  const foot = candidate(2, 3, 14, 50, 12, { '1': 0.4, '7': 0.2 }, 0.05)
  const top = candidate(0, 2, 0, 64, 100, { F: 0.7, E: 0.2 }, 0.7)
  const lower = candidate(1, 3, 14, 50, 100, { '2': 0.3, '7': 0.2 }, 0.3)
  const e = candidate(0, 3, 0, 64, 100, { E: 0.95 }, 0.95)
  t.equal(read([stem, bars, foot, top, lower, e], 4), 'E')
})

t.test('the path covers every node: a line of separate letters reads each', async (t) => {
  const letters = ['H', 'I', 'W'].map((l, k) => candidate(k, k + 1, k * 80, 60, 100, { [l]: 0.9 }, 0.9))
  t.equal(read(letters, 4), 'HIW')
  t.same(searchLine({ nodeCount: 1, candidates: [] }, OPTIONS), { steps: [], score: 0 }, 'an empty line')
  t.throws(() => searchLine({ nodeCount: 2, candidates: [{ ...letters[0], to: 3 }] }, OPTIONS), RangeError)
})

/** A toy bigram model: a digit after a digit is likely, a letter after a digit unlikely, and the reverse. */
const bigram = kindBigram

t.test('a language model settles look-alikes by their neighbours, with weight λ', async (t) => {
  const one = candidate(0, 1, 0, 12, 100, { '1': 0.9 }, 0.9)
  const zero = candidate(1, 2, 30, 50, 100, { O: 0.55, '0': 0.4 }, 0.9)
  const line = { nodeCount: 3, candidates: [one, zero] }
  t.equal(
    searchLine(line, OPTIONS)
      .steps.map((s) => s.text)
      .join(''),
    '1O',
    'the classifier alone',
  )
  t.equal(
    searchLine(line, { ...OPTIONS, languageModel: bigram, lmWeight: 1 })
      .steps.map((s) => s.text)
      .join(''),
    '10',
    'with the model',
  )
  t.equal(
    searchLine(line, { ...OPTIONS, languageModel: bigram, lmWeight: 0 })
      .steps.map((s) => s.text)
      .join(''),
    '1O',
    'λ = 0 is no model',
  )
})

t.test('spaces come out of the search from the gaps', async (t) => {
  const letters = [0, 60, 200].map((x, k) => candidate(k, k + 1, x, 50, 100, { H: 0.9 }, 0.9))
  const spaceLogOdds = (gap: number): number => (gap - 50) / 5
  const { steps } = searchLine({ nodeCount: 4, candidates: letters }, { ...OPTIONS, spaceLogOdds })
  t.same(
    steps.map((s) => s.spaceBefore),
    [false, false, true],
  )
  t.ok(Math.abs(logSigmoid(0) - Math.log(0.5)) < 1e-12 && Math.abs(logSigmoid(-800) + 800) < 1e-9, 'log σ is exact and does not overflow')
})

t.test('candidate terms: entropy, layout prior and cut costs', async (t) => {
  t.ok(Math.abs(entropy([0.5, 0.5]) - Math.log(2)) < 1e-12)
  const layout = (box: Box): number => widthScore(box, HEIGHT, PIPELINE_CONFIG.search) + shortfallScore(box, HEIGHT, PIPELINE_CONFIG.search)
  t.equal(layout({ x: 0, y: 0, width: 80, height: 100 }), 0, 'a letter-shaped box costs nothing')
  t.ok(layout({ x: 0, y: 0, width: 200, height: 100 }) < -1, 'two letters wide costs')
  t.ok(layout({ x: 0, y: 0, width: 50, height: 15 }) < -1, 'a bar on its own costs')
  const costs = nodeScores([0, 1, 0, 2], PIPELINE_CONFIG.search)
  t.equal(costs[0], 0)
  t.ok(costs[1] < 0 && costs[3] < costs[1], 'a cut costs, more through more ink')
})

t.test('a short crop pays for its shortness when read as a letter or a digit, not as a mark of its own', async (t) => {
  const labels = ['9', ',', 'I']
  const probabilities = Float32Array.from([0.7, 0.2, 0.1])
  // A comma's blob and tail, a third of the line's letter height, normalised like a 9.
  const evidence = { from: 0, to: 1, box: { x: 0, y: 60, width: 12, height: 30 }, probabilities, characterProbability: 0.8 }
  const scored = (cutFromInk: boolean): SearchCandidate =>
    searchCandidate({ ...evidence, cutFromInk }, labels, HEIGHT, { left: 0, right: 12 }, PIPELINE_CONFIG.search)
  const alone = scored(false)
  t.equal(alone.readings[0].text, ',', 'a stroke of its own that short is a mark before a digit')
  t.ok(Math.abs(alone.readings[0].logProb - Math.log(0.2)) < 1e-6, "the mark's reading is the classifier's")
  t.ok(alone.readings[1].logProb < Math.log(0.7) - 1, "the digit's pays for the shortfall")
  // The end of a bar cut out of a T is no dash: a piece of ink cut out pays whatever it is read as.
  t.same(
    scored(true).readings.map((r) => r.text),
    ['9', ',', 'I'],
    "cut out of ink, the classifier's order",
  )
  const tall = searchCandidate(
    { ...evidence, box: { x: 0, y: 0, width: 40, height: 90 } },
    labels,
    HEIGHT,
    { left: 0, right: 40 },
    PIPELINE_CONFIG.search,
  )
  t.same(
    tall.readings.map((r) => r.text),
    ['9', ',', 'I'],
    "a letter-tall crop keeps the classifier's order",
  )
  t.equal(alone.skipScore, tall.skipScore, "the skip score follows the classifier's own top probability")
})

t.test('the per-character bonus keeps a language model from favouring fewer, wider characters', async (t) => {
  // A W cut in two: two V halves, or the whole; the classifier likes both segmentations alike.
  const left = candidate(0, 1, 0, 40, 100, { V: 0.9 }, 0.9)
  const right = candidate(1, 2, 40, 40, 100, { V: 0.9 }, 0.9)
  const whole = candidate(0, 2, 0, 80, 100, { W: 0.9 }, 0.9)
  const line = { nodeCount: 3, candidates: [left, right, whole] }
  const costly: CharLanguageModel<string> = { initialState: () => '', advance: (_s, c) => ({ state: c, logProb: -3 }), endLogProb: () => 0 }
  const text = (bonus: number): string =>
    searchLine(line, { ...OPTIONS, languageModel: costly, lmWeight: 1, lmCharBonus: bonus })
      .steps.map((s) => s.text)
      .join('')
  const without = searchLine(line, OPTIONS)
    .steps.map((s) => s.text)
    .join('')
  t.equal(text(3), without, 'a bonus equal to the cost of a character: the same choice as without the model')
  t.equal(text(0), 'W', 'no bonus: the fewer characters win')
})

t.test('a line is text when it reads more than it passes over and what it reads looks like characters', async (t) => {
  const options = { minMeanGlyphProbability: 0.5 }
  t.ok(isTextLine([0.9, 0.95, 0.8], 1, options), 'a word with a speck passed over')
  t.notOk(isTextLine([], 0, options), 'periods alone')
  t.notOk(isTextLine([0.9], 3, options), 'a spiral binding: mostly passed over')
  t.notOk(isTextLine([0.3, 0.2, 0.6], 0, options), 'a doodle read as letters the rejector doubts')
  t.ok(isTextLine([1], 0, options), 'without a rejector every character counts as one')
})

t.test('passing over a union costs at least what passing over its most letter-like segment costs', async (t) => {
  const segment = (from: number, skipScore: number): SearchCandidate => ({
    from,
    to: from + 1,
    readings: [],
    score: 0,
    left: 0,
    right: 1,
    skipScore,
  })
  const letter = segment(0, -6.7)
  const clutter = segment(1, -3.3)
  const union: SearchCandidate = { from: 0, to: 2, readings: [], score: 0, left: 0, right: 2, skipScore: -2.5 }
  const bounded = boundUnionSkips([letter, clutter, union])
  t.equal(bounded[2].skipScore, -6.7, 'the letter in it makes the union as costly to pass over')
  t.same(bounded.slice(0, 2), [letter, clutter], 'segments unchanged')
  const clutterOnly: SearchCandidate = { ...union, from: 1, to: 3 }
  t.equal(boundUnionSkips([clutter, segment(2, -3.1), clutterOnly])[2].skipScore, -3.3, 'clutter alone stays cheap to pass over')
  const tall = (): boolean => true
  t.equal(boundUnionSkips([letter, clutter, union], tall)[2].skipScore, -10, 'a letter-tall union costs what its segments cost together')
  t.equal(boundUnionSkips([letter, clutter, { ...union, skipScore: -12 }], tall)[2].skipScore, -12, 'or its own skip, when dearer')
})

t.test('two touching letters are read, not passed over together as one doubtful letter-sized crop', async (t) => {
  // An E and an F touching: cut apart at node 1 through one stroke width, each half read with some
  // doubt; the pair as one crop is no letter the classifier or the rejector knows.
  const e = candidate(0, 1, 0, 50, 100, { E: 0.3 }, 0.3)
  const f = candidate(1, 2, 50, 50, 100, { F: 0.3 }, 0.3)
  const pair = candidate(0, 2, 0, 100, 100, { W: 0.2 }, 0.02)
  t.equal(read(boundUnionSkips([e, f, pair]), 3, [0, 1]), '', 'bounded by one segment, passing over the pair is cheaper than reading it')
  t.equal(
    read(
      boundUnionSkips([e, f, pair], () => true),
      3,
      [0, 1],
    ),
    'EF',
    'costing what passing over both halves costs, it is read',
  )
})

t.test('infinite space log-odds decide the spaces: the other choice is never tried', async (t) => {
  const spaces: string[] = []
  const counting: CharLanguageModel<string> = {
    initialState: () => '',
    advance: (s, c) => {
      if (c === ' ') spaces.push(s)
      return { state: c, logProb: -1 }
    },
    endLogProb: () => 0,
    key: (s) => s,
  }
  const pair = [candidate(0, 1, 0, 50, 100, { E: 0.9 }, 0.9), candidate(1, 2, 60, 50, 100, { F: 0.9 }, 0.9)]
  const read = (spaceLogOdds: (gap: number) => number): boolean[] =>
    searchLine({ nodeCount: 3, candidates: pair }, { ...OPTIONS, spaceLogOdds, languageModel: counting, lmWeight: 1 }).steps.map(
      (s) => s.spaceBefore,
    )
  t.same(
    read(() => -Infinity),
    [false, false],
  )
  t.equal(spaces.length, 0, 'a space ruled out is never read by the model')
  t.same(
    read(() => Infinity),
    [false, true],
    'a certain space is read even though the model charges for it',
  )
})
