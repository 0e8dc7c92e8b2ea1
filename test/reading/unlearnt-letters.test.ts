import t from 'tap'
import { PIPELINE_CONFIG } from '../../src/pipeline/config.js'
import {
  isTextLine,
  judgedBySecondRejector,
  judgedGlyphProbability,
  nodeScores,
  PIECED_MARKS,
  searchCandidate,
  UNLEARNT_LETTERS,
} from '../../src/reading/lattice-scores.js'
import { searchLine } from '../../src/reading/search.js'

const MIXED = ['1', 'E', 'O', 'a', 'e', 'n', 'o', '.']
const CAPITALS = ['1', 'E', 'O']
const PRIOR = PIPELINE_CONFIG.search.unjudgedGlyphProbability

t.test('the rejector judges only the classes it learnt', async (t) => {
  // A crop read surely as "e" (a letter the rejector never saw) gets the prior, not the rejector's veto.
  t.ok(Math.abs(judgedGlyphProbability(0.02, [0, 0, 0, 0, 1, 0, 0, 0], MIXED, PRIOR) - PRIOR) < 1e-9)
  // Read as a capital, a digit, an "o" (learnt from Chars74K) or a mark: the rejector's word stands.
  t.equal(judgedGlyphProbability(0.02, [0, 0.5, 0, 0, 0, 0, 0.3, 0.2], MIXED, PRIOR), 0.02)
  // Between the two, in proportion to the classifier's belief.
  t.ok(Math.abs(judgedGlyphProbability(0.1, [0, 0.5, 0, 0, 0.25, 0.25, 0, 0], MIXED, 0.5) - (0.5 * 0.1 + 0.5 * 0.5)) < 1e-6)
  // A capitals model has none of those letters: nothing changes.
  t.equal(judgedGlyphProbability(0.02, [0.2, 0.3, 0.5], CAPITALS, PRIOR), 0.02)
  t.ok(['a', 'e', 'n'].every((l) => UNLEARNT_LETTERS.has(l)) && !['o', 'O', 'E', '.'].some((l) => UNLEARNT_LETTERS.has(l)))
  // A rejector that learnt lower case (the mixed one: no unlearnt letters) keeps its word on an "e".
  t.equal(judgedGlyphProbability(0.02, [0, 0, 0, 0, 1, 0, 0, 0], MIXED, PRIOR, new Set()), 0.02)
})

t.test('a small "e" the rejector doubts is read, not passed over; a fragment read as a mark still is', async (t) => {
  const box = { x: 0, y: 0, width: 40, height: 60 }
  const scored = (probabilities: number[], glyph: number, unlearnt?: ReadonlySet<string>): ReturnType<typeof searchCandidate> =>
    searchCandidate(
      { from: 0, to: 1, box, probabilities: Float32Array.from(probabilities), characterProbability: glyph },
      MIXED,
      100,
      { left: 0, right: 40 },
      PIPELINE_CONFIG.search,
      unlearnt,
    )
  const read = (probabilities: number[], glyph: number, unlearnt?: ReadonlySet<string>): string =>
    searchLine(
      { nodeCount: 2, candidates: [scored(probabilities, glyph, unlearnt)], nodeScore: nodeScores([0, 0], PIPELINE_CONFIG.search) },
      { beamWidth: 4 },
    )
      .steps.map((s) => (s.skipped ? '_' : s.text))
      .join('')
  // The rejector gives a lower-case "e" about what it gives a fragment (page-0085 of the mixed-case pages: 0.015).
  t.equal(read([0, 0.05, 0, 0, 0.55, 0, 0, 0.4], 0.015), 'e')
  t.equal(read([0.1, 0.1, 0, 0, 0.35, 0, 0.2, 0.25], 0.015), 'e')
  // The same doubt on a crop read as an "o" (a letter the rejector learnt) or as a capital passes it over as before.
  t.equal(read([0.1, 0.1, 0, 0, 0, 0, 0.35, 0.45], 0.015), '_')
  t.equal(read([0.2, 0.35, 0.25, 0, 0, 0, 0, 0.2], 0.001), '_')
  // A rejector that learnt lower case is believed when it doubts an "e".
  t.equal(read([0.1, 0.1, 0, 0, 0.35, 0, 0.2, 0.25], 0.015, new Set()), '_')
})

