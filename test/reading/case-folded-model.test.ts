import t from 'tap'
import { caseFolded } from '../../src/reading/case-folded-model.js'
import type { CharLanguageModel } from '../../src/reading/search.js'
import { MARKS_PER_THOUSAND_WORDS, markLogProbability } from '../../src/reading/mark-frequency.js'

const upperOnly: CharLanguageModel<string> = {
  initialState: () => '',
  advance: (state, char) => {
    if (!/^[A-Z0-9 ]$/.test(char)) throw new RangeError(`not in the alphabet: ${char}`)
    return { state: state + char, logProb: char === 'O' ? -1 : -2 }
  },
  endLogProb: () => -0.5,
  key: (state) => state,
}

/** The model's log-probability of a whole text, its end included. */
function logProbOf(model: CharLanguageModel<string>, text: string): number {
  let state = model.initialState(),
    total = 0
  for (const c of text) {
    const step = model.advance(state, c)
    state = step.state
    total += step.logProb
  }
  return total + model.endLogProb(state)
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 '
const COSTS = { markLogProb: -4, markInWordLogProb: -3, markCostFromFrequency: 0, charactersPerWord: 6 }

t.test('letters are read in capitals, marks are passed over at a fixed cost', async (t) => {
  const model = caseFolded(upperOnly, ALPHABET, COSTS)
  t.same(model.advance('', 'o'), { state: 'O', logProb: -1 })
  t.same(model.advance('', 'O'), { state: 'O', logProb: -1 })
  t.same(model.advance('AB', ','), { state: '\u0001AB', logProb: -4 }, 'the state carries over the comma, flagged after a letter')
  t.equal(model.advance(model.advance('AB ', ',').state, 'C').state, 'AB C', 'and over a mark at a word break')
  t.equal(model.advance('', 'ß').logProb, -4, 'a letter whose capital is two letters is a mark to the model')
  t.equal(model.endLogProb('X'), -0.5)
  t.equal(model.key?.('AB'), 'AB')
  t.equal(model.initialState(), '')
})

t.test('a mark between two letters costs more, unless it stands inside words', async (t) => {
  const model = caseFolded(upperOnly, ALPHABET, COSTS)
  const read = (text: string): number => logProbOf(model, text)
  // Letters -2 each (O -1), marks -4, end -0.5.
  t.equal(read('A%W'), -2 - 4 - 3 - 2 - 0.5, 'a percent sign inside a word')
  t.equal(read('AB, C'), -2 - 2 - 4 - 2 - 2 - 0.5, 'a comma before a space')
  t.equal(read("DON'T"), -2 - 1 - 2 - 4 - 2 - 0.5, 'an apostrophe inside a word')
  t.equal(read('E-MAIL'), -2 - 4 - 2 * 4 - 0.5, 'a hyphen inside a word')
  t.equal(read('(A)'), -4 - 2 - 4 - 0.5, 'brackets around a word')
  const flagged = model.advance('A', '%').state
  t.not(model.key?.(flagged), model.key?.('A'), 'the search tells the two states apart')
  t.equal(model.endLogProb(flagged), -0.5)
})

t.test('a mark at a word break: glued to a letter only if it opens words, alone it adds no space', async (t) => {
  const model = caseFolded(upperOnly, ALPHABET, COSTS)
  const read = (text: string): number => logProbOf(model, text)
  // Letters and spaces -2 each (O -1), marks -4, a glued mark -3 more, end -0.5.
  t.equal(read('A +HIS'), -2 - 2 - 4 - 3 - 2 - 2 - 2 - 0.5, 'a plus sign glued before a letter at a word start')
  t.equal(read('A THIS'), -2 - 2 - 2 * 4 - 0.5, 'what it stands for, by comparison')
  t.equal(read('+HIS'), -4 - 3 - 2 * 3 - 0.5, 'at the line start too')
  t.equal(read('A (HIS'), -2 - 2 - 4 - 2 * 3 - 0.5, 'an opening bracket opens words: no charge')
  t.equal(read("'TIS"), -4 - 2 * 3 - 0.5, 'an apostrophe opens words')
  t.equal(read('#TAG'), -4 - 2 * 3 - 0.5, 'so does a hash')
  t.equal(read('+44'), -4 - 2 * 2 - 0.5, 'a mark before a number is not charged')
  t.equal(read('A + B'), -2 - 2 - 4 - 0 - 2 - 0.5, 'a plus sign standing alone: the space after it is no second space')
  t.equal(read('+ MILK'), -4 - 0 - 2 * 4 - 0.5, 'a bullet at the line start: no space after the line start')
  t.equal(read('- MILK'), -4 - 0 - 2 * 4 - 0.5, 'a dash bullet alike')
  t.same(model.advance(model.advance('A ', '+').state, ' '), { state: 'A ', logProb: 0 }, 'the state is as before the mark')
  t.equal(read('ANN & BOB'), -2 * 4 - 4 - 0 - 2 - 1 - 2 - 0.5, 'an ampersand between names')
  t.equal(read('A ? B'), -2 - 2 - 4 - 2 - 2 - 0.5, 'a question mark alone between spaces still pays for the second space')
  t.equal(read('? MILK'), -4 - 2 - 2 * 4 - 0.5, 'and at the line start')
  t.equal(read('AB, C'), -2 - 2 - 4 - 2 - 2 - 0.5, 'a comma after a word still pays for its space')
  const atBreak = model.advance('A ', '+').state
  t.not(model.key?.(atBreak), model.key?.('A '), 'the search tells a state after a mark at a break from the one before it')
  t.not(model.key?.(atBreak), model.key?.(model.advance('A ', '(').state), 'and a sign from an opening mark')
})

t.test('with frequencies, each mark costs what it is worth in text', async (t) => {
  const model = caseFolded(upperOnly, ALPHABET, { ...COSTS, markCostFromFrequency: 1 })
  // 65.3 periods and 0.15 plus signs per 1,000 words of 6 characters.
  t.ok(Math.abs(model.advance('AB ', '.').logProb - Math.log(65.3 / 6000)) < 1e-12)
  t.ok(Math.abs(model.advance('AB ', '+').logProb - Math.log(0.15 / 6000)) < 1e-12)
  t.ok(model.advance('AB ', '+').logProb < model.advance('AB ', ',').logProb - 5, 'a plus sign is far rarer than a comma')
  t.equal(model.advance('', 'ß').logProb, -4, 'a character of unknown frequency pays markLogProb')
  const inWord = model.advance('A', '+')
  t.ok(Math.abs(model.advance(inWord.state, 'B').logProb - (-2 - 3)) < 1e-12, 'the in-word charge still follows')
})

t.test('the frequency table: every mark of the mixed models, periods and commas the most frequent', async (t) => {
  for (const mark of '.,;:!?\'"-()/&+=#@%*') t.ok(MARKS_PER_THOUSAND_WORDS[mark] > 0, mark)
  const sorted = Object.entries(MARKS_PER_THOUSAND_WORDS).sort((a, b) => b[1] - a[1])
  t.same(
    sorted.slice(0, 2).map(([mark]) => mark),
    ['.', ','],
  )
  t.equal(markLogProbability('a', 6), undefined)
  t.ok(Math.abs((markLogProbability('.', 5) as number) - Math.log(65.3 / 5000)) < 1e-12)
})
