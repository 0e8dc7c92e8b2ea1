import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { repoRoot } from '../helpers/data.js'
import { seededRandom } from '../helpers/images.js'
import { pngHeaderBomb } from '../helpers/png-bomb.js'
import { startServer } from '../helpers/server.js'
import { ocrResultSchema } from '../../src/reading/result.js'

/** One generated bad input: a body, its content type, and what it is. */
interface BadInput {
  readonly name: string
  readonly body: Uint8Array
  readonly contentType: string
}

const JPEG = readFileSync(join(repoRoot, 'fixtures', 'notes', '10_wifi.jpg'))
const PNG = readFileSync(join(repoRoot, 'fixtures', 'notes', '09_sign.png'))
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/tiff', 'image/gif', 'application/octet-stream']
/**
 * A bound on RSS growth over the fuzz run: catches a leak per input, not allocator high-water
 * marks (uploads are gathered into buffers reserved at their announced size, and a worker stuck
 * in a pixel bomb is replaced by a fresh one, which loads every model session again: three
 * classifiers and two rejectors since the mixed-case rejector). Measured growth on the 2-CPU CI
 * machine: 296–389 MB with four sessions a worker, 402–489 MB with five; 649–730 MB since the
 * sheet is told from the desk by colour (stop 22), because the bit-flipped JPEGs are blocks of
 * coloured garbage whose sheet now comes out smaller: on 40 such flips of this JPEG the finder
 * hands the reader 3,086 candidates instead of 1,979, and more of them are read again at the
 * larger working size for small writing (their peaks, not a leak: without the colour step the
 * same run grows 477–489 MB). A leak per input would grow by about 201 times its size. That RSS
 * stays flat over 300 ordinary requests is `hostile-inputs.test.ts`'s check.
 */
const MAX_RSS_GROWTH = 1024 * 1024 * 1024
const PARALLEL = 4

function generateInputs(): BadInput[] {
  const random = seededRandom(2026)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]
  const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => Math.floor(random() * 256))
  const inputs: BadInput[] = []
  for (let i = 0; i < 40; i++)
    inputs.push({ name: `random bytes ${i}`, body: bytes(1 + Math.floor(random() * 65_536)), contentType: pick(IMAGE_TYPES) })
  for (let i = 0; i < 40; i++)
    inputs.push({
      name: `truncated JPEG ${i}`,
      body: JPEG.subarray(0, Math.floor(random() * (JPEG.length - 1))),
      contentType: 'image/jpeg',
    })
  for (let i = 0; i < 20; i++)
    inputs.push({ name: `truncated PNG ${i}`, body: PNG.subarray(0, Math.floor(random() * (PNG.length - 1))), contentType: 'image/png' })
  // Bit flips in the JPEG's entropy-coded scan (after the SOS marker) and anywhere in the PNG.
  const scanStart = JPEG.indexOf(Buffer.from([0xff, 0xda])) + 16
  for (let i = 0; i < 40; i++) {
    const body = Uint8Array.from(JPEG)
    for (let k = 0; k < 32; k++) body[scanStart + Math.floor(random() * (body.length - scanStart - 2))] ^= 1 << Math.floor(random() * 8)
    inputs.push({ name: `bit-flipped JPEG ${i}`, body, contentType: 'image/jpeg' })
  }
  for (let i = 0; i < 20; i++) {
    const body = Uint8Array.from(PNG)
    for (let k = 0; k < 8; k++) body[8 + Math.floor(random() * (body.length - 8))] ^= 1 << Math.floor(random() * 8)
    inputs.push({ name: `bit-flipped PNG ${i}`, body, contentType: 'image/png' })
  }
  for (const type of IMAGE_TYPES) inputs.push({ name: `zero bytes as ${type}`, body: new Uint8Array(0), contentType: type })
  inputs.push({ name: '40 000 × 40 000 PNG header bomb', body: pngHeaderBomb(40_000, 40_000), contentType: 'image/png' })
  inputs.push({ name: '100 000 × 1 PNG header', body: pngHeaderBomb(100_000, 1_000), contentType: 'image/png' })
  for (const type of [
    'text/plain',
    'application/json',
    'application/xml',
    'application/x-www-form-urlencoded',
    'video/mp4',
    'image/svg+xml',
  ]) {
    inputs.push({ name: `JPEG sent as ${type}`, body: JPEG, contentType: type })
  }
  const boundary = 'fuzz-boundary'
  const form = (parts: Array<[string, string | undefined, Uint8Array]>): Uint8Array =>
    Buffer.concat([
      ...parts.flatMap(([field, filename, data]) => [
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${field}"${filename ? `; filename="${filename}"` : ''}\r\n\r\n`,
        ),
        Buffer.from(data),
        Buffer.from('\r\n'),
      ]),
      Buffer.from(`--${boundary}--\r\n`),
    ])
  const multipartType = `multipart/form-data; boundary=${boundary}`
  inputs.push({
    name: 'multipart without the image field',
    body: form([['note', undefined, Buffer.from('hello')]]),
    contentType: multipartType,
  })
  inputs.push({ name: 'multipart with the file in another field', body: form([['photo', 'a.jpg', JPEG]]), contentType: multipartType })
  inputs.push({
    name: 'multipart with two files',
    body: form([
      ['image', 'a.jpg', JPEG],
      ['image', 'b.jpg', JPEG],
    ]),
    contentType: multipartType,
  })
  inputs.push({
    name: 'multipart with random bytes as the image',
    body: form([['image', 'x.jpg', bytes(5000)]]),
    contentType: multipartType,
  })
  inputs.push({ name: 'multipart with an empty image', body: form([['image', 'x.jpg', new Uint8Array(0)]]), contentType: multipartType })
  inputs.push({ name: 'multipart cut short', body: form([['image', 'a.jpg', JPEG]]).subarray(0, 3000), contentType: multipartType })
  inputs.push({ name: 'multipart without a boundary', body: JPEG, contentType: 'multipart/form-data' })
  for (let i = 0; i < 20; i++)
    inputs.push({ name: `random multipart ${i}`, body: bytes(1 + Math.floor(random() * 4096)), contentType: multipartType })
  return inputs
}

