import { createHash } from 'node:crypto'
import t from 'tap'
import { PIPELINE_CONFIG } from '../../src/pipeline/config.js'
import {
  buildCharLanguageModel,
  countNGrams,
  createCharLanguageModel,
  LINE_START,
  type CharLanguageModel,
} from '../../src/reading/language-model.js'
import {
  cardMatches,
  decodeNGramCounts,
  encodeNGramCounts,
  loadCharLanguageModel,
  readLanguageModelCard,
} from '../../src/reading/language-model-file.js'
import {
  generateNoteLines,
  LANGUAGE_MODEL_ALPHABET,
  languageModelTrainingText,
  normalizeNoteText,
  wordListLines,
} from '../../src/reading/note-text.js'

const lines = (...texts: string[]) => texts.map((text) => ({ text, weight: 1 }))

/** Probability of every symbol that can follow `history`: each character and the end. */
const totalProbability = (model: CharLanguageModel, history: string): number => {
  let sum = Math.exp(model.endLogProb(model.stateOf(history)))
  for (const c of LANGUAGE_MODEL_ALPHABET) sum += Math.exp(model.logProb(history, c))
  return sum
}

t.test('interpolated Kneser–Ney on a corpus small enough to work by hand', async (t) => {
  // "^AB$" twice and "^CB$". Bigrams (the highest order) keep their counts: ^A 2, AB 2, B$ 3, ^C 1, CB 1.
  // Single symbols get continuation counts, the distinct symbols before them: A 1 (^), B 2 (A, C), $ 1, C 1;
  // 5 in all over 4 symbols. With D = 0.5: P1(B) = (2 − 0.5) / 5 + 0.5 · 4 / 5 · 1/38.
  const model = buildCharLanguageModel(lines('AB', 'AB', 'CB'), { order: 2, discount: 0.5 })
  const unigramB = 1.5 / 5 + (0.5 * 4) / 5 / 38
  const unseen = (0.5 * 4) / 5 / 38
  // After "A": AB seen twice of 2, one distinct follower: (2 − 0.5) / 2 + 0.5 · 1 / 2 · P1(B).
  const close = (actual: number, expected: number, what: string): void => {
    t.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} ≈ ${expected}`)
  }
  close(model.logProb('A', 'B'), Math.log(1.5 / 2 + 0.25 * unigramB), 'P(B | A)')
  close(model.logProb('A', 'Z'), Math.log(0.25 * unseen), 'P(Z | A)')
  close(model.endLogProb(model.stateOf('AB')), Math.log(2.5 / 3 + (0.5 / 3) * (0.5 / 5 + unseen)), 'P(end | B)')
  t.same(model.ngramCounts, [4, 5])
  for (const history of ['', 'A', 'AB', 'C', 'ZZ', '1 2'])
    t.ok(Math.abs(totalProbability(model, history) - 1) < 1e-9, `sums to 1 after "${history}"`)
})

t.test('probabilities over the alphabet and the end sum to 1', async (t) => {
  const small = buildCharLanguageModel(lines('HELLO', 'HELP ME', 'NY 10025', 'TO DO LIST'), { order: 4, discount: 0.8 })
  const shipped = loadCharLanguageModel()
  for (const history of ['', 'H', 'HEL', 'HELLO', 'HELLO ', 'NY 1', 'QQQQ', 'TO DO', '9 9 9 9 ']) {
    t.ok(Math.abs(totalProbability(small, history) - 1) < 1e-9, `small model after "${history}"`)
    t.ok(Math.abs(totalProbability(shipped, history) - 1) < 1e-9, `shipped model after "${history}"`)
  }
})

t.test('the state API', async (t) => {
  const model = loadCharLanguageModel()
  t.equal(model.order, PIPELINE_CONFIG.languageModel.order)
  t.equal(model.initialState(), LINE_START)
  // Reading a line step by step gives what logProb and lineLogProb give.
  let state = model.initialState(),
    sum = 0
  for (const [i, c] of [...'NY 10025'].entries()) {
    const step = model.advance(state, c)
    t.equal(step.logProb, model.logProb('NY 10025'.slice(0, i), c))
    t.ok(step.logProb < 0)
    t.ok(step.state.length <= model.order - 1, 'a state holds at most order − 1 characters')
    sum += step.logProb
    state = step.state
  }
  t.equal(state, model.stateOf('NY 10025'))
  t.ok(Math.abs(sum + model.endLogProb(state) - model.lineLogProb('NY 10025')) < 1e-9)
  // States are the last characters: histories that end alike share a state, and so their futures.
  t.equal(model.stateOf('SAY HELLO'), 'ELLO')
  t.equal(model.stateOf('A BIG HELLO'), 'ELLO')
  t.equal(model.stateOf('HE'), '^HE', 'the line start is part of a short history')
  // A history the training text never held is shortened to the longest ending it did hold.
  const odd = model.stateOf('QXQX')
  t.ok(odd.length < 4 && 'QXQX'.endsWith(odd))
  t.equal(model.advance(odd, 'A').logProb, model.logProb('QXQX', 'A'))
  // Only characters of the alphabet can be read.
  for (const bad of ['a', '.', '', 'AB', LINE_START, '\n'])
    t.throws(() => model.advance(model.initialState(), bad), RangeError, JSON.stringify(bad))
})

t.test('look-alikes are settled by their neighbours', async (t) => {
  const model = loadCharLanguageModel()
  const better = (right: string, wrong: string): void => {
    t.ok(model.lineLogProb(right) > model.lineLogProb(wrong), `"${right}" over "${wrong}"`)
  }
  better('HELLO', 'HELL0')
  better('TO DO', 'T0 D0')
  better('TO DO', 'TO D0')
  better('NY 10025', 'NY IOO2S')
  better('NY 10025', 'NY 1OO25')
  better('NY 10025', 'NYIOO2S')
  better('BOOK', 'B00K')
  better('BOOK', 'BO0K')
  better('12 05 2024', '12 O5 2O24')
  better('CALL 555 0199', 'CALL SSS O199')
  // One character at a time, as a search meets them: after "NY " a digit, after "HEL" a letter.
  t.ok(model.logProb('NY 1', '0') > model.logProb('NY 1', 'O'), 'NY 1 → 0')
  t.ok(model.logProb('NY ', '1') > model.logProb('NY ', 'I'), 'NY → 1')
  t.ok(model.logProb('NY 1002', '5') > model.logProb('NY 1002', 'S'), 'NY 1002 → 5')
  t.ok(model.logProb('HELL', 'O') > model.logProb('HELL', '0'), 'HELL → O')
  t.ok(model.logProb('B', 'O') > model.logProb('B', '0'), 'B → O')
  // A mix of letters and digits inside a word costs a lot: "B00K" is far less likely than "BOOK".
  t.ok(model.lineLogProb('BOOK') - model.lineLogProb('B00K') > Math.log(1000))

  // Every way of swapping the usual look-alikes (O/0, I/1, S/5, Z/2, B/8, G/6): the true line reads best.
  const swaps: Record<string, string> = { O: '0', 0: 'O', I: '1', 1: 'I', S: '5', 5: 'S', Z: '2', 2: 'Z', B: '8', 8: 'B', G: '6', 6: 'G' }
  const variants = (text: string): string[] =>
    [...text].reduce<string[]>((partial, c) => partial.flatMap((p) => (swaps[c] ? [p + c, p + swaps[c]] : [p + c])), [''])
  for (const truth of [
    'HELLO',
    'TO DO LIST',
    'NY 10025',
    'GOOD BOOKS',
    'BIG DOGS',
    'MEET AT 10 30',
    'BUY 6 EGGS',
    'ROOM 101',
    '1ST FLOOR',
    'CA 94110',
    'IS IT',
    '10 MIN',
    'SIZE 8',
    'MISSION',
    'LOGIN',
    'OZONE',
  ]) {
    const best = variants(truth).reduce((a, b) => (model.lineLogProb(b) > model.lineLogProb(a) ? b : a))
    t.equal(best, truth, `best of the ${variants(truth).length} readings of "${truth}"`)
  }
})

t.test('counts are written and read back exactly', async (t) => {
  const ngrams = countNGrams(lines('HELLO', 'NY 10025', 'HELLO', 'A'), 3)
  const back = decodeNGramCounts(encodeNGramCounts(ngrams))
  t.equal(back.order, 3)
  t.same(
    back.levels.map((l) => [...l.keys]),
    ngrams.levels.map((l) => [...l.keys]),
  )
  t.same(
    back.levels.map((l) => [...l.counts]),
    ngrams.levels.map((l) => [...l.counts]),
  )
  t.ok(
    ngrams.levels.every((l) => l.keys.every((k, i) => i === 0 || l.keys[i - 1] < k)),
    'keys ascending',
  )
  t.equal(createCharLanguageModel(back, 0.7).lineLogProb('HELP'), createCharLanguageModel(ngrams, 0.7).lineLogProb('HELP'))
  t.throws(() => decodeNGramCounts(Buffer.from('not counts')))
  t.throws(() => countNGrams(lines('hello'), 3), RangeError)
  t.throws(() => countNGrams([{ text: 'A', weight: 0.5 }], 3), RangeError)
  t.throws(() => countNGrams(lines('A'), 6), RangeError)
  t.throws(() => createCharLanguageModel(ngrams, 1), RangeError)
})

t.test("the shipped model is the configuration's, and counting its text again gives the same file", async (t) => {
  const config = PIPELINE_CONFIG.languageModel
  const card = readLanguageModelCard()
  t.ok(cardMatches(card, config), 'models/charlm.json was trained with the languageModel configuration (else run npm run train:lm)')
  t.ok(cardMatches(card, { ...config, discount: 0.6 }), 'the discount is applied when loading')
  t.notOk(cardMatches(card, { ...config, seed: config.seed + 1 }))
  t.equal(card.order, config.order)
  const counts = encodeNGramCounts(countNGrams(languageModelTrainingText(config), config.order))
  t.equal(createHash('sha256').update(counts).digest('hex'), card.sha256, 'deterministic training')
  t.same(loadCharLanguageModel().ngramCounts, card.ngramCounts)
  t.equal(loadCharLanguageModel(), loadCharLanguageModel(), 'loaded once per process')
})

t.test('training text', async (t) => {
  t.equal(normalizeNoteText('Hi, my name is'), 'HI MY NAME IS')
  t.equal(normalizeNoteText('12/05/2024  10:30'), '12 05 2024 10 30')
  t.equal(normalizeNoteText("don't"), 'DONT')
  t.equal(normalizeNoteText(' café! '), 'CAF')
  const counts = { ...PIPELINE_CONFIG.languageModel, seed: 7 }
  const words = lines('HELLO', 'WORLD', 'LIST')
  const first = generateNoteLines(counts, words)
  t.same(generateNoteLines(counts, words), first, 'the same seed writes the same lines')
  t.notSame(generateNoteLines({ ...counts, seed: 8 }, words).slice(0, 50), first.slice(0, 50))
  t.ok(
    first.every((l) => /^[A-Z0-9]+(?: [A-Z0-9]+)*$/.test(l.text)),
    'upper case, digits and single spaces only',
  )
  t.ok(
    first.some((l) => /^\d{5}$|[A-Z]{2} \d{5}$/.test(l.text)),
    'ZIP codes',
  )
  t.ok(
    first.some((l) => /^\d{1,2} \d{2} \d{4}$/.test(l.text)),
    'numeric dates',
  )
  t.ok(
    first.some((l) => /^1 [A-Z]/.test(l.text)),
    'list items',
  )
  // The word list written out: every word as many times as its weight, in lines of 1–3 words.
  const written = wordListLines(
    [
      { text: 'A', weight: 3 },
      { text: 'B', weight: 1 },
    ],
    1,
    3,
  )
  t.same(written.flatMap((l) => l.text.split(' ')).sort(), ['A', 'A', 'A', 'B'])
  t.ok(written.every((l) => l.text.split(' ').length <= 3))
})
