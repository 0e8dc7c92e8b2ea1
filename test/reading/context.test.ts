import t from 'tap'
import { foldCase, readWord, wordKind, type CharCandidates } from '../../src/reading/context.js'
import { bestLexiconMatch, createLexicon, loadEnglishLexicon } from '../../src/reading/lexicon.js'
import { compareTexts, characterAccuracy, editDistance, wordAccuracy } from '../../src/evaluation/metrics.js'

/** A character whose candidates are given as 'A:0.7 B:0.2'. */
const ch = (spec: string): CharCandidates => ({
  candidates: spec.split(' ').map((p) => {
    const [text, c] = p.split(':')
    return { text, confidence: Number(c) }
  }),
})
const OPTIONS = { swapLookalikes: true, swapTopK: 3, lexiconMinLength: 3, lexiconPriorOdds: 20 }

t.test('look-alikes follow the word around them', async (t) => {
  // "T0" in a word of letters: 0 becomes O because O is among its candidates.
  t.same(readWord([ch('T:0.9'), ch('0:0.6 O:0.3 D:0.1')], OPTIONS).chars, ['T', 'O'])
  // Inside a number, O becomes 0.
  t.same(readWord([ch('2:0.9'), ch('O:0.5 0:0.4'), ch('4:0.9')], OPTIONS).chars, ['2', '0', '4'])
  // No swap when the wanted letter is not a candidate.
  t.same(readWord([ch('T:0.9'), ch('0:0.9 D:0.1')], OPTIONS).chars, ['T', '0'])
  // A single character has no context; a period is kept as it is.
  t.same(readWord([ch('0:0.6 O:0.4')], OPTIONS).chars, ['0'])
  t.same(readWord([ch('1:0.8 I:0.2'), { candidates: [], fixed: '.' }], OPTIONS).chars, ['1', '.'])
  t.same(readWord([ch('T:0.9'), ch('0:0.6 O:0.3')], { ...OPTIONS, swapLookalikes: false }).chars, ['T', '0'], 'switch off')
})

t.test('word kinds', async (t) => {
  t.equal(wordKind(['T', '0']), 'letters')
  t.equal(wordKind(['2', 'O', '4']), 'number')
  t.equal(wordKind(['1', '0']), 'number')
  t.equal(wordKind(['Q', '4']), 'mixed')
})

t.test("the lexicon corrects through the classifier's own candidates, only when far more probable", async (t) => {
  const lexicon = createLexicon(['list', 'lint', 'first'])
  const options = { ...OPTIONS, lexicon }
  // "LIST" read as "LIJT", with S as J's second candidate.
  const lijt = [ch('L:0.9'), ch('I:0.9'), ch('J:0.5 S:0.4'), ch('T:0.9')]
  t.same(readWord(lijt, options), { chars: ['L', 'I', 'S', 'T'], corrected: 'lexicon' })
  // When the dictionary spelling is far less probable than the reading, the reading stays.
  const clear = [ch('L:0.9'), ch('I:0.9'), ch('J:0.999 S:0.001'), ch('T:0.9')]
  t.same(readWord(clear, options).chars, ['L', 'I', 'J', 'T'])
  // Words already in the lexicon and short words are left alone.
  t.same(readWord([ch('L:0.6 F:0.4'), ch('I:0.9'), ch('N:0.9'), ch('T:0.9')], options).chars, ['L', 'I', 'N', 'T'])
  t.same(bestLexiconMatch([[{ text: 'F', confidence: 0.6 }], [{ text: 'Q', confidence: 1 }]], lexicon), undefined)
})

t.test('the lexicon spells letters in either case, and a letter put in takes the case it replaces', async (t) => {
  const lexicon = createLexicon(['sentence', 'lint'])
  const options = { ...OPTIONS, lexicon }
  // "senfence": the t's evidence is its two cases together (0.03 + 0.03 against f's 0.3 + 0.1).
  const senfence = 's:0.7 S:0.2,e:0.9,n:0.9,f:0.3 F:0.1 t:0.03 T:0.03,e:0.9,n:0.9,c:0.5 C:0.4,e:0.9'.split(',').map(ch)
  t.same(readWord(senfence, options), { chars: [...'sentence'], corrected: 'lexicon' })
  const capital = [ch('S:0.7 s:0.2'), ...senfence.slice(1)]
  t.same(readWord(capital, options, ['S', ...'enfence']).chars, [...'Sentence'])
  // A letter the classifier holds strongly is kept: f at 0.4 against t at 0.004.
  const clear = [...senfence.slice(0, 3), ch('f:0.3 F:0.1 t:0.002 T:0.002'), ...senfence.slice(4)]
  t.same(readWord(clear, options).chars, [...'senfence'])
  // A word in the lexicon in any case is left alone.
  t.same(readWord([ch('L:0.6 f:0.4'), ch('i:0.9'), ch('n:0.9'), ch('t:0.9')], options).chars, ['L', 'i', 'n', 't'])
})

t.test('foldCase takes the two cases of a letter together', async (t) => {
  t.same(foldCase(ch('f:0.3 *:0.2 F:0.1 t:0.05').candidates), [
    { text: 'F', confidence: 0.4 },
    { text: '*', confidence: 0.2 },
    { text: 'T', confidence: 0.05 },
  ])
})

t.test("the English lexicon is SCOWL's common words", async (t) => {
  const english = loadEnglishLexicon()
  t.ok(english.size > 50_000, `${english.size} words`)
  for (const w of ['LEARNING', 'REFRIGERATOR', 'SOMETIMES', 'YOURSELF']) t.ok(english.has(w), w)
  t.notOk(english.has('LIJT'))
  t.equal(loadEnglishLexicon(), english, 'loaded once')
})

t.test('metrics: edit distance, character and word accuracy', async (t) => {
  t.equal(editDistance('KITTEN', 'SITTING'), 3)
  t.equal(editDistance('', 'ABC'), 3)
  t.equal(editDistance('ABC', 'ABC'), 0)
  const counts = compareTexts('T0 DO LIST\n1. MAKE', 'TO DO LIST\n1 MAKE')
  t.equal(counts.characters, 13)
  t.equal(counts.characterErrors, 1)
  t.equal(counts.words, 5)
  t.equal(counts.wordsFound, 4, 'T0 is not TO; "1." is 1')
  t.equal(characterAccuracy(counts), 12 / 13)
  t.equal(wordAccuracy(counts), 0.8)
  t.equal(characterAccuracy(compareTexts('', '')), 1)
  t.equal(characterAccuracy(compareTexts('XXXXXXXX', 'AB')), 0, 'accuracy does not go below 0')
})
