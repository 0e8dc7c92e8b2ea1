/**
 * What a character of note text costs the search's language model, in nats: the model the reader
 * uses (the shipped counts, case-folded, marks charged by frequency) run over true text, its
 * spaces' and line ends' costs shared among the characters that are not spaces. The search adds
 * about this much to the model's log-probability of every character it reads
 * (`search.lmCharBonus`), so that the model weighs which characters a path reads and not how many.
 *
 *   npx tsx bench/character-cost.ts [TRUTH.json | PAGES_DIR/boxes.json]...
 *
 * Without arguments it measures the truths the project holds: the samples and dev sets in
 * `../shared/data`, the font fixtures, and the first 150 synthetic pages of each kind in `.cache`
 * where they have been made. A truth file maps an image to its lines; a synthetic `boxes.json`
 * maps a page to `{ lines: [{ text }] }`.
 */
import { existsSync, readFileSync } from 'node:fs'
import { PIPELINE_CONFIG } from '../src/pipeline/config.js'
import { loadCharLanguageModel } from '../src/reading/language-model-file.js'
import { caseFolded } from '../src/reading/case-folded-model.js'
import { LANGUAGE_MODEL_ALPHABET } from '../src/reading/note-text.js'

const SYNTHETIC_PAGES = 150
const DEFAULT_TRUTHS = [
  '../shared/data/samples/truth.json',
  '../shared/data/dev/upper.json',
  '../shared/data/dev/mixed.json',
  'fixtures/notes/truth.json',
  '.cache/synth/boxes.json',
  '.cache/synth-mixed-real/boxes.json',
]

const model = caseFolded(loadCharLanguageModel(PIPELINE_CONFIG.languageModel), LANGUAGE_MODEL_ALPHABET, PIPELINE_CONFIG.context)

/** The lines of a truth file or of a synthetic page set's boxes. */
function truthLines(path: string): string[] {
  const entries = Object.values(JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>)
  if (entries.every((e) => Array.isArray(e))) return (entries as string[][]).flat()
  return (entries as Array<{ lines: Array<{ text: string }> }>).slice(0, SYNTHETIC_PAGES).flatMap((page) => page.lines.map((l) => l.text))
}

/** Nats per character that is not a space, its share of the spaces and line ends included. */
function costPerCharacter(lines: readonly string[]): { characters: number; nats: number; natsWithoutBreaks: number } {
  let characters = 0
  let total = 0
  let breaks = 0
  for (const line of lines) {
    let state = model.initialState()
    for (const char of line) {
      const step = model.advance(state, char)
      state = step.state
      if (char === ' ') breaks -= step.logProb
      else {
        characters++
        total -= step.logProb
      }
    }
    breaks -= model.endLogProb(state)
  }
  return { characters, nats: (total + breaks) / characters, natsWithoutBreaks: total / characters }
}

const paths = process.argv.slice(2).length > 0 ? process.argv.slice(2) : DEFAULT_TRUTHS.filter((p) => existsSync(p))
let pooledCharacters = 0
let pooledNats = 0
for (const path of paths) {
  const { characters, nats, natsWithoutBreaks } = costPerCharacter(truthLines(path))
  pooledCharacters += characters
  pooledNats += nats * characters
  console.log(
    `${path}: ${characters} characters, ${nats.toFixed(2)} nats each (${natsWithoutBreaks.toFixed(2)} without spaces and line ends)`,
  )
}
console.log(`pooled: ${pooledCharacters} characters, ${(pooledNats / pooledCharacters).toFixed(2)} nats each`)
