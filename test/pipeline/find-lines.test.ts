import t from 'tap'
import { findLetters } from '../../src/pipeline/find-letters.js'
import type { Box } from '../../src/pipeline/image.js'
import { grayFrom } from '../helpers/images.js'

/** Whether (x, y) lies on the outline (8 px thick) of a box: a big "O". */
const onRing = (x: number, y: number, b: Box): boolean =>
  x >= b.x &&
  x < b.x + b.width &&
  y >= b.y &&
  y < b.y + b.height &&
  (x < b.x + 8 || x >= b.x + b.width - 8 || y < b.y + 8 || y >= b.y + b.height - 8)

t.test('sparse big letters in two lines: two lines of three, and no candidate holds ink of both', async (t) => {
  // Letters 80 px tall, 300 px apart along the line; the second line 100 px lower, its first
  // letter 12 px under the first line's (less than the dilation bridges: one candidate of both).
  const upper = [100, 400, 700].map((x) => ({ x, y: 100, width: 60, height: 80 }))
  const lower = [100, 400, 700].map((x, i) => ({ x: x + 20 * i, y: i === 0 ? 192 : 230, width: 60, height: 80 }))
  const letters = [...upper, ...lower]
  const page = findLetters(grayFrom(900, 420, (x, y) => (letters.some((b) => onRing(x, y, b)) ? 0.1 : 0.9)))
  t.equal(page.lines.length, 2, 'two lines')
  for (const [l, line] of page.lines.entries()) {
    const expected = l === 0 ? upper : lower
    const sizes = line.candidates.filter((c) => c.to - c.from === 1).map((c) => c.box)
    t.equal(sizes.length, 3, `line ${l + 1}: three single-segment candidates`)
    for (const c of line.candidates) {
      t.ok(c.box.height <= 90, `line ${l + 1}: candidate ${JSON.stringify(c.box)} is one letter tall`)
    }
    t.ok(
      expected.every((b) => line.candidates.some((c) => Math.abs(c.box.x - b.x) <= 2 && Math.abs(c.box.y - b.y) <= 2)),
      `line ${l + 1}: its own letters`,
    )
  }
})