t.test('a rejector that learnt lower case judges the crops read as the letters the first one never learnt', async (t) => {
  const box = { x: 0, y: 0, width: 40, height: 60 }
  const probabilities = Float32Array.from([0, 0, 0, 0, 1, 0, 0, 0])
  const score = (unlearntCharacterProbability?: number): number =>
    searchCandidate(
      {
        from: 0,
        to: 1,
        box,
        probabilities,
        characterProbability: 0.02,
        ...(unlearntCharacterProbability !== undefined ? { unlearntCharacterProbability } : {}),
      },
      MIXED,
      100,
      { left: 0, right: 40 },
      PIPELINE_CONFIG.search,
    ).score
  const { charBonus, glyphWeight } = PIPELINE_CONFIG.search
  // Read surely as an "e": the second rejector's word replaces the prior, in either direction.
  t.ok(Math.abs(score(0.9) - (charBonus + glyphWeight * Math.log(0.9))) < 1e-6)
  t.ok(Math.abs(score(0.1) - (charBonus + glyphWeight * Math.log(0.1))) < 1e-6)
  t.ok(Math.abs(score() - (charBonus + glyphWeight * Math.log(PRIOR))) < 1e-6, 'without it, the prior')
})

t.test('a line of letters the capitals rejector never learnt is text when judged as the search judges them', async (t) => {
  // "ene" read surely, each crop doubted by the capitals rejector as a fragment would be, believed by the mixed-case one.
  const read = [4, 5, 4].map((letter) => Float32Array.from(MIXED, (_, i) => (i === letter ? 1 : 0)))
  const capitalsRejector = [0.02, 0.03, 0.02],
    mixedRejector = [0.9, 0.85, 0.9]
  t.notOk(isTextLine(capitalsRejector, 0, PIPELINE_CONFIG.textLines), 'by the capitals rejector alone: clutter')
  const judged = read.map((p, i) => judgedGlyphProbability(capitalsRejector[i], p, MIXED, mixedRejector[i]))
  t.ok(isTextLine(judged, 0, PIPELINE_CONFIG.textLines), 'judged: text')
})

t.test('a colon between digits is judged by the rejector that learnt marks, and read rather than joined to a digit', async (t) => {
  const labels = ['3', '4', ':', 'B']
  const judged = judgedBySecondRejector(UNLEARNT_LETTERS)
  t.ok(PIECED_MARKS.has(':') && PIECED_MARKS.has(';') && judged.has(':') && judged.has('e') && !judged.has('.'))
  t.ok(!UNLEARNT_LETTERS.has(':'), 'the text-line judgement keeps the capitals rejector on marks')
  // Segments "4", ":" and "3" of "4:30" (page-0003 of the mixed-case pages: the colon's crop read ":" at 0.73,
  // the capitals rejector 0.001, the mixed one 0.126; ":"+"3" joined read "3" at 0.83 with 0.004).
  // A line of 24 px letters, the colon half as tall.
  const candidate =
    (from: number, to: number, box: [number, number, number], probabilities: number[], main: number, second: number) =>
    (unlearnt: ReadonlySet<string>) =>
      searchCandidate(
        {
          from,
          to,
          box: { x: box[0], y: 0, width: box[1], height: box[2] },
          probabilities: Float32Array.from(probabilities),
          characterProbability: main,
          unlearntCharacterProbability: second,
        },
        labels,
        24,
        { left: box[0], right: box[0] + box[1] },
        PIPELINE_CONFIG.search,
        unlearnt,
      )
  const candidates = [
    candidate(0, 1, [0, 16, 30], [0, 0.93, 0, 0.07], 0.999, 0.99),
    candidate(1, 2, [20, 11, 12], [0, 0, 0.73, 0.27], 0.001, 0.126),
    candidate(1, 3, [20, 35, 33], [0.83, 0, 0, 0.17], 0.004, 0.002),
    candidate(2, 3, [28, 27, 29], [0.85, 0, 0, 0.15], 0.997, 0.959),
  ]
  const read = (unlearnt: ReadonlySet<string>): string =>
    searchLine(
      { nodeCount: 4, candidates: candidates.map((c) => c(unlearnt)), nodeScore: nodeScores([0, 0, 0, 0], PIPELINE_CONFIG.search) },
      { beamWidth: 4 },
    )
      .steps.map((s) => (s.skipped ? '_' : s.text))
      .join('')
  t.equal(read(judged), '4:3')
  t.equal(read(UNLEARNT_LETTERS), '43', 'judged by the capitals rejector alone, the colon is joined to the 3')
})
