import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import t from 'tap'
import { Recognizer } from '../src/recognize.js'
import { repoRoot } from './helpers/data.js'
import { seededRandom } from './helpers/images.js'
import { checkOcrResponse } from './helpers/result.js'

const recognizer = new Recognizer()
t.teardown(() => recognizer.close())
const SIGN = readFileSync(join(repoRoot, 'fixtures', 'notes', '09_sign.png'))

t.test('pages with no writing read as empty, whatever fills them', async (t) => {
  const random = seededRandom(11)
  const noise = Buffer.from(Array.from({ length: 600 * 400 * 3 }, () => (random() < 0.5 ? 0 : 255)))
  const pages = {
    white: await sharp({ create: { width: 800, height: 600, channels: 3, background: '#fff' } }).png().toBuffer(),
    black: await sharp({ create: { width: 800, height: 600, channels: 3, background: '#000' } }).png().toBuffer(),
    'one pixel': await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } }).png().toBuffer(),
    'salt and pepper': await sharp(noise, { raw: { width: 600, height: 400, channels: 3 } }).png().toBuffer(),
  }
  for (const [name, image] of Object.entries(pages)) {
    const result = await recognizer.recognize(image)
    t.equal(result.text, '', name)
    t.same(result.lines, [], name)
  }
})

t.test('an EXIF-rotated upload reads the same, with boxes in the upright picture', async (t) => {
  // Store the sign turned 90° anticlockwise with orientation 6 ("rotate 90° clockwise to view").
  const stored = await sharp(SIGN).flatten({ background: '#fff' }).rotate(-90).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer()
  const [upright, rotated] = await Promise.all([recognizer.recognize(SIGN), recognizer.recognize(stored)])
  t.same(rotated.image, upright.image, 'reported in the upright size')
  t.equal(rotated.text, upright.text)
  checkOcrResponse(t, rotated, 3)
  const first = (r: typeof upright) => r.lines[0].words[0].chars[0].box
  t.ok(Math.abs(first(rotated).x - first(upright).x) <= 4 && Math.abs(first(rotated).y - first(upright).y) <= 4, 'the first letter is in the same place')
})

t.test('options: alternatives are capped, unknown models are refused', async (t) => {
  const many = await recognizer.recognize(SIGN, { alternatives: 50 })
  t.equal(many.lines[0].words[0].chars[0].alternatives.length, 10)
  await t.rejects(recognizer.recognize(SIGN, { model: 'nope' }), RangeError)
})