t.test('every bad input gets a 4xx problem, the server stays up and does not grow', async (t) => {
  const server = await startServer({ WORKERS: '2', LOG_LEVEL: 'warn', BODY_LIMIT_BYTES: String(4 * 1024 * 1024) })
  t.teardown(() => server.stop())
  const inputs = generateInputs()
  t.ok(inputs.length >= 200, `${inputs.length} inputs`)
  // Read one good photo first, so that what loads on first use (the lexicon, buffers) is in the baseline.
  await (await fetch(`${server.url}/ocr`, { method: 'POST', body: JPEG, headers: { 'content-type': 'image/jpeg' } })).arrayBuffer()
  const rssBefore = server.rss()
  const wrong: string[] = []
  let undetectableFlips = 0
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < inputs.length) {
      const input = inputs[next++]
      const response = await fetch(`${server.url}/ocr`, {
        method: 'POST',
        body: input.body as Uint8Array<ArrayBuffer>,
        headers: { 'content-type': input.contentType },
      })
      const text = await response.text()
      let problem: { status?: number; type?: string; title?: string; detail?: string } = {}
      try {
        problem = JSON.parse(text)
      } catch {
        /* reported below */
      }
      const isProblem =
        (response.headers.get('content-type') ?? '').startsWith('application/problem+json') &&
        problem.status === response.status &&
        typeof problem.type === 'string' &&
        typeof problem.title === 'string' &&
        typeof problem.detail === 'string'
      // JPEG has no checksum: a flip the decoder cannot notice is a different but valid picture,
      // which is read like any other. Everything else must be refused.
      if (input.name.startsWith('bit-flipped JPEG') && response.status === 200 && ocrResultSchema.safeParse(JSON.parse(text)).success) {
        undetectableFlips++
        continue
      }
      if (response.status < 400 || response.status >= 500 || !isProblem)
        wrong.push(`${input.name}: ${response.status} ${text.slice(0, 160)}`)
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, worker))
  t.same(wrong, [], 'every answer is a 4xx application/problem+json (or a valid reading of a JPEG whose flips decode)')
  t.comment(`${undetectableFlips} of 40 bit-flipped JPEGs still decoded and were read`)
  const health = await fetch(`${server.url}/healthz`)
  t.equal(health.status, 200, '/healthz still answers')
  const photo = await fetch(`${server.url}/ocr`, { method: 'POST', body: JPEG, headers: { 'content-type': 'image/jpeg' } })
  t.equal(photo.status, 200, 'and a good photo is still read')
  const growth = server.rss() - rssBefore
  t.ok(growth < MAX_RSS_GROWTH, `RSS grew by ${(growth / 1024 / 1024).toFixed(0)} MB`)
})
