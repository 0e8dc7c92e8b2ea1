/**
 * Measures the character language model (src/reading/language-model.ts): the time the first
 * reading of a process pays to load it (the shipped counts, and the fallback of counting the
 * training text), and with `--sweep` bits per character of orders and discounts on held-out words,
 * phrases and codes (never on the photos' transcriptions; see bench/lib/language-model-eval.ts).
 *
 *   npx tsx bench/language-model.ts [--sweep]
 *
 * Times are wall and CPU milliseconds (CPU time is steadier on a shared machine).
 */
import { PIPELINE_CONFIG } from '../src/pipeline/config.js'
import { countNGrams, createCharLanguageModel } from '../src/reading/language-model.js'
import { loadCharLanguageModel } from '../src/reading/language-model-file.js'
import { languageModelTrainingText, loadLeveledWords } from '../src/reading/note-text.js'
import { bitsPerChar, heldOutSets, heldOutTrainingText } from './lib/language-model-eval.js'

const config = PIPELINE_CONFIG.languageModel
const cpuMs = (): number => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}
const timed = <T>(name: string, run: () => T): T => {
  const wall = performance.now(),
    cpu = cpuMs()
  const result = run()
  console.log(`${name}: ${(performance.now() - wall).toFixed(0)} ms wall, ${(cpuMs() - cpu).toFixed(0)} ms CPU`)
  return result
}

const model = timed('first loadCharLanguageModel() (models/charlm.counts.gz)', () => loadCharLanguageModel())
const sets = heldOutSets(config)
const phrases = sets['held-out phrases'].slice(0, 200)
timed(`lineLogProb of ${phrases.length} held-out phrases, most states met for the first time`, () => {
  for (const line of phrases) model.lineLogProb(line)
})
const states = new Set<string>()
for (const line of phrases) for (let i = 0; i <= line.length; i++) states.add(model.stateOf(line.slice(0, i)))
console.log(`  (${states.size} distinct states, ${phrases.reduce((n, l) => n + l.length + 1, 0)} symbols)`)
timed('the same again, every state known', () => {
  for (const line of phrases) model.lineLogProb(line)
})
timed('fallback, step 1: word list', () => loadLeveledWords())
const text = timed('fallback, step 2: training text', () => languageModelTrainingText(config))
timed('fallback, step 3: counting', () => countNGrams(text, config.order))

if (process.argv.includes('--sweep')) {
  const names = ['held-out words', 'held-out phrases', 'held-out numbers and codes']
  console.log(`\n| order | discount | ${names.join(' | ')} | n-grams |\n|---:|---:|${names.map(() => '---:|').join('')}---:|`)
  for (const order of [3, 4, 5]) {
    const ngrams = countNGrams(heldOutTrainingText({ ...config, order }), order)
    for (const discount of [0.5, 0.65, 0.8, 0.9]) {
      const m = createCharLanguageModel(ngrams, discount)
      const cells = names.map((name) => bitsPerChar(m, sets[name]).toFixed(3))
      console.log(`| ${order} | ${discount} | ${cells.join(' | ')} | ${m.ngramCounts.reduce((a, b) => a + b, 0)} |`)
    }
  }
}
