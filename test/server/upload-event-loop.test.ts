import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { repoRoot } from '../helpers/data.js'
import { seededRandom } from '../helpers/images.js'
import { openRaw, type RawConnection } from '../helpers/raw-http.js'
import { startServer } from '../helpers/server.js'

/**
 * Receiving big uploads must not stall the event loop. 8 clients send 20 MB bodies over raw
 * sockets, all but the last byte; once the server holds all eight, the last bytes go out
 * together, so that whatever the server does at the end of a body happens eight times at once
 * (before the bodies were gathered chunk by chunk, that was a 20 MB copy each). /healthz must
 * keep answering throughout. The bound is generous, far above a healthy answer: this is not a
 * benchmark (bench/upload-lag.ts measures). The bodies are mostly bytes that are not an image, so
 * the receiving is measured, not the reading; one is a real photo, which must still be read.
 */

const CLIENTS = 8
const BODY_BYTES = 20_000_000
/** A probe not answered within this is a failure. */
const PROBE_BOUND_MS = 2_000
const PROBE_INTERVAL_MS = 20

t.test('/healthz keeps answering while 8 clients finish 20 MB uploads at once', async (t) => {
  const server = await startServer({ WORKERS: '1', LOG_LEVEL: 'warn' })
  t.teardown(() => server.stop())
  const port = Number(new URL(server.url).port)
  const random = seededRandom(11)
  const noise = Buffer.alloc(BODY_BYTES)
  for (let i = 0; i < noise.length; i += 4) noise.writeUInt32LE(Math.floor(random() * 2 ** 32), i)
  const photo = readFileSync(join(repoRoot, 'fixtures', 'notes', '06_meeting.jpg'))
  const head = (length: number): Buffer =>
    Buffer.from(
      `POST /ocr HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`,
    )
  const bodies = Array.from({ length: CLIENTS }, (_, i) => (i === 0 ? photo : noise))
  const connections: RawConnection[] = await Promise.all(
    bodies.map((body) => openRaw(port, Buffer.concat([head(body.length), body.subarray(0, -1)]))),
  )
  t.teardown(() => connections.forEach((c) => c.destroy()))
  // Wait until every byte is sent (the kernel's buffers are far smaller than a body), then a
  // moment more for the server to read what is left in them.
  for (let tries = 0; !connections.every((c) => c.socket.writableLength === 0); tries++) {
    if (tries > 1200) throw new Error('the uploads were never all sent')
    await new Promise((r) => setTimeout(r, 50))
  }
  await new Promise((r) => setTimeout(r, 1_000))
  const latencies: number[] = []
  const failures: string[] = []
  let finishing = true
  const prober = async (): Promise<void> => {
    while (finishing) {
      const started = performance.now()
      try {
        const response = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(PROBE_BOUND_MS) })
        await response.arrayBuffer()
        if (response.status === 200) latencies.push(performance.now() - started)
        else failures.push(`status ${response.status}`)
      } catch (error) {
        failures.push((error as Error).name)
      }
      await new Promise((r) => setTimeout(r, PROBE_INTERVAL_MS))
    }
  }
  connections.forEach((c, i) => c.socket.write(bodies[i].subarray(-1)))
  const probing = prober()
  const answers = await Promise.all(connections.map((c) => c.answer(120_000)))
  finishing = false
  await probing
  t.same(
    answers.map((a) => a.status),
    [200, ...Array(CLIENTS - 1).fill(400)],
    'the photo is read, the noise refused',
  )
  t.comment(`${latencies.length} probes, slowest ${Math.max(...latencies).toFixed(0)} ms`)
  t.same(failures, [], `every /healthz probe answered 200 within ${PROBE_BOUND_MS} ms`)
})
