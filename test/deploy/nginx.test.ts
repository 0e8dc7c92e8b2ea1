/**
 * deploy/nginx/scrawl.conf, rendered and run by Debian's nginx in front of small stand-in
 * upstreams (plain node HTTP servers that answer 200, 503 or drop the connection as told): what
 * the gateway does with request ids, body sizes, failing replicas and the bound on retries. The
 * real replicas behind it are exercised by bench/failover.ts.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { configSchema } from '../../src/server/config.js'
import { NGINX_BINARY, NGINX_TEMPLATE_PATH, renderNginxConf, skipUnlessNginx, startGateway, type RunningGateway } from '../helpers/nginx.js'

const skip = skipUnlessNginx()
const TEMPLATE = readFileSync(NGINX_TEMPLATE_PATH, 'utf8')
const defaults = configSchema.parse({})
const ENVSUBST = '/usr/bin/envsubst'
const skipEnvsubst = existsSync(ENVSUBST) ? false : `${ENVSUBST} is absent (gettext-base): skipping`

type Behaviour = 'ok' | 'busy' | 'drop'

/** A stand-in replica: records what it was sent, then answers as `behaviour` says. */
interface Upstream {
  readonly address: string
  readonly seen: { method: string; requestId: string; bodyBytes: number }[]
  close(): Promise<void>
}

