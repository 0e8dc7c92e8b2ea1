import t from 'tap'
import { PIPELINE_CONFIG } from '../../src/pipeline/config.js'
import { findGridDots } from '../../src/pipeline/grid-dots.js'
import type { Box } from '../../src/pipeline/image.js'

const OPTIONS = PIPELINE_CONFIG.gridDots
const LETTER_HEIGHT = 20
const PITCH = 20

/** A 3 × 3 px dot centred on (x, y). */
const dot = (x: number, y: number): Box => ({ x: x - 1.5, y: y - 1.5, width: 3, height: 3 })

/** A seeded generator in [0, 1) (a linear congruential one), so that the scattered dots are the same every run. */
function seeded(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32
    return state / 2 ** 32
  }
}

t.test("a faint grid's surviving crossings are found; periods off its lattice are not", async (t) => {
  const random = seeded(7)
  const grid: Box[] = []
  // A 12 × 10 lattice, slightly wobbly, with about a third of its crossings lost.
  for (let row = 0; row < 10; row++)
    for (let col = 0; col < 12; col++) if (random() > 0.35) grid.push(dot(30 + col * PITCH + random() * 2, 40 + row * PITCH + random() * 2))
  // Periods ending sentences, half a pitch off the lattice both ways.
  const periods = [dot(30 + 3.5 * PITCH, 40 + 2.5 * PITCH), dot(30 + 8.5 * PITCH, 40 + 6.5 * PITCH)]
  const found = findGridDots([...grid, ...periods], LETTER_HEIGHT, OPTIONS)
  const gridFound = grid.filter((_, i) => found.has(i)).length
  t.ok(gridFound >= 0.95 * grid.length, `${gridFound} of ${grid.length} grid dots found`)
  t.notOk(found.has(grid.length) || found.has(grid.length + 1), 'the periods are not grid')
})

t.test('no grid: a few periods, a numbered list in a column, scattered specks', async (t) => {
  const list = [0, 1, 2, 3, 4, 5].map((line) => dot(40, 50 + line * PITCH))
  t.equal(findGridDots(list, LETTER_HEIGHT, OPTIONS).size, 0, 'too few dots for a grid')
  const random = seeded(11)
  const specks = Array.from({ length: 60 }, () => dot(random() * 800, random() * 600))
  t.equal(findGridDots([...specks, ...list], LETTER_HEIGHT, OPTIONS).size, 0, 'specks fall anywhere, not on one lattice')
  t.equal(findGridDots([], LETTER_HEIGHT, OPTIONS).size, 0, 'no dots')
})
