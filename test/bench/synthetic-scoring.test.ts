import t from 'tap'
import {
  addComparisonCounts,
  addConfusions,
  characterGroup,
  confusionKind,
  emptyComparisonCounts,
  emptyConfusions,
  linesRight,
  scoreComparisons,
  topConfusions,
} from '../../bench/lib/synthetic-scoring.js'

t.test('a line is right under a comparison when its words are, each read line used once', async (t) => {
  const truth = ['Call Anna at 10:30.', 'buy milk', 'buy milk']
  const read = ['CALL ANNA AT 1030', 'buy milk']
  t.equal(linesRight(truth, read), 2, 'case-insensitive: case and marks do not count')
  t.equal(linesRight(truth, read, { caseSensitive: true }), 1, 'case-sensitive: only "buy milk", once')
  t.equal(linesRight(['Call Anna at 10:30.'], ['Call Anna at 10:30'], { caseSensitive: true, punctuation: true }), 0)
  t.equal(linesRight(['Call Anna at 10:30.'], ['Call Anna at 10:30.'], { caseSensitive: true, punctuation: true }), 1)
})

t.test('a page is scored the three ways scrawl eval scores', async (t) => {
  const scored = scoreComparisons(["Don't panic!", 'Hi Bo'], ['dont panic', 'Hi Bo'], 'dont panic\nHi Bo')
  t.same(scored.caseInsensitive, { text: { characters: 13, characterErrors: 0, words: 4, wordsFound: 4 }, lines: 2, linesRight: 2 })
  t.same(scored.caseSensitive.text, { characters: 13, characterErrors: 1, words: 4, wordsFound: 3 }, 'D read as d')
  t.equal(scored.caseSensitive.linesRight, 1)
  // with punctuation the truth has 15 characters: ' and ! are missing, D is d
  t.same(scored.withPunctuation.text, { characters: 15, characterErrors: 3, words: 4, wordsFound: 2 })
  const sum = addComparisonCounts(addComparisonCounts(emptyComparisonCounts(), scored.caseSensitive), scored.caseSensitive)
  t.same(sum, { text: { characters: 26, characterErrors: 2, words: 8, wordsFound: 6 }, lines: 4, linesRight: 2 })
})

t.test('matched boxes: case, punctuation and other confusions, most frequent first', async (t) => {
  t.equal(confusionKind('o', 'o'), null)
  t.equal(confusionKind('o', 'O'), 'case')
  t.equal(confusionKind(',', "'"), 'mark')
  t.equal(confusionKind('l', '1'), 'other')
  t.equal(confusionKind('.', 'o'), 'mark')
  const c = emptyConfusions()
  addConfusions(c, [
    ['o', 'O'],
    ['o', 'O'],
    ['s', 's'],
    [',', "'"],
    ['l', '1'],
    ['c', 'C'],
  ])
  t.equal(c.right, 1)
  t.same(c.byKind, { case: 3, mark: 1, other: 1 })
  t.same(topConfusions(c, 2), [
    ['o→O', 2],
    [",→'", 1],
  ])
})

t.test('written characters are grouped by case, height and mark', async (t) => {
  t.same([...'Ao7xbgi,'].map(characterGroup), [
    'capitals',
    'x-height letters',
    'digits',
    'x-height letters',
    'tall lower case',
    'descenders',
    'tall lower case',
    ',',
  ])
})
