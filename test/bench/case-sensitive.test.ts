import t from 'tap'
import { compareTextsKeepingCase } from '../../bench/lib/case-sensitive.js'
import { compareTexts } from '../../src/evaluation/metrics.js'

t.test('case counts as a character error and a missed word', async (t) => {
  t.same(compareTextsKeepingCase('HELLO world.', 'Hello world'), { characters: 10, characterErrors: 4, words: 2, wordsFound: 1 })
  t.same(compareTexts('HELLO world.', 'Hello world'), { characters: 10, characterErrors: 0, words: 2, wordsFound: 2 })
})

t.test('on upper-case text both metrics agree', async (t) => {
  const read = 'SIMON SAY5\nTOUCH YOUR N0SE'
  const truth = 'SIMON SAYS\nTOUCH YOUR NOSE'
  t.same(compareTextsKeepingCase(read, truth), compareTexts(read, truth))
})
