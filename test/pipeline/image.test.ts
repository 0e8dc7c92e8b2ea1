import t from 'tap'
import { forEachRun, nextInk, wordsOf } from '../../src/pipeline/image.js'
import { seededRandom } from '../helpers/images.js'

/** The runs of `data[offset, offset + length)`, found one byte at a time (the reference). */
function runsOneByOne(data: Uint8Array, offset: number, length: number): Array<[number, number]> {
  const runs: Array<[number, number]> = []
  for (let x = 0; x < length; x++) {
    if (data[offset + x] === 0) continue
    const start = x
    while (x < length && data[offset + x] !== 0) x++
    runs.push([start, x])
  }
  return runs
}

t.test('forEachRun finds the runs found byte by byte, in word-aligned masks and in views that are not', async (t) => {
  const random = seededRandom(5)
  const buffer = new Uint8Array(300)
  for (let trial = 0; trial < 300; trial++) {
    const density = [0, 0.02, 0.2, 0.9][trial % 4]
    for (let i = 0; i < buffer.length; i++) buffer[i] = random() < density ? 1 + Math.floor(random() * 3) : 0
    // Views starting on and off a word boundary.
    const data = buffer.subarray(trial % 5, 200 + (trial % 7))
    const offset = Math.floor(random() * 40),
      length = Math.floor(random() * (data.length - offset))
    const runs: Array<[number, number]> = []
    forEachRun(data, offset, length, (start, end) => runs.push([start, end]))
    t.same(runs, runsOneByOne(data, offset, length), `trial ${trial}`)
  }
})

t.test('nextInk stops at the first ink at or after its start, or at the end', async (t) => {
  const data = new Uint8Array(24)
  data[9] = 1
  data[17] = 1
  const words = wordsOf(data)
  t.ok(words !== null, 'a fresh mask starts on a word')
  t.equal(nextInk(data, words, 0, 24), 9)
  t.equal(nextInk(data, words, 9, 24), 9)
  t.equal(nextInk(data, words, 10, 24), 17)
  t.equal(nextInk(data, words, 10, 16), 16, 'no ink before the end')
  t.equal(nextInk(data, words, 18, 24), 24)
  const view = data.subarray(1)
  t.equal(wordsOf(view), null, 'a view off a word boundary is read byte by byte')
  t.equal(nextInk(view, null, 0, 23), 8)
})
