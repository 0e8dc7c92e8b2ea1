/**
 * scrawl's reading metric without its upper-casing, for mixed-case sets: `compareTexts` of
 * `src/evaluation/metrics.ts` compares `hello` and `HELLO` as equal, this compares them as five errors.
 */
import { editDistance, type AccuracyCounts } from '../../src/evaluation/metrics.js'

/** Letters and digits of a text, case kept. */
const caseKeptCharacters = (text: string): string => text.replace(/[^A-Za-z0-9]/g, '')
/** The words of a text with punctuation removed, case kept. */
const caseKeptWords = (text: string): string[] =>
  text
    .split(/\s+/)
    .map((w) => caseKeptCharacters(w))
    .filter((w) => w.length > 0)

/**
 * {@link import('../../src/evaluation/metrics.js').compareTexts} with case counted: the same character edit
 * distance and word matching (each read word matches at most one true word), on the text as written.
 *
 * @param read the text read, lines joined by newlines
 * @param truth the true text
 */
export function compareTextsKeepingCase(read: string, truth: string): AccuracyCounts {
  const trueChars = caseKeptCharacters(truth)
  const characterErrors = Math.min(editDistance(caseKeptCharacters(read), trueChars), trueChars.length)
  const available = new Map<string, number>()
  for (const w of caseKeptWords(read)) available.set(w, (available.get(w) ?? 0) + 1)
  const trueWords = caseKeptWords(truth)
  let wordsFound = 0
  for (const w of trueWords) {
    const left = available.get(w) ?? 0
    if (left > 0) {
      wordsFound++
      available.set(w, left - 1)
    }
  }
  return { characters: trueChars.length, characterErrors, words: trueWords.length, wordsFound }
}
