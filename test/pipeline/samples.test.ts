import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { Reader } from '../../src/reading/reader.js'
import { samplesDir, skipUnlessPresent } from '../helpers/data.js'
import { charBoxes, layoutShape, lettersPerLine, textShape, wordsPerLine } from '../helpers/layout.js'

/** Photos whose word counts are judged; 02_letters is a grid of single characters with no words. */
const WORD_JUDGED = ['01_list.jpg', '03_haiku.jpg', '04_deep.jpg']
const MIN_LETTER_LINES = 0.95
const MIN_WORD_LINES = 0.9

const skip = skipUnlessPresent(samplesDir)
// Letters are found by reading: the segmentation is the search's (context off: the same segmentation).
const reader = new Reader()
t.teardown(() => reader.close())
const read = async (image: Uint8Array) => reader.recognize(image, { context: false })
t.test('the real sample photos, one configuration', { skip }, async (t) => {
  const truth: Record<string, string[]> = JSON.parse(readFileSync(join(samplesDir, 'truth.json'), 'utf8'))
  const literal: Record<string, string[]> = JSON.parse(readFileSync(join(samplesDir, 'truth_literal.json'), 'utf8'))
  let letterLines = 0,
    letterHits = 0,
    wordLines = 0,
    wordHits = 0
  for (const [file, lines] of Object.entries(truth)) {
    const page = await read(readFileSync(join(samplesDir, file)))
    const shape = layoutShape(page)
    t.equal(shape.length, lines.length, `${file}: number of lines`)
    const got = lettersPerLine(shape),
      want = lettersPerLine(lines.map(textShape))
    want.forEach((n, i) => {
      letterLines++
      if (got[i] === n) letterHits++
    })
    if (WORD_JUDGED.includes(file)) {
      const gotWords = wordsPerLine(shape),
        wantWords = wordsPerLine(lines)
      wantWords.forEach((n, i) => {
        wordLines++
        if (gotWords[i] === n) wordHits++
      })
    }
    // Periods after list numbers are found as periods, not dropped and not letters.
    t.same(shape, literal[file].map(textShape), `${file}: letters, periods and words of every line`)
  }
  t.ok(letterHits / letterLines >= MIN_LETTER_LINES, `letters per line right on ${letterHits}/${letterLines} lines`)
  t.ok(wordHits / wordLines >= MIN_WORD_LINES, `words per line right on ${wordHits}/${wordLines} lines`)
})

t.test('resolution independence: a 0.5 MP copy gives the same boxes up to scale', { skip }, async (t) => {
  const sharp = (await import('sharp')).default
  const original = readFileSync(join(samplesDir, '04_deep.jpg'))
  const meta = await sharp(original).metadata()
  const factor = Math.sqrt(500_000 / (meta.width * meta.height))
  const small = await sharp(original)
    .resize(Math.round(meta.width * factor))
    .jpeg({ quality: 90 })
    .toBuffer()
  const [big, little] = [await read(original), await read(small)]
  t.same(layoutShape(little), layoutShape(big))
  const scale = big.image.width / little.image.width
  const bigBoxes = charBoxes(big)
  const littleBoxes = charBoxes(little)
  const worst = Math.max(
    ...bigBoxes.map((b, i) => {
      const s = littleBoxes[i]
      return Math.max(
        Math.abs(b.x - s.x * scale),
        Math.abs(b.y - s.y * scale),
        Math.abs(b.width - s.width * scale),
        Math.abs(b.height - s.height * scale),
      )
    }),
  )
  // Within a few original pixels (the small copy's pixel is ~5 original pixels).
  t.ok(worst <= 3 * scale, `largest box difference ${worst.toFixed(1)} px of the original`)
})
