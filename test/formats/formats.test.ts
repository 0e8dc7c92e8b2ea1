import { DOMParser, type Document, type Element } from '@xmldom/xmldom'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import t, { type Test } from 'tap'
import { renderAnnotated } from '../../src/formats/png.js'
import type { OcrResult } from '../../src/reading/result.js'
import { buildApp } from '../../src/server/app.js'
import { toHocr } from '../../src/formats/hocr.js'
import { toPlainText } from '../../src/formats/text.js'
import { InProcessService } from '../helpers/in-process-service.js'
import { repoRoot } from '../helpers/data.js'

const notes = join(repoRoot, 'fixtures', 'notes')
const truth: Record<string, string[]> = JSON.parse(readFileSync(join(notes, 'truth.json'), 'utf8'))
const SIGN = readFileSync(join(notes, '09_sign.png'))
const SIGN_TEXT = truth['09_sign.png'].join('\n')
const PHOTO = readFileSync(join(notes, '10_wifi.jpg'))
const XHTML_NAMESPACE = 'http://www.w3.org/1999/xhtml'

const reading = new InProcessService()
const app = await buildApp({ config: { bodyLimitBytes: 20 * 1024 * 1024, trustProxy: false, logLevel: 'silent' }, reading, logger: false })
await reading.warmUp()
t.teardown(async () => {
  await app.close()
  await reading.close()
})

const post = (image: Buffer, contentType: string, query = '') =>
  app.inject({ method: 'POST', url: `/ocr${query}`, payload: image, headers: { 'content-type': contentType } })

/** Parses XML strictly: any warning or error of the parser fails, so "parsed" means well-formed. */
function parseXml(xml: string): Document {
  const parser = new DOMParser({
    onError: (level, message) => {
      throw new Error(`XML ${level}: ${message}`)
    },
  })
  return parser.parseFromString(xml, 'application/xhtml+xml')
}

/** Elements carrying an hOCR class, in document order. */
function byClass(root: Document | Element, hocrClass: string): Element[] {
  return Array.from(root.getElementsByTagName('*')).filter((e) => (e.getAttribute('class') ?? '').split(/\s+/).includes(hocrClass))
}

/** The hOCR `title` properties of an element (`bbox 1 2 3 4; x_wconf 90` → { bbox: '1 2 3 4', x_wconf: '90' }). */
function properties(element: Element): Record<string, string> {
  return Object.fromEntries(
    (element.getAttribute('title') ?? '')
      .split(';')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => {
        const space = p.indexOf(' ')
        return [p.slice(0, space), p.slice(space + 1)]
      }),
  )
}

const corners = (b: { x: number; y: number; width: number; height: number }): string => `${b.x} ${b.y} ${b.x + b.width} ${b.y + b.height}`
const meta = (document: Document, name: string): string | null =>
  Array.from(document.getElementsByTagName('meta'))
    .find((m) => m.getAttribute('name') === name)
    ?.getAttribute('content') ?? null

