import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { addCounts, characterAccuracy, compareTexts, wordAccuracy, type AccuracyCounts } from '../../src/evaluation/metrics.js'
import { repoRoot, samplesDir, skipUnlessPresent } from '../helpers/data.js'
import { checkOcrResponse } from '../helpers/result.js'
import { postImage, startServer } from '../helpers/server.js'

/** Acceptance bars on the real photos, read through HTTP. */
const MIN_CHARACTER_ACCURACY = 0.97
const MIN_WORD_ACCURACY = 0.9

const server = await startServer({ WORKERS: '2' })
t.teardown(() => server.stop())

async function readAll(t: Test, dir: string): Promise<AccuracyCounts> {
  const truth: Record<string, string[]> = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'))
  let total: AccuracyCounts = { characters: 0, characterErrors: 0, words: 0, wordsFound: 0 }
  const answers = await Promise.all(
    Object.keys(truth).map((file) =>
      postImage(server.url, readFileSync(join(dir, file)), file.endsWith('.png') ? 'image/png' : 'image/jpeg'),
    ),
  )
  Object.entries(truth).forEach(([file, lines], i) => {
    const { status, body } = answers[i]
    t.equal(status, 200, `${file} answered 200`)
    checkOcrResponse(t, body, 3)
    const counts = compareTexts(body.text, lines.join('\n'))
    t.comment(`${file}: characters ${(characterAccuracy(counts) * 100).toFixed(1)} %, words ${(wordAccuracy(counts) * 100).toFixed(1)} %`)
    total = addCounts(total, counts)
  })
  return total
}

t.test('the four real photos through POST /ocr on a real server', { skip: skipUnlessPresent(samplesDir) }, async (t) => {
  const total = await readAll(t, samplesDir)
  t.ok(characterAccuracy(total) >= MIN_CHARACTER_ACCURACY, `character accuracy ${(characterAccuracy(total) * 100).toFixed(1)} % ≥ 97 %`)
  t.ok(wordAccuracy(total) >= MIN_WORD_ACCURACY, `word accuracy ${(wordAccuracy(total) * 100).toFixed(1)} % ≥ 90 %`)
})

t.test("the project's fixtures through POST /ocr", async (t) => {
  const total = await readAll(t, join(repoRoot, 'fixtures', 'notes'))
  t.ok(characterAccuracy(total) >= MIN_CHARACTER_ACCURACY, `character accuracy ${(characterAccuracy(total) * 100).toFixed(1)} %`)
  t.ok(wordAccuracy(total) >= MIN_WORD_ACCURACY, `word accuracy ${(wordAccuracy(total) * 100).toFixed(1)} %`)
})

t.test('every format through the worker pool (the upload is moved to a worker, the picture still drawn)', async (t) => {
  const photo = readFileSync(join(repoRoot, 'fixtures', 'notes', '10_wifi.jpg'))
  // The text format is the JSON reading's text (how well the photo reads is the sets' test above).
  const json = await postImage(server.url, photo, 'image/jpeg')
  t.equal(json.status, 200)
  t.match(json.body.text, /PASSWORD\nBLUE HOUSE 77\nGUEST NETWORK 2/)
  const text = await postImage(server.url, photo, 'image/jpeg', '?format=text')
  t.equal(text.status, 200)
  t.equal(text.body, `${json.body.text}\n`)
  const png = await fetch(`${server.url}/ocr?format=png`, { method: 'POST', body: photo, headers: { 'content-type': 'image/jpeg' } })
  t.equal(png.status, 200)
  t.equal(png.headers.get('content-type'), 'image/png')
  const { default: sharp } = await import('sharp')
  const meta = await sharp(Buffer.from(await png.arrayBuffer())).metadata()
  t.same([meta.width, meta.height], [1920, 1080])
})
