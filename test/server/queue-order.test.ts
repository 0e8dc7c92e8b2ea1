import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { repoRoot } from '../helpers/data.js'
import { startServer } from '../helpers/server.js'

const REQUESTS = 6
const PHOTO = readFileSync(join(repoRoot, 'fixtures', 'notes', '05_quote.jpg'))

async function inFlight(url: string): Promise<number> {
  const metrics = await (await fetch(`${url}/metrics`)).text()
  const value = (name: string): number => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0)
  return value('scrawl_queue_depth') + value('scrawl_requests_running')
}

t.test('waiting requests get the worker in the order they came: none is overtaken', async (t) => {
  const server = await startServer({ WORKERS: '1', QUEUE_LIMIT: String(REQUESTS), LOG_LEVEL: 'info' })
  t.teardown(() => server.stop())
  const answers: Promise<number>[] = []
  for (let index = 0; index < REQUESTS; index++) {
    answers.push(
      fetch(`${server.url}/ocr?format=text`, {
        method: 'POST',
        body: PHOTO,
        headers: { 'content-type': 'image/jpeg', 'x-request-id': `order-${index}` },
      }).then(async (response) => {
        await response.text()
        return response.status
      }),
    )
    // The next one is sent once this one waits for the worker, so the arrival order is known.
    for (let tries = 0; (await inFlight(server.url)) < index + 1; tries++) {
      if (tries > 400) t.fail(`request ${index} never arrived`)
      await new Promise((r) => setTimeout(r, 10))
    }
  }
  t.same(await Promise.all(answers), Array(REQUESTS).fill(200))
  const completed = (): string[] =>
    server.logs
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.msg === 'request completed' && String(entry.requestId).startsWith('order-'))
      .map((entry) => entry.requestId)
  for (let tries = 0; completed().length < REQUESTS && tries < 100; tries++) await new Promise((r) => setTimeout(r, 20))
  t.same(
    completed(),
    Array.from({ length: REQUESTS }, (_, index) => `order-${index}`),
    'answered first come, first served',
  )
})