/** Checks an hOCR document against the JSON reading of the same image: every line, word and char, with boxes and confidences. */
function checkHocrMatchesJson(t: Test, document: Document, json: OcrResult): void {
  t.equal(document.documentElement?.namespaceURI, XHTML_NAMESPACE, 'an XHTML document')
  t.match(meta(document, 'ocr-system'), /^scrawl \d+\.\d+\.\d+/, 'names the OCR system')
  const capabilities = (meta(document, 'ocr-capabilities') ?? '').split(/\s+/)
  for (const c of ['ocr_page', 'ocr_line', 'ocrx_word', 'ocrx_cinfo']) t.ok(capabilities.includes(c), `announces ${c}`)
  const pages = byClass(document, 'ocr_page')
  t.equal(pages.length, 1, 'one page')
  t.equal(properties(pages[0]).bbox, `0 0 ${json.image.width} ${json.image.height}`, 'the page box is the image')
  const lines = byClass(document, 'ocr_line')
  t.equal(lines.length, json.lines.length, 'a line per JSON line')
  const problems: string[] = []
  json.lines.forEach((line, l) => {
    const hocrLine = lines[l]
    if (properties(hocrLine).bbox !== corners(line.box)) problems.push(`line ${l} bbox`)
    const words = byClass(hocrLine, 'ocrx_word')
    if (words.length !== line.words.length) problems.push(`line ${l}: ${words.length} words, JSON has ${line.words.length}`)
    line.words.forEach((word, w) => {
      const hocrWord = words[w]
      if (!hocrWord) return
      const p = properties(hocrWord)
      if (hocrWord.textContent !== word.text) problems.push(`word ${l}.${w} reads ${hocrWord.textContent}, JSON ${word.text}`)
      if (p.bbox !== corners(word.box)) problems.push(`word ${l}.${w} bbox ${p.bbox}`)
      if (!/^\d{1,3}$/.test(p.x_wconf) || Number(p.x_wconf) > 100 || Number(p.x_wconf) !== Math.round(word.confidence * 100))
        problems.push(`word ${l}.${w} x_wconf ${p.x_wconf}`)
      const chars = byClass(hocrWord, 'ocrx_cinfo')
      if (chars.length !== word.chars.length) problems.push(`word ${l}.${w}: ${chars.length} chars`)
      word.chars.forEach((char, c) => {
        const cinfo = chars[c]
        if (!cinfo) return
        const cp = properties(cinfo)
        if (cinfo.textContent !== char.text) problems.push(`char ${l}.${w}.${c} text`)
        if (cp.x_bboxes !== corners(char.box)) problems.push(`char ${l}.${w}.${c} x_bboxes ${cp.x_bboxes}`)
        if (Math.abs(Number(cp.x_conf) - char.confidence * 100) > 0.01) problems.push(`char ${l}.${w}.${c} x_conf ${cp.x_conf}`)
      })
    })
    // hOCR tools take a line's text from its content: the words, separated by whitespace.
    if ((hocrLine.textContent ?? '').trim().split(/\s+/).join(' ') !== line.text) problems.push(`line ${l} text`)
  })
  t.same(problems, [], 'lines, words and chars match the JSON: text, boxes (exclusive right/bottom), confidences')
}

t.test('format=text answers the text alone as text/plain', async (t) => {
  const response = await post(SIGN, 'image/png', '?format=text')
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-type'], 'text/plain; charset=utf-8')
  t.equal(response.body, `${SIGN_TEXT}\n`, 'the lines, ending with a newline')
  t.equal(toPlainText({ text: '' }), '', 'nothing read is an empty body, not a lone newline')
})

t.test('JSON stays the default; format=json is the same answer', async (t) => {
  const plain = await post(SIGN, 'image/png')
  const json = await post(SIGN, 'image/png', '?format=json')
  for (const response of [plain, json]) {
    t.equal(response.statusCode, 200)
    t.match(response.headers['content-type'], /^application\/json/)
  }
  t.equal(json.json().text, plain.json().text)
  t.same(json.json().lines, plain.json().lines)
})

t.test('format=hocr is well-formed hOCR 1.2 whose lines, words and chars match the JSON', async (t) => {
  for (const [name, image, type] of [
    ['09_sign.png', SIGN, 'image/png'],
    ['10_wifi.jpg', PHOTO, 'image/jpeg'],
  ] as const) {
    await t.test(name, async (t) => {
      const response = await post(image, type, '?format=hocr&alternatives=1')
      t.equal(response.statusCode, 200)
      t.equal(response.headers['content-type'], 'text/vnd.hocr+html; charset=utf-8')
      t.match(response.body, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<!DOCTYPE html/, 'an XML declaration and the XHTML doctype')
      const document = parseXml(response.body)
      const json = (await post(image, type, '?alternatives=1')).json<OcrResult>()
      checkHocrMatchesJson(t, document, json)
    })
  }
})

