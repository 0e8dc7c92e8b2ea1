import { createServer, type Server } from 'node:http'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import t from 'tap'
import { repoRoot } from '../helpers/data.js'
import { rawExchange } from '../helpers/raw-http.js'
import { startServer, type RunningServer } from '../helpers/server.js'

/**
 * What already held against the adversarial probe of issue 11, kept as tests on the running
 * server: SVG uploads fetch nothing (http, file, XInclude, CSS @import), XXE and entity bombs are
 * 400, the static files cannot be left by traversal, hostile request ids are replaced, and
 * memory stays flat over 300 sequential mixed-format requests.
 */

const notes = join(repoRoot, 'fixtures', 'notes')
/** A note whose words would show in a reading if an SVG managed to embed it from disk. */
const PHOTO_PATH = join(notes, '01_shopping.jpg')
const PHOTO_WORDS = /SHOPPING|COFFEE|APPLES/

let server: RunningServer
/** A loopback HTTP server that counts every request made to it: an SVG must never reach it. */
let bait: Server
const baitRequests: string[] = []
let baitUrl = ''

t.before(async () => {
  bait = createServer((request, response) => {
    baitRequests.push(`${request.method} ${request.url}`)
    response.writeHead(200, { 'content-type': request.url?.endsWith('.css') ? 'text/css' : 'image/jpeg' })
    response.end(request.url?.endsWith('.css') ? 'svg { background: black }' : readFileSync(PHOTO_PATH))
  })
  await new Promise<void>((resolve) => bait.listen(0, '127.0.0.1', resolve))
  const address = bait.address()
  baitUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  server = await startServer({ WORKERS: '1', LOG_LEVEL: 'warn' })
})
t.teardown(async () => {
  await server?.stop()
  await new Promise((resolve) => bait?.close(resolve))
})

