import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import t, { type Test } from 'tap'
import { buildApp } from '../../src/server/app.js'
import { problemSchema } from '../../src/server/problem.js'
import { repoRoot } from '../helpers/data.js'
import { whitePng } from '../helpers/png-bomb.js'
import { StubReading } from '../helpers/raw-http.js'
import { postImage, startServer } from '../helpers/server.js'

/**
 * Uploads refused before any decoding: extreme shapes (413 naming the limit), wrong methods (405),
 * too many form fields (400), HEIC (415). The HTTP layer alone, with a recognition stub that would
 * answer 200 to anything that reached it; then the running server for the 1 × 50,000,000 PNG.
 */

const PHOTO = readFileSync(join(repoRoot, 'fixtures', 'notes', '10_wifi.jpg'))
/** 2400 × 800: three times as wide as high. */
const STRIP = readFileSync(join(repoRoot, 'fixtures', 'notes', '04_phone.jpg'))
/** 1 × 50,000,000 white pixels: exactly at the pixel limit, about 100 KB, ~24 s for libvips to decode. */
const NEEDLE = whitePng(1, 50_000_000)

const reading = new StubReading()
const app = await buildApp({
  config: { bodyLimitBytes: 2 * 1024 * 1024, trustProxy: false, logLevel: 'silent', maxImageSide: 20_000, maxAspectRatio: 10 },
  reading,
  logger: false,
})
t.teardown(() => app.close())

function expectProblem(
  t: Test,
  response: { statusCode: number; headers: Record<string, unknown>; json: () => unknown },
  status: number,
  type: string,
): Record<string, unknown> {
  t.equal(response.statusCode, status, `status ${status}`)
  t.match(String(response.headers['content-type']), /^application\/problem\+json/)
  const body = response.json() as Record<string, unknown>
  t.ok(problemSchema.safeParse(body).success, `problem body: ${JSON.stringify(body)}`)
  t.equal(body.type, `urn:scrawl:problem:${type}`)
  return body
}

t.test('extreme shapes are 413 problems naming the limit, before any decoding', async (t) => {
  const before = reading.seen.length
  const needle = expectProblem(
    t,
    await app.inject({ method: 'POST', url: '/ocr', payload: NEEDLE, headers: { 'content-type': 'image/png' } }),
    413,
    'image-too-large',
  )
  t.equal(needle.limit, 'MAX_IMAGE_SIDE')
  t.match(String(needle.detail), /50000000/)
  t.match(String(needle.detail), /20000/)
  // The picture format draws on the main thread: the same refusal comes before it.
  const drawn = expectProblem(
    t,
    await app.inject({
      method: 'POST',
      url: '/ocr?format=png',
      payload: whitePng(50_000_000, 1),
      headers: { 'content-type': 'image/png' },
    }),
    413,
    'image-too-large',
  )
  t.equal(drawn.limit, 'MAX_IMAGE_SIDE', '50,000,000 × 1 with format=png')
  const wide = expectProblem(
    t,
    await app.inject({ method: 'POST', url: '/ocr', payload: whitePng(11_000, 1_000), headers: { 'content-type': 'image/png' } }),
    413,
    'image-too-large',
  )
  t.equal(wide.limit, 'MAX_ASPECT_RATIO')
  t.match(String(wide.detail), /11(\.0)?:1|11 to 1|11 times/)
  const tall = expectProblem(
    t,
    await app.inject({ method: 'POST', url: '/ocr', payload: whitePng(3, 40), headers: { 'content-type': 'image/png' } }),
    413,
    'image-too-large',
  )
  t.equal(tall.limit, 'MAX_ASPECT_RATIO', 'a small image of an extreme shape too')
  t.equal(reading.seen.length, before, 'none of them reached recognition')
  const fine = await app.inject({ method: 'POST', url: '/ocr', payload: whitePng(1_000, 100), headers: { 'content-type': 'image/png' } })
  t.equal(fine.statusCode, 200, 'a 10:1 strip is within the limits')
})

t.test('wrong methods on /ocr are 405 with Allow: POST', async (t) => {
  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'] as const) {
    const response = await app.inject({ method, url: '/ocr' })
    t.equal(response.statusCode, 405, `${method}: 405`)
    t.equal(response.headers.allow, 'POST', `${method}: Allow: POST`)
    if (method !== 'HEAD') expectProblem(t, response, 405, 'method-not-allowed')
  }
  t.equal((await app.inject({ method: 'GET', url: '/nowhere' })).statusCode, 404, 'unknown paths stay 404')
})

