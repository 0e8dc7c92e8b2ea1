import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { buildApp } from '../../src/server/app.js'
import { DEFAULT_MODEL } from '../../src/classifier/registry.js'
import { InProcessService } from '../helpers/in-process-service.js'
import type { OcrResult } from '../../src/reading/result.js'
import { problemSchema } from '../../src/server/problem.js'
import type { ReadingService } from '../../src/server/service.js'
import { repoRoot } from '../helpers/data.js'
import { pngHeaderBomb } from '../helpers/png-bomb.js'
import { checkOcrResponse } from '../helpers/result.js'

const notes = join(repoRoot, 'fixtures', 'notes')
const SIGN = readFileSync(join(notes, '09_sign.png'))
const SIGN_TEXT = JSON.parse(readFileSync(join(notes, 'truth.json'), 'utf8'))['09_sign.png'].join('\n')
const PHOTO = readFileSync(join(notes, '10_wifi.jpg'))
const BODY_LIMIT = 2 * 1024 * 1024

const reading = new InProcessService()
const app = await buildApp({ config: { bodyLimitBytes: BODY_LIMIT, trustProxy: false, logLevel: 'silent' }, reading, logger: false })
await reading.warmUp()
t.teardown(async () => {
  await app.close()
  await reading.close()
})

function multipart(parts: Array<{ name: string; filename?: string; type?: string; data: Buffer | string }>): {
  payload: Buffer
  headers: Record<string, string>
} {
  const boundary = '----scrawl-test-boundary'
  const chunks: Buffer[] = []
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}`
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`))
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data))
    chunks.push(Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

/** Asserts a problem+json answer with this status, and returns its body. */
function expectProblem(
  t: Test,
  response: { statusCode: number; headers: Record<string, unknown>; json: () => unknown },
  status: number,
): Record<string, unknown> {
  t.equal(response.statusCode, status, `status ${status}`)
  t.match(String(response.headers['content-type']), /^application\/problem\+json/)
  const body = response.json() as Record<string, unknown>
  t.ok(problemSchema.safeParse(body).success, `problem body: ${JSON.stringify(body)}`)
  t.equal(body.status, status)
  t.notMatch(JSON.stringify(body), /at .*\.(ts|js):\d+/, 'no stack trace')
  return body
}

t.test('POST /ocr with a raw PNG body reads the note, with every field right', async (t) => {
  const response = await app.inject({ method: 'POST', url: '/ocr', payload: SIGN, headers: { 'content-type': 'image/png' } })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  const body = response.json()
  checkOcrResponse(t, body, 3)
  t.equal(body.text, SIGN_TEXT)
  t.same(body.image, { width: 1400, height: 700 })
  t.equal(body.model.name, DEFAULT_MODEL)
  t.match(body.model.version, /^[0-9a-f]{12}$/)
  for (const stage of ['decode', 'background', 'threshold', 'components', 'classify', 'context'])
    t.type(body.timingsMs[stage], 'number', `timing of ${stage}`)
  t.ok(response.headers['x-request-id'], 'a request id is returned')
})

t.test('multipart upload in the "image" field gives the same reading', async (t) => {
  const form = multipart([
    { name: 'note', data: 'a text field is ignored' },
    { name: 'image', filename: 'wifi.jpg', type: 'image/jpeg', data: PHOTO },
  ])
  const viaForm = await app.inject({ method: 'POST', url: '/ocr', ...form })
  const viaBody = await app.inject({ method: 'POST', url: '/ocr', payload: PHOTO, headers: { 'content-type': 'image/jpeg' } })
  t.equal(viaForm.statusCode, 200)
  t.equal(viaForm.json().text, viaBody.json().text)
  checkOcrResponse(t, viaForm.json(), 3)
})

t.test('query options: alternatives, context switch, model', async (t) => {
  const none = (
    await app.inject({ method: 'POST', url: '/ocr?alternatives=0', payload: SIGN, headers: { 'content-type': 'image/png' } })
  ).json()
  checkOcrResponse(t, none, 0)
  const five = (
    await app.inject({ method: 'POST', url: '/ocr?alternatives=5&context=false', payload: SIGN, headers: { 'content-type': 'image/png' } })
  ).json()
  checkOcrResponse(t, five, 5)
  // Without context every character is the classifier's first choice.
  const raw = five.lines.flatMap((l: any) => l.words.flatMap((w: any) => w.chars)).filter((c: any) => c.text !== '.')
  t.ok(
    raw.every((c: any) => c.text === c.alternatives[0].text),
    'context=false keeps the raw reading',
  )
  const mlp = await app.inject({ method: 'POST', url: '/ocr?model=mlp', payload: SIGN, headers: { 'content-type': 'image/png' } })
  t.equal(mlp.statusCode, 200)
  t.equal(mlp.json().model.name, 'mlp')
})

t.test('bad queries are 400 problems naming the field', async (t) => {
  for (const [query, field] of [
    ['alternatives=abc', 'alternatives'],
    ['alternatives=99', 'alternatives'],
    ['model=nope', 'model'],
    ['context=maybe', 'context'],
    ['colour=red', 'colour'],
  ] as const) {
    const body = expectProblem(
      t,
      await app.inject({ method: 'POST', url: `/ocr?${query}`, payload: SIGN, headers: { 'content-type': 'image/png' } }),
      400,
    )
    t.match(String(body.detail), field, `${query} names ${field}`)
    t.equal(body.type, 'urn:scrawl:problem:invalid-query')
  }
})

t.test('bad bodies are clear 4xx problems', async (t) => {
  expectProblem(
    t,
    await app.inject({ method: 'POST', url: '/ocr', payload: Buffer.alloc(0), headers: { 'content-type': 'image/jpeg' } }),
    400,
  )
  expectProblem(t, await app.inject({ method: 'POST', url: '/ocr' }), 400)
  const garbage = expectProblem(
    t,
    await app.inject({
      method: 'POST',
      url: '/ocr',
      payload: Buffer.from('definitely not a picture'),
      headers: { 'content-type': 'image/png' },
    }),
    400,
  )
  t.equal(garbage.type, 'urn:scrawl:problem:unreadable-image')
  expectProblem(
    t,
    await app.inject({ method: 'POST', url: '/ocr', payload: PHOTO.subarray(0, 2000), headers: { 'content-type': 'image/jpeg' } }),
    400,
  )
  expectProblem(t, await app.inject({ method: 'POST', url: '/ocr', payload: 'hello', headers: { 'content-type': 'text/plain' } }), 415)
  expectProblem(
    t,
    await app.inject({ method: 'POST', url: '/ocr', payload: Buffer.alloc(BODY_LIMIT + 1), headers: { 'content-type': 'image/jpeg' } }),
    413,
  )
  const bomb = expectProblem(
    t,
    await app.inject({ method: 'POST', url: '/ocr', payload: pngHeaderBomb(40_000, 40_000), headers: { 'content-type': 'image/png' } }),
    413,
  )
  t.equal(bomb.type, 'urn:scrawl:problem:image-too-large')
})

t.test('multipart without the field, or with two files, is a 400', async (t) => {
  expectProblem(t, await app.inject({ method: 'POST', url: '/ocr', ...multipart([{ name: 'note', data: 'no file' }]) }), 400)
  expectProblem(
    t,
    await app.inject({
      method: 'POST',
      url: '/ocr',
      ...multipart([{ name: 'photo', filename: 'a.jpg', type: 'image/jpeg', data: PHOTO }]),
    }),
    400,
  )
  const two = expectProblem(
    t,
    await app.inject({
      method: 'POST',
      url: '/ocr',
      ...multipart([
        { name: 'image', filename: 'a.jpg', type: 'image/jpeg', data: PHOTO },
        { name: 'image', filename: 'b.jpg', type: 'image/jpeg', data: PHOTO },
      ]),
    }),
    400,
  )
  t.match(String(two.detail), /exactly one/)
})

t.test('health, readiness, metrics, OpenAPI, docs, unknown routes', async (t) => {
  t.same((await app.inject('/healthz')).json(), { status: 'ok' })
  const ready = await app.inject('/readyz')
  t.equal(ready.statusCode, 200)
  t.equal(ready.json().status, 'ready')
  const metrics = await app.inject('/metrics')
  t.equal(metrics.statusCode, 200)
  t.match(metrics.body, /scrawl_http_requests_total\{route="\/ocr",method="POST",status="200"\} \d+/)
  t.match(metrics.body, /scrawl_stage_duration_seconds_bucket\{le="[^"]+",stage="classify"\}/)
  t.match(metrics.body, /scrawl_images_read_total \d+/)
  t.match(metrics.body, /scrawl_characters_read_total \d+/)
  t.match(metrics.body, /scrawl_queue_depth 0/)
  const openapi = (await app.inject('/openapi.json')).json()
  t.equal(openapi.openapi, '3.1.0')
  t.same(
    openapi.paths['/ocr'].post.parameters.map((p: { name: string }) => p.name),
    ['model', 'alternatives', 'context', 'format'],
  )
  t.ok(openapi.components.schemas.OcrResult.properties.lines)
  const docs = await app.inject('/docs/')
  t.equal(docs.statusCode, 200)
  t.match(docs.body, /swagger/i)
  expectProblem(t, await app.inject('/nowhere'), 404)
})

t.test('the request id is taken from X-Request-Id when sane, else generated', async (t) => {
  t.equal((await app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } })).headers['x-request-id'], 'abc-123')
  const replaced = (await app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id with spaces' } })).headers['x-request-id']
  t.match(String(replaced), /^[0-9a-f-]{36}$/)
})

