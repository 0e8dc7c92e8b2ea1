import { PassThrough, Readable } from 'node:stream'
import t from 'tap'
import { BodyCollector, BodyLengthError, collectBody } from '../../src/server/body-collector.js'

/** Whether a buffer is the whole of its own ArrayBuffer, so that it moves to a worker without a copy. */
const ownsItsMemory = (b: Buffer): boolean => b.byteOffset === 0 && b.byteLength === b.buffer.byteLength

t.test('gathers chunks in place into a buffer of exactly the body', async (t) => {
  const collector = new BodyCollector(10, 6)
  await collector.prepare()
  t.ok(collector.push(Uint8Array.of(1, 2)))
  t.ok(collector.push(Uint8Array.of(3, 4, 5)))
  t.ok(collector.push(Uint8Array.of(6)))
  const body = collector.finish()
  t.same([...body], [1, 2, 3, 4, 5, 6])
  t.ok(ownsItsMemory(body), "an ArrayBuffer of its own, of the body's length")
})

t.test('grows past the announced size up to the maximum, and shrinks to what came', async (t) => {
  const growing = new BodyCollector(5)
  t.ok(growing.push(Uint8Array.of(1, 2, 3)))
  t.ok(growing.push(Uint8Array.of(4, 5)))
  t.notOk(growing.push(Uint8Array.of(6)), 'a byte past the maximum is refused')
  t.same([...growing.finish()], [1, 2, 3, 4, 5])
  const shrinking = new BodyCollector(100, 50)
  await shrinking.prepare()
  shrinking.push(Uint8Array.of(9, 8, 7))
  const part = shrinking.finish()
  t.same([...part], [9, 8, 7], 'a multipart file is shorter than the body announced')
  t.ok(ownsItsMemory(part))
})

t.test('collectBody reads a stream to its end, and refuses what does not fit its length', async (t) => {
  const body = await collectBody(Readable.from([Buffer.from('ab'), Buffer.from('cde')]), 10, 5)
  t.equal(body.toString(), 'abcde')
  t.ok(ownsItsMemory(body))
  t.equal((await collectBody(Readable.from([Buffer.from('chunked')]), 10)).toString(), 'chunked', 'without a length')
  await t.rejects(
    collectBody(Readable.from([Buffer.from('x')]), 10, 11),
    { name: 'BodyLengthError', kind: 'too-large' },
    'announced over the limit',
  )
  await t.rejects(
    collectBody(Readable.from([Buffer.alloc(6), Buffer.alloc(6)]), 10),
    { name: 'BodyLengthError', kind: 'too-large' },
    'sent over the limit',
  )
  await t.rejects(collectBody(Readable.from([Buffer.from('abc')]), 10, 5), BodyLengthError, 'shorter than announced')
})

t.test("collectBody passes on the stream's own error, even while the buffer is prepared", async (t) => {
  const stream = new PassThrough()
  const reading = collectBody(stream, 1024, 512)
  const deadline = new Error('body deadline')
  stream.emit('error', deadline)
  await t.rejects(reading, deadline)
})
