import t from 'tap'
import { comparableCharacters, comparableWords, compareTexts } from '../../src/evaluation/metrics.js'

t.test('by default letters are upper-cased and punctuation is left out', async (t) => {
  t.equal(comparableCharacters('Hi, my name!'), 'HIMYNAME')
  t.same(comparableWords('Hi, my name!'), ['HI', 'MY', 'NAME'])
  t.same(compareTexts('hi my name', 'Hi, my name!'), { characters: 8, characterErrors: 0, words: 3, wordsFound: 3 })
})

t.test('case-sensitive: "o" is not "O"', async (t) => {
  const counts = compareTexts('HI, MY NAME', 'Hi, my name', { caseSensitive: true })
  t.equal(counts.characters, 8)
  t.equal(counts.characterErrors, 7, 'every letter but the H is in the wrong case')
  t.equal(counts.wordsFound, 0)
})

t.test('with punctuation: the marks of everyday notes count, other symbols and spaces do not', async (t) => {
  const comparison = { caseSensitive: true, punctuation: true }
  t.equal(comparableCharacters('Tea @ 5:30, ok? (yes) ~', comparison), 'Tea@5:30,ok?(yes)')
  t.same(comparableWords("don't - stop", comparison), ["don't", '-', 'stop'])
  const counts = compareTexts('Hi my name', 'Hi, my name!', comparison)
  t.equal(counts.characters, 10)
  t.equal(counts.characterErrors, 2, 'the comma and the exclamation mark')
  t.equal(counts.wordsFound, 1, 'only "my": "Hi" is not "Hi,", "name" is not "name!"')
})
