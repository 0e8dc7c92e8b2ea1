/**
 * Held-out text for measuring the character language model, shared by bench/train-language-model.ts
 * (the figures in the model card) and bench/language-model.ts (the sweep of orders and discounts).
 */
import { existsSync, readFileSync } from 'node:fs'
import type { CharLanguageModel } from '../../src/reading/language-model.js'
import {
  generateNoteLines,
  languageModelTrainingText,
  loadLeveledWords,
  normalizeNoteText,
  type LanguageModelConfig,
  type WeightedLine,
} from '../../src/reading/note-text.js'

/** FNV-1a of a word modulo 10: every word whose value is 0 is held out, the same on every run. */
export function isHeldOutWord(word: string): boolean {
  let h = 0x811c9dc5
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193) >>> 0
  return h % 10 === 0
}

/** The training text of a model measured on held-out words: the shipped text without them. */
export function heldOutTrainingText(config: LanguageModelConfig): WeightedLine[] {
  return languageModelTrainingText(config, { keepWord: (w) => !isHeldOutWord(w) })
}

/** Lines of upper-case text from a truth file ({ image: lines[] }), or none when the file is absent. */
function transcriptions(path: string): string[] {
  if (!existsSync(path)) return []
  return Object.values(JSON.parse(readFileSync(path, 'utf8')) as Record<string, string[]>)
    .flat()
    .map(normalizeNoteText)
    .filter((l) => l)
}

/**
 * The held-out sets, by name: held-out words one a line; phrases of held-out words only (no
 * common words); generated
 * numbers and codes from another seed; and the transcriptions of the dev and sample photos (a
 * measurement only: never training text, never tuned on).
 */
export function heldOutSets(config: LanguageModelConfig): Record<string, readonly string[]> {
  const heldOut = loadLeveledWords().filter(({ word }) => isHeldOutWord(word))
  const none = { commonWordShare: 0, runLines: 0, phraseLines: 0, numberLines: 0, dateLines: 0, timeLines: 0, priceLines: 0 }
  const noneMore = { ...none, phoneLines: 0, postcodeLines: 0, listLines: 0 }
  const codes = generateNoteLines({ ...config, phraseLines: 0, listLines: 0, runLines: 0, seed: config.seed + 1000 }, [
    { text: 'WORD', weight: 1 },
  ]).map((l) => l.text)
  const phrases = generateNoteLines(
    { ...noneMore, phraseLines: 2000, phraseMaxWords: config.phraseMaxWords, seed: config.seed + 2000 },
    heldOut.map(({ word, level }) => ({ text: word, weight: level <= 20 ? 4 : 1 })),
  ).map((l) => l.text)
  return {
    'held-out words': heldOut.map(({ word }) => word),
    'held-out phrases': phrases,
    'held-out numbers and codes': codes.filter((line) => /\d/.test(line)),
    'dev/upper.json': transcriptions('../shared/data/dev/upper.json'),
    'samples/truth.json': transcriptions('../shared/data/samples/truth.json'),
  }
}

/** Bits per predicted symbol (every character and each line's end). */
export function bitsPerChar(model: CharLanguageModel, lines: readonly string[]): number {
  let nats = 0,
    count = 0
  for (const line of lines) {
    nats -= model.lineLogProb(line)
    count += line.length + 1
  }
  return nats / count / Math.LN2
}