t.test('an answer that does not match the result schema is a failure, not a silent drift', async (t) => {
  const drifted = {
    text: 'HI',
    lines: [],
    image: { width: 10, height: 10 },
    model: { name: 'cnn', version: 'x' },
    timingsMs: {},
    confidence: 'high',
  }
  const missing = { text: 'HI', image: { width: 10, height: 10 }, model: { name: 'cnn', version: 'x' }, timingsMs: {} }
  for (const body of [drifted, missing]) {
    const service: ReadingService = {
      read: async () => ({
        rendered: { format: 'json', contentType: 'application/json; charset=utf-8', body: body as OcrResult },
        summary: { characters: 0, timingsMs: {} },
      }),
      warmUp: async () => {},
      ready: true,
      load: () => ({ queued: 0, running: 0, saturated: false, workers: 1 }),
      close: async () => {},
    }
    const fake = await buildApp({
      config: { bodyLimitBytes: BODY_LIMIT, trustProxy: false, logLevel: 'silent' },
      reading: service,
      logger: false,
    })
    const response = await fake.inject({ method: 'POST', url: '/ocr', payload: SIGN, headers: { 'content-type': 'image/png' } })
    // A field added without its schema, or one gone, fails the request (and so every test that reads).
    expectProblem(t, response, 500)
    await fake.close()
  }
})
