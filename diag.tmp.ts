import { readFileSync, readdirSync } from 'node:fs'
import { startServer } from './test/helpers/server.js'
const dirs = ['../shared/data/samples', 'fixtures/notes']
const photos = dirs.flatMap((d) => readdirSync(d).filter((f) => /\.(jpg|png)$/.test(f)).map((f) => ({ name: f, bytes: readFileSync(`${d}/${f}`) })))
const s = await startServer({ WORKERS: '1', QUEUE_LIMIT: '8', LOG_LEVEL: 'warn' })
const end = Date.now() + 15000
let turn = 0
const rows: [number, string, number][] = []
const t0 = performance.now()
await Promise.all(Array.from({ length: 8 }, async () => {
  while (Date.now() < end) {
    const p = photos[turn++ % photos.length]
    const st = performance.now()
    const r = await fetch(`${s.url}/ocr?format=text`, { method: 'POST', body: p.bytes, headers: { 'content-type': 'application/octet-stream' } })
    await r.text()
    rows.push([Math.round(st - t0), p.name, Math.round(performance.now() - st)])
  }
}))
const lat = rows.map((r) => r[2]).sort((a, b) => a - b)
rows.sort((a, b) => b[2] - a[2])
console.log(rows.length, 'requests; p50', lat[lat.length >> 1], 'max', lat.at(-1), 'slowest:', rows.slice(0, 4))
await s.stop()