async function post(
  body: string | Uint8Array,
  contentType = 'application/octet-stream',
  query = '',
): Promise<{ status: number; contentType: string; text: string }> {
  const response = await fetch(`${server.url}/ocr${query}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : (body as Uint8Array<ArrayBuffer>),
    headers: { 'content-type': contentType },
  })
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() }
}

const svg = (inner: string, prologue = ''): string =>
  `<?xml version="1.0"?>${prologue}<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ` +
  `xmlns:xi="http://www.w3.org/2001/XInclude" width="800" height="400"><rect width="800" height="400" fill="white"/>${inner}</svg>`

t.test('SVG uploads fetch nothing: http and file hrefs, XInclude, CSS @import', async (t) => {
  const cases: Record<string, string> = {
    'image href over http': svg(`<image href="${baitUrl}/photo.jpg" width="800" height="400"/>`),
    'xlink:href over http': svg(`<image xlink:href="${baitUrl}/xlink.jpg" width="800" height="400"/>`),
    'image href to a file': svg(`<image href="file://${PHOTO_PATH}" width="800" height="400"/>`),
    'xlink:href to a file': svg(`<image xlink:href="file://${PHOTO_PATH}" width="800" height="400"/>`),
    'XInclude over http': svg(`<xi:include href="${baitUrl}/include.svg" parse="xml"/>`),
    'XInclude of a file as text': svg(`<text x="10" y="50" font-size="40"><xi:include href="file:///etc/hostname" parse="text"/></text>`),
    'CSS @import over http': svg(`<style>@import url("${baitUrl}/style.css");</style>`),
    'CSS url() over http': svg(`<style>rect { fill: url("${baitUrl}/fill.svg#p") }</style>`),
    'a <use> of a remote element': svg(`<use href="${baitUrl}/sprite.svg#letter"/>`),
    'an external DTD': svg('', `<!DOCTYPE svg SYSTEM "${baitUrl}/svg.dtd">`),
  }
  for (const [name, body] of Object.entries(cases)) {
    const answer = await post(body)
    t.ok(answer.status === 200 || (answer.status >= 400 && answer.status < 500), `${name}: answered ${answer.status}`)
    if (answer.status !== 200) t.match(answer.contentType, /^application\/problem\+json/, `${name}: a problem`)
    t.notMatch(answer.text, PHOTO_WORDS, `${name}: nothing of the file on disk was read`)
  }
  t.same(baitRequests, [], 'the loopback server received no request')
})

t.test('XXE and entity bombs are 400 problems', async (t) => {
  const xxeFile = svg('<text x="10" y="50">&xxe;</text>', '<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
  const xxeHttp = svg('<text x="10" y="50">&xxe;</text>', `<!DOCTYPE svg [<!ENTITY xxe SYSTEM "${baitUrl}/xxe">]>`)
  const levels = Array.from({ length: 10 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('')
  const laughs = svg('<text x="10" y="50">&l10;</text>', `<!DOCTYPE svg [<!ENTITY l0 "lol">${levels}]>`)
  const quadratic = svg(`<text x="10" y="50">${'&big;'.repeat(20_000)}</text>`, `<!DOCTYPE svg [<!ENTITY big "${'x'.repeat(50_000)}">]>`)
  for (const [name, body] of Object.entries({
    'XXE of a file': xxeFile,
    'XXE over http': xxeHttp,
    'billion laughs': laughs,
    'quadratic blow-up': quadratic,
  })) {
    const answer = await post(body)
    t.equal(answer.status, 400, `${name}: 400`)
    t.match(answer.contentType, /^application\/problem\+json/)
    t.match(answer.text, /"type":"urn:scrawl:problem:unreadable-image"/)
    t.notMatch(answer.text, /root:/, `${name}: no file content in the answer`)
  }
  t.same(baitRequests, [], 'the loopback server received no request')
  t.equal((await fetch(`${server.url}/healthz`)).status, 200, 'the server is still up')
})

t.test('the static files cannot be left by traversal', async (t) => {
  const port = Number(new URL(server.url).port)
  for (const path of [
    '/../package.json',
    '/%2e%2e/package.json',
    '/..%2fpackage.json',
    '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/app.js/../../package.json',
    '/..\\package.json',
    '/%5c..%5cpackage.json',
    '//etc/passwd',
    '/.%2e/.%2e/etc/passwd',
    '/index.html%00.js',
  ]) {
    // Raw, so that no client normalises the path first.
    const answer = await rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)
    t.equal(answer.status, 404, `${path}: 404`)
    t.match(answer.headers['content-type'] ?? '', /^application\/problem\+json/, `${path}: a problem`)
    t.match(answer.body, /"type":"urn:scrawl:problem:not-found"/)
    t.notMatch(answer.body, /"name": "scrawl"|root:x:0/, `${path}: nothing outside public/`)
  }
})

t.test('hostile request ids are replaced, never echoed', async (t) => {
  const port = Number(new URL(server.url).port)
  const sane = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'client-42.a:b' } })
  t.equal(sane.headers.get('x-request-id'), 'client-42.a:b', 'a sane id is kept')
  for (const id of ['a'.repeat(129), 'abc%0d%0aSet-Cookie:%20x=1', 'id with spaces', 'idé', '<script>', '']) {
    const response = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': id } })
    t.match(response.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/, `${JSON.stringify(id.slice(0, 30))}: replaced by a UUID`)
    t.equal(response.headers.get('set-cookie'), null)
  }
  // CR or LF inside the value never reaches the app: the parser refuses the request as a problem.
  for (const id of ['abc\rSet-Cookie: x=1', 'abc\r\n Set-Cookie: x=1']) {
    const answer = await rawExchange(port, `GET /healthz HTTP/1.1\r\nHost: a\r\nX-Request-Id: ${id}\r\nConnection: close\r\n\r\n`)
    t.notOk(answer.headers['set-cookie'], `${JSON.stringify(id)}: no header injected`)
    t.not(answer.headers['x-request-id'], id, 'not echoed')
    if (answer.status !== 200)
      t.match(answer.headers['content-type'] ?? '', /^application\/problem\+json/, `${JSON.stringify(id)}: ${answer.status} problem`)
  }
})

t.test('300 sequential mixed-format requests hold RSS flat after warm-up', async (t) => {
  // Small copies of a note, so that 300 readings take little time; the formats' decoders still all run.
  const base = sharp(join(notes, '05_quote.jpg')).resize(400)
  const uploads: Array<{ body: Uint8Array; type: string; query: string }> = [
    { body: await base.clone().jpeg().toBuffer(), type: 'image/jpeg', query: '' },
    { body: await base.clone().png().toBuffer(), type: 'image/png', query: '?format=text' },
    { body: await base.clone().webp().toBuffer(), type: 'image/webp', query: '?format=hocr' },
    { body: await base.clone().tiff().toBuffer(), type: 'image/tiff', query: '' },
    { body: await base.clone().gif().toBuffer(), type: 'image/gif', query: '?alternatives=0' },
    { body: await base.clone().avif().toBuffer(), type: 'application/octet-stream', query: '' },
    { body: await sharp(join(notes, '09_sign.png')).resize(400).png().toBuffer(), type: 'image/png', query: '?format=png' },
    { body: Buffer.from('not an image at all'), type: 'image/jpeg', query: '' },
  ]
  const run = async (count: number): Promise<number[]> => {
    const statuses: number[] = []
    for (let i = 0; i < count; i++) {
      const upload = uploads[i % uploads.length]
      statuses.push((await post(upload.body, upload.type, upload.query)).status)
    }
    return statuses
  }
  await run(40)
  const warm = server.rss()
  const statuses = await run(300)
  const after = server.rss()
  const expected = statuses.map((_, i) => (i % uploads.length === uploads.length - 1 ? 400 : 200))
  t.same(statuses, expected, 'every image read, the non-image refused')
  const growth = after - warm
  t.comment(`RSS ${(warm / 2 ** 20).toFixed(0)} MiB after warm-up, ${(after / 2 ** 20).toFixed(0)} MiB after 300 more`)
  t.ok(growth < Math.max(0.25 * warm, 64 * 2 ** 20), `RSS grew by ${(growth / 2 ** 20).toFixed(0)} MiB (bound: 25 % or 64 MiB)`)
})