async function startUpstream(behaviour: Behaviour): Promise<Upstream> {
  const seen: Upstream['seen'] = []
  const server: Server = createServer((request: IncomingMessage, response) => {
    let bodyBytes = 0
    request.on('data', (chunk: Buffer) => {
      bodyBytes += chunk.length
    })
    request.on('end', () => {
      const requestId = String(request.headers['x-request-id'] ?? '')
      seen.push({ method: request.method ?? '', requestId, bodyBytes })
      if (behaviour === 'drop') {
        request.socket.destroy()
        return
      }
      const status = behaviour === 'busy' ? 503 : 200
      const retryAfter = status === 503 ? { 'retry-after': '1' } : {}
      response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': requestId, ...retryAfter })
      response.end(JSON.stringify({ behaviour, bodyBytes }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (typeof address !== 'object' || !address) throw new Error('no address')
  return {
    address: `127.0.0.1:${address.port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Upstreams of the given behaviours behind a fresh gateway; both are stopped when `t` ends. */
async function gatewayOver(t: Test, behaviours: readonly Behaviour[]): Promise<{ gateway: RunningGateway; upstreams: Upstream[] }> {
  const upstreams = await Promise.all(behaviours.map(startUpstream))
  const gateway = await startGateway(upstreams.map((u) => u.address))
  t.teardown(async () => {
    await gateway.stop()
    await Promise.all(upstreams.map((u) => u.close()))
  })
  return { gateway, upstreams }
}

const post = (url: string, body: Uint8Array, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${url}/ocr`, { method: 'POST', body: body as Uint8Array<ArrayBuffer>, headers: { 'content-type': 'image/jpeg', ...headers } })

t.test('the template renders to a configuration nginx accepts', { skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'scrawl-nginx-t-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const rendered = renderNginxConf(TEMPLATE, '127.0.0.1:8080', ['127.0.0.1:3001', '127.0.0.1:3002'])
  t.notMatch(rendered, /SCRAWL_/, 'no placeholder left')
  t.match(rendered, /server 127\.0\.0\.1:3001; server 127\.0\.0\.1:3002;/)
  writeFileSync(join(dir, 'scrawl.conf'), rendered)
  writeFileSync(join(dir, 'nginx.conf'), `pid ${dir}/nginx.pid;\nevents {}\nhttp {\n  include ${dir}/scrawl.conf;\n}\n`)
  const args = ['-t', '-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')]
  const output = execFileSync(NGINX_BINARY, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  t.equal(typeof output, 'string', 'nginx -t passed')
})

t.test('envsubst limited to the SCRAWL_ names (as the nginx image runs it) renders the same', { skip: skipEnvsubst }, async (t) => {
  const servers = 'server 127.0.0.1:3001; server 127.0.0.1:3002;'
  // host and request_id set too: were envsubst not limited, nginx's $host and $request_id would be replaced.
  const env = { ...process.env, SCRAWL_LISTEN: '127.0.0.1:8080', SCRAWL_UPSTREAM_SERVERS: servers, host: 'x', request_id: 'x' }
  // The image passes every variable whose name matches NGINX_ENVSUBST_FILTER (compose.yaml: ^SCRAWL_).
  const names = Object.keys(env)
    .filter((name) => /^SCRAWL_/.test(name))
    .map((name) => `\${${name}}`)
    .join(' ')
  const rendered = execFileSync(ENVSUBST, [names], { input: TEMPLATE, env, encoding: 'utf8' })
  const expected = renderNginxConf(TEMPLATE, '127.0.0.1:8080', ['127.0.0.1:3001', '127.0.0.1:3002'])
  t.equal(rendered, expected, 'nginx variables such as $host and $request_id kept')
})

t.test('the limits follow the service defaults', async (t) => {
  const mebibytes = Number(/client_max_body_size (\d+)m;/.exec(TEMPLATE)?.[1])
  t.equal(mebibytes * 1024 * 1024, defaults.BODY_LIMIT_BYTES, 'client_max_body_size = BODY_LIMIT_BYTES')
  const seconds = (name: string): number => Number(new RegExp(`${name} (\\d+)s;`).exec(TEMPLATE)?.[1])
  t.equal(seconds('proxy_next_upstream_timeout') * 1000, defaults.REQUEST_TIMEOUT_MS, 'no retry after REQUEST_TIMEOUT_MS')
  t.ok(seconds('proxy_read_timeout') * 1000 > defaults.REQUEST_TIMEOUT_MS, 'nginx waits longer than a replica takes to answer its own 503')
  t.match(TEMPLATE, /proxy_next_upstream error timeout http_503 non_idempotent;/)
  t.match(TEMPLATE, /proxy_next_upstream_tries 3;/)
})

t.test('X-Request-Id: passed through, or generated and returned', { skip }, async (t) => {
  const { gateway, upstreams } = await gatewayOver(t, ['ok'])
  const given = await post(gateway.url, new Uint8Array(10), { 'x-request-id': 'note-42' })
  t.equal(given.status, 200)
  t.equal(given.headers.get('x-request-id'), 'note-42', 'the client sees its own id')
  const generated = await post(gateway.url, new Uint8Array(10))
  const id = generated.headers.get('x-request-id') ?? ''
  t.match(id, /^[0-9a-f]{32}$/, 'nginx made one ($request_id)')
  t.same(
    upstreams[0].seen.map((s) => s.requestId),
    ['note-42', id],
    'the replica got the same ids',
  )
})

t.test('a POST is sent on to the next replica when one answers 503 or drops the connection', { skip }, async (t) => {
  const { gateway, upstreams } = await gatewayOver(t, ['busy', 'drop', 'ok'])
  const body = new Uint8Array(123_456).fill(7)
  // Each request goes to the replica with the fewest in flight, then to the others in turn: send
  // enough that every replica is tried first at least once.
  for (let i = 0; i < 6; i++) {
    const response = await post(gateway.url, body, { 'x-request-id': `retry-${i}` })
    t.equal(response.status, 200, `request ${i} answered by the healthy replica`)
    t.same(await response.json(), { behaviour: 'ok', bodyBytes: body.length }, 'with the whole body')
  }
  const [busy, drop, ok] = upstreams as [Upstream, Upstream, Upstream]
  t.equal(ok.seen.length, 6, 'the healthy replica read each request once')
  t.ok(busy.seen.length > 0 && drop.seen.length > 0, 'the failing replicas were tried')
  t.ok(
    [...busy.seen, ...drop.seen].every((s) => s.method === 'POST' && s.bodyBytes === body.length),
    'with the same POST and body',
  )
})

t.test('retries are bounded: 3 replicas at most, then the last 503 is the answer', { skip }, async (t) => {
  const { gateway, upstreams } = await gatewayOver(t, ['busy', 'busy', 'busy', 'busy'])
  const response = await post(gateway.url, new Uint8Array(10), { 'x-request-id': 'bounded' })
  t.equal(response.status, 503)
  t.equal(response.headers.get('retry-after'), '1', "the replica's Retry-After reaches the client")
  t.equal(
    upstreams.reduce((sum, u) => sum + u.seen.length, 0),
    3,
    'three tries, not four',
  )
})

t.test('no replica reachable: 502 as problem details, with the request id', { skip }, async (t) => {
  const { gateway, upstreams } = await gatewayOver(t, ['ok'])
  await upstreams[0].close()
  const response = await post(gateway.url, new Uint8Array(10), { 'x-request-id': 'nobody-home' })
  t.equal(response.status, 502)
  t.equal(response.headers.get('content-type'), 'application/problem+json')
  t.equal(response.headers.get('x-request-id'), 'nobody-home')
  t.match(await response.json(), { type: 'urn:scrawl:problem:unavailable', status: 502 })
})

t.test('a body of BODY_LIMIT_BYTES passes; one byte more is 413 problem details from the gateway', { skip }, async (t) => {
  const { gateway, upstreams } = await gatewayOver(t, ['ok'])
  const atLimit = await post(gateway.url, new Uint8Array(defaults.BODY_LIMIT_BYTES))
  t.equal(atLimit.status, 200)
  t.same(await atLimit.json(), { behaviour: 'ok', bodyBytes: defaults.BODY_LIMIT_BYTES })
  const over = await post(gateway.url, new Uint8Array(defaults.BODY_LIMIT_BYTES + 1))
  t.equal(over.status, 413)
  t.equal(over.headers.get('content-type'), 'application/problem+json')
  t.match(await over.json(), { type: 'urn:scrawl:problem:body-too-large', status: 413 })
  t.equal(upstreams[0].seen.length, 1, 'the replica never saw the large one')
})