t.test('hOCR escapes what XML needs escaped and survives odd readings', async (t) => {
  const box = (x: number, y: number, width: number, height: number) => ({ x, y, width, height })
  const nasty: OcrResult = {
    text: '<&> "\'\u0001é',
    lines: [
      {
        text: '<&> "\'\u0001é',
        confidence: 0.5,
        box: box(0, 0, 100, 20),
        words: [
          {
            text: '<&>',
            confidence: 1,
            box: box(0, 0, 30, 20),
            chars: ['<', '&', '>'].map((c, i) => ({ text: c, confidence: 1, box: box(i * 10, 0, 9, 20), alternatives: [] })),
          },
          {
            text: '"\'\u0001é',
            confidence: 0.004,
            box: box(40, 0, 60, 20),
            chars: ['"', "'", '\u0001', 'é'].map((c, i) => ({
              text: c,
              confidence: 0.004,
              box: box(40 + i * 15, 0, 14, 20),
              alternatives: [],
            })),
          },
        ],
      },
    ],
    image: { width: 100, height: 20 },
    model: { name: 'cnn"<&>', version: 'abc' },
    timingsMs: {},
  }
  const document = parseXml(toHocr(nasty, { system: 'scrawl 0.0.0' }))
  const words = byClass(document, 'ocrx_word')
  t.same(
    words.map((w) => w.textContent),
    ['<&>', '"\'é'],
    'markup characters come back as text; a control character XML cannot hold is dropped',
  )
  t.same(
    words.map((w) => properties(w).x_wconf),
    ['100', '0'],
    'x_wconf is a whole percentage',
  )
  t.same(
    words.map((w) => properties(w).bbox),
    ['0 0 30 20', '40 0 100 20'],
    'bbox right and bottom are exclusive',
  )
  t.equal(meta(document, 'ocr-system'), 'scrawl 0.0.0 (model cnn"<&> abc)', 'attribute values are escaped too')

  const empty = parseXml(toHocr({ ...nasty, text: '', lines: [] }, { system: 'scrawl 0.0.0' }))
  t.equal(byClass(empty, 'ocr_page').length, 1, 'a note with no writing is still a page')
  t.equal(byClass(empty, 'ocr_line').length, 0)
})

t.test("format=png answers the picture with the reading's boxes drawn", async (t) => {
  const response = await post(SIGN, 'image/png', '?format=png')
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-type'], 'image/png')
  const picture = await sharp(response.rawPayload).raw().toBuffer({ resolveWithObject: true })
  t.same([picture.info.width, picture.info.height], [1400, 700], 'the size of the upload')
  const json = (await post(SIGN, 'image/png')).json<OcrResult>()
  const expected = await sharp(await renderAnnotated(SIGN, json.lines, 1400 * 700))
    .raw()
    .toBuffer()
  t.ok(picture.data.equals(expected), 'the boxes of this reading, drawn as `scrawl --boxes` draws them')
  const bare = await sharp(SIGN).flatten({ background: '#ffffff' }).raw().toBuffer()
  t.notOk(picture.data.equals(bare), 'something is drawn over the upload')
})

t.test('bad formats and bad images are still problem+json, whatever the format', async (t) => {
  const bad = await post(SIGN, 'image/png', '?format=xml')
  t.equal(bad.statusCode, 400)
  t.match(bad.headers['content-type'], /^application\/problem\+json/)
  t.match(bad.json().detail, /format/)
  for (const format of ['text', 'hocr', 'png']) {
    const garbage = await post(Buffer.from('not a picture'), 'image/png', `?format=${format}`)
    t.equal(garbage.statusCode, 400, `${format}: 400`)
    t.match(garbage.headers['content-type'], /^application\/problem\+json/, `${format}: a problem`)
    t.equal(garbage.json().type, 'urn:scrawl:problem:unreadable-image')
  }
})

t.test('the OpenAPI document names the format parameter and each media type', async (t) => {
  const openapi = (await app.inject('/openapi.json')).json()
  const post = openapi.paths['/ocr'].post
  const format = post.parameters.find((p: { name: string }) => p.name === 'format')
  t.same(format.schema.enum, ['json', 'text', 'hocr', 'png'])
  t.equal(format.schema.default, 'json')
  t.same(Object.keys(post.responses[200].content).sort(), ['application/json', 'image/png', 'text/plain', 'text/vnd.hocr+html'])
})