t.test('more than 10 multipart fields is a 400 that says so; so is more than one file', async (t) => {
  const boundary = 'refusals-boundary'
  const form = (parts: Array<[string, string | undefined, Buffer]>): Buffer =>
    Buffer.concat([
      ...parts.flatMap(([field, filename, data]) => [
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${field}"${filename ? `; filename="${filename}"` : ''}\r\n\r\n`,
        ),
        data,
        Buffer.from('\r\n'),
      ]),
      Buffer.from(`--${boundary}--\r\n`),
    ])
  const headers = { 'content-type': `multipart/form-data; boundary=${boundary}` }
  const fields = Array.from({ length: 11 }, (_, i): [string, undefined, Buffer] => [`note${i}`, undefined, Buffer.from('x')])
  const many = expectProblem(
    t,
    await app.inject({ method: 'POST', url: '/ocr', headers, payload: form([...fields, ['image', 'a.jpg', PHOTO]]) }),
    400,
    'invalid-request',
  )
  t.match(String(many.detail), /10 (form )?fields/)
  const tenFields = fields.slice(0, 10)
  t.equal(
    (await app.inject({ method: 'POST', url: '/ocr', headers, payload: form([...tenFields, ['image', 'a.jpg', PHOTO]]) })).statusCode,
    200,
    '10 fields are fine',
  )
  const files = expectProblem(
    t,
    await app.inject({
      method: 'POST',
      url: '/ocr',
      headers,
      payload: form([
        ['image', 'a.jpg', PHOTO],
        ['image', 'b.jpg', PHOTO],
        ['image', 'c.jpg', PHOTO],
      ]),
    }),
    400,
    'invalid-request',
  )
  t.match(String(files.detail), /one file/)
})

/** A HEIC photo's container: an AVIF written by sharp, relabelled with the HEIC brands and an HEVC item. */
async function heicLike(itemType: 'hvc1' | 'av01'): Promise<Buffer> {
  const avif = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#fff' } })
    .avif()
    .toBuffer()
  const text = avif.toString('latin1').replaceAll('avif', 'heic').replaceAll('av01', itemType)
  return Buffer.from(text, 'latin1')
}

t.test('HEIC/HEIF uploads are 415 naming the supported formats; AVIF is still read', async (t) => {
  for (const [name, body] of [
    ['HEIC with an HEVC item', await heicLike('hvc1')],
    ['HEIC brand on an AV1 item', await heicLike('av01')],
    ['a bare HEIC header', Buffer.concat([Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 'latin1'), Buffer.alloc(500, 7)])],
    ['a HEIF (mif1) header', Buffer.concat([Buffer.from('\0\0\0\x14ftypmif1\0\0\0\0mif1', 'latin1'), Buffer.alloc(500, 7)])],
  ] as const) {
    const problem = expectProblem(
      t,
      await app.inject({ method: 'POST', url: '/ocr', payload: body, headers: { 'content-type': 'application/octet-stream' } }),
      415,
      'unsupported-media-type',
    )
    t.match(String(problem.detail), /HEIC/, `${name}: names the format`)
    t.match(String(problem.detail), /JPEG, PNG, WebP/, `${name}: lists the supported ones`)
  }
  const avif = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#fff' } })
    .avif()
    .toBuffer()
  t.equal(
    (await app.inject({ method: 'POST', url: '/ocr', payload: avif, headers: { 'content-type': 'application/octet-stream' } })).statusCode,
    200,
    'AVIF (also mif1) is not refused',
  )
})

t.test('the running server refuses a 1 × 50,000,000 PNG at once and keeps its worker free', async (t) => {
  // One worker: were the PNG decoded, the photo beside it would wait the ~24 s the decode takes.
  const server = await startServer({ WORKERS: '1', LOG_LEVEL: 'warn', MAX_ASPECT_RATIO: '2' })
  t.teardown(() => server.stop())
  const [needle, photo] = await Promise.all([postImage(server.url, NEEDLE, 'image/png'), postImage(server.url, PHOTO)])
  t.equal(needle.status, 413)
  t.equal(needle.body.type, 'urn:scrawl:problem:image-too-large')
  t.equal(needle.body.limit, 'MAX_IMAGE_SIDE')
  t.equal(photo.status, 200, 'a 16:9 photo sent beside it is read')
  const refused = await postImage(server.url, STRIP)
  t.equal(refused.status, 413, 'MAX_ASPECT_RATIO reaches the server: a 3:1 strip is over 2:1')
  t.equal(refused.body.limit, 'MAX_ASPECT_RATIO')
})
