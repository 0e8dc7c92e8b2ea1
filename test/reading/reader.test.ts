import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import t from 'tap'
import { ZodError } from 'zod'
import { DEFAULT_ALTERNATIVES, MAX_ALTERNATIVES } from '../../src/reading/options.js'
import { Reader } from '../../src/reading/reader.js'
import { repoRoot } from '../helpers/data.js'
import { seededRandom } from '../helpers/images.js'
import { checkOcrResponse } from '../helpers/result.js'

const reader = new Reader()
t.teardown(() => reader.close())
const SIGN = readFileSync(join(repoRoot, 'fixtures', 'notes', '09_sign.png'))

t.test('pages with no writing read as empty, whatever fills them', async (t) => {
  const random = seededRandom(11)
  const noise = Buffer.from(Array.from({ length: 600 * 400 * 3 }, () => (random() < 0.5 ? 0 : 255)))
  const pages = {
    white: await sharp({ create: { width: 800, height: 600, channels: 3, background: '#fff' } })
      .png()
      .toBuffer(),
    black: await sharp({ create: { width: 800, height: 600, channels: 3, background: '#000' } })
      .png()
      .toBuffer(),
    'one pixel': await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
      .png()
      .toBuffer(),
    'salt and pepper': await sharp(noise, { raw: { width: 600, height: 400, channels: 3 } })
      .png()
      .toBuffer(),
  }
  for (const [name, image] of Object.entries(pages)) {
    const result = await reader.recognize(image)
    t.equal(result.text, '', name)
    t.same(result.lines, [], name)
  }
})

t.test('an EXIF-rotated upload reads the same, with boxes in the upright picture', async (t) => {
  // Store the sign turned 90° anticlockwise with orientation 6 ("rotate 90° clockwise to view").
  const stored = await sharp(SIGN)
    .flatten({ background: '#fff' })
    .rotate(-90)
    .jpeg({ quality: 95 })
    .withMetadata({ orientation: 6 })
    .toBuffer()
  const [upright, rotated] = await Promise.all([reader.recognize(SIGN), reader.recognize(stored)])
  t.same(rotated.image, upright.image, 'reported in the upright size')
  t.equal(rotated.text, upright.text)
  checkOcrResponse(t, rotated, 3)
  const first = (r: typeof upright) => r.lines[0].words[0].chars[0].box
  t.ok(
    Math.abs(first(rotated).x - first(upright).x) <= 4 && Math.abs(first(rotated).y - first(upright).y) <= 4,
    'the first letter is in the same place',
  )
})

t.test('options: the limits and defaults of the one declaration hold in the library too', async (t) => {
  const most = await reader.recognize(SIGN, { alternatives: MAX_ALTERNATIVES })
  t.equal(most.lines[0].words[0].chars[0].alternatives.length, MAX_ALTERNATIVES)
  const plain = await reader.recognize(SIGN)
  t.equal(plain.lines[0].words[0].chars[0].alternatives.length, DEFAULT_ALTERNATIVES)
  await t.rejects(reader.recognize(SIGN, { alternatives: MAX_ALTERNATIVES + 1 }), ZodError, 'more than the limit is refused, not capped')
  await t.rejects(reader.recognize(SIGN, { model: 'nope' }), ZodError, 'an unknown model is refused')
})

t.test('a cancelled reading stops at its next safe point with what the cancellation threw', async (t) => {
  const controller = new AbortController()
  controller.abort(new Error('stop here'))
  await t.rejects(reader.recognize(SIGN, {}, controller.signal), /stop here/)
  let checks = 0
  const counting = {
    throwIfAborted: () => {
      checks++
    },
  }
  await reader.render(SIGN, { format: 'text' }, counting)
  t.ok(checks >= 4, `checked between the stages (${checks} times)`)
})

t.test("context off keeps the segmentation the search chose, with the classifier's own top readings", async (t) => {
  const [on, off] = [await reader.recognize(SIGN), await reader.recognize(SIGN, { context: false })]
  const boxes = (r: typeof on) => r.lines.flatMap((l) => l.words.flatMap((w) => w.chars.map((c) => c.box)))
  t.same(boxes(off), boxes(on), 'the same characters in the same places')
  for (const c of off.lines.flatMap((l) => l.words.flatMap((w) => w.chars))) {
    if (c.text !== '.') t.equal(c.text, c.alternatives[0]?.text, `"${c.text}" is the classifier's top reading`)
  }
})

t.test('model=mixed (the default) reads block capitals as capitals, its readings over the 81 mixed-case classes', async (t) => {
  const phone = readFileSync(join(repoRoot, 'fixtures', 'notes', '04_phone.jpg'))
  const result = await reader.recognize(phone, { model: 'mixed' })
  t.equal(result.model.name, 'mixed')
  t.equal(result.text, 'CALL BOB BACK\n555 867 5309')
  const cnn = await reader.recognize(phone, { model: 'cnn' })
  t.not(result.model.version, cnn.model.version, 'the pair has a version of its own')
  checkOcrResponse(t, result, 3)
})
