import t from 'tap'
import { findBindingMarks } from '../../src/pipeline/bindings.js'
import { PIPELINE_CONFIG } from '../../src/pipeline/config.js'
import type { Box } from '../../src/pipeline/image.js'

const BINDINGS = PIPELINE_CONFIG.bindings
const WIDTH = 200,
  HEIGHT = 130

/** A word of `letters` letters 10 px tall from (x, y): boxes 7 px wide, 2 px apart. */
function word(x: number, y: number, letters: number): Box[] {
  return Array.from({ length: letters }, (_, k) => ({ x: x + 9 * k, y, width: 7, height: 10 }))
}

t.test("a spiral binding's rings down the left side are found; the text beside them is not", async (t) => {
  // Ten rings, 6 × 6 px (one seen narrower, at an angle), every 12 px down the side; one line of text
  // beside the fifth.
  const rings = Array.from({ length: 10 }, (_, k) => ({ x: 2, y: 5 + 12 * k, width: k === 3 ? 5 : 6, height: 6 }))
  const boxes = [...rings, ...word(40, 52, 6), ...word(110, 52, 4)]
  t.same(
    [...findBindingMarks(boxes, WIDTH, HEIGHT, BINDINGS)].sort((a, b) => a - b),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  )
  // The same on the right side, one ring lost in shadow (a double gap).
  const right = rings.filter((_, k) => k !== 6).map((b) => ({ ...b, x: WIDTH - 9 }))
  t.equal(findBindingMarks([...word(40, 52, 6), ...right], WIDTH, HEIGHT, BINDINGS).size, 9)
})

t.test('a numbered list written along the side is no binding', async (t) => {
  // Eight numbers, each leading a line of text: 1 is narrow, 4 and 7 wider.
  const widths = [3, 6, 6, 8, 6, 6, 7, 6]
  const boxes = widths.flatMap((width, k) => [{ x: 2, y: 4 + 15 * k, width, height: 10 }, ...word(20, 4 + 15 * k, 5)])
  t.equal(findBindingMarks(boxes, WIDTH, HEIGHT, BINDINGS).size, 0)
  // Alike marks in every row of text (bullets), evenly spaced: still a list.
  const bullets = Array.from({ length: 8 }, (_, k) => [{ x: 2, y: 6 + 15 * k, width: 5, height: 5 }, ...word(20, 4 + 15 * k, 5)]).flat()
  t.equal(findBindingMarks(bullets, WIDTH, HEIGHT, BINDINGS).size, 0)
})

t.test('too few marks, marks unevenly spaced or in a short run are no binding', async (t) => {
  const text = word(40, 52, 6)
  const holes = [20, 60, 100].map((y) => ({ x: 3, y, width: 8, height: 8 }))
  t.equal(findBindingMarks([...holes, ...text], WIDTH, HEIGHT, BINDINGS).size, 0, 'three punched holes')
  const uneven = [3, 10, 30, 36, 70, 75, 110].map((y) => ({ x: 2, y, width: 6, height: 6 }))
  t.equal(findBindingMarks([...uneven, ...text], WIDTH, HEIGHT, BINDINGS).size, 0, 'unevenly spaced')
  const short = Array.from({ length: 5 }, (_, k) => ({ x: 2, y: 5 + 8 * k, width: 6, height: 6 }))
  t.equal(findBindingMarks([...short, ...text], WIDTH, HEIGHT, BINDINGS).size, 0, 'a short run near the top')
})
