import t from 'tap'
import { readFileSync } from 'node:fs'
import { dilateDisc, inkBox, normalizeGlyph, GLYPH_SIZE } from '../../src/classifier/normalize-glyph.js'
import { FIXTURE_DIR, loadFixtureMasks } from '../helpers/glyph-fixtures.js'

/** Python float64 and TypeScript float64 agree to rounding; the stored references carry 7 decimals. */
const PARITY_TOLERANCE = 1e-6

t.test('the TypeScript normaliser matches training/normalize.py pixel for pixel on every fixture', async (t) => {
  const reference = JSON.parse(readFileSync(`${FIXTURE_DIR}/normalized.json`, 'utf8')) as Record<string, number[]>
  const fixtures = await loadFixtureMasks()
  t.ok(fixtures.length >= 70, 'fixtures are present')
  for (const fixture of fixtures) {
    const expected = reference[fixture.file]
    const actual = normalizeGlyph(fixture.mask)
    t.equal(actual.length, GLYPH_SIZE * GLYPH_SIZE)
    let worst = 0,
      worstAt = -1
    for (let i = 0; i < actual.length; i++) {
      const difference = Math.abs(actual[i] - expected[i])
      if (difference > worst) {
        worst = difference
        worstAt = i
      }
    }
    t.ok(worst <= PARITY_TOLERANCE, `${fixture.file}: largest difference ${worst} at pixel ${worstAt}`)
  }
})

t.test('an empty mask normalises to zeros and values stay in [0, 1]', async (t) => {
  const empty = normalizeGlyph({ width: 5, height: 4, data: new Uint8Array(20) })
  t.ok(empty.every((v) => v === 0))
  const fixtures = await loadFixtureMasks()
  for (const fixture of fixtures) {
    const image = normalizeGlyph(fixture.mask)
    t.ok(
      image.every((v) => v >= 0 && v <= 1),
      `${fixture.file} in range`,
    )
  }
})

t.test('dilateDisc is the dilation by the disc dx² + dy² ≤ r², on a canvas grown by r', async (t) => {
  let seed = 11
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
  for (let trial = 0; trial < 60; trial++) {
    const width = 1 + Math.floor(random() * 20),
      height = 1 + Math.floor(random() * 20),
      radius = Math.floor(random() * 6)
    const mask = { width, height, data: Uint8Array.from({ length: width * height }, () => (random() < 0.15 ? 1 : 0)) }
    const dilated = dilateDisc(mask, radius)
    t.equal(dilated.width, width + 2 * radius)
    t.equal(dilated.height, height + 2 * radius)
    const expected = new Uint8Array(dilated.width * dilated.height)
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        if (mask.data[y * width + x] === 0) continue
        for (let dy = -radius; dy <= radius; dy++)
          for (let dx = -radius; dx <= radius; dx++)
            if (dx * dx + dy * dy <= radius * radius) expected[(y + radius + dy) * dilated.width + x + radius + dx] = 1
      }
    t.same(Array.from(dilated.data), Array.from(expected), `trial ${trial}: ${width}×${height}, r ${radius}`)
  }
})

t.test('inkBox is the box of every non-zero pixel, found from the ends of each row', async (t) => {
  let seed = 5
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
  for (let trial = 0; trial < 100; trial++) {
    const width = 1 + Math.floor(random() * 12),
      height = 1 + Math.floor(random() * 12)
    const density = [0, 0.05, 0.3][trial % 3]
    const data = Uint8Array.from({ length: width * height }, () => (random() < density ? 1 + Math.floor(random() * 2) : 0))
    const xs: number[] = [],
      ys: number[] = []
    data.forEach((v, i) => v !== 0 && (xs.push(i % width), ys.push(Math.floor(i / width))))
    const expected = xs.length === 0 ? null : { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs) + 1, y1: Math.max(...ys) + 1 }
    t.same(inkBox({ width, height, data }), expected, `trial ${trial}`)
  }
})
