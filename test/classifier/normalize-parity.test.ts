import t from 'tap'
import { readFileSync } from 'node:fs'
import { normalizeGlyph, GLYPH_SIZE } from '../../src/classifier/normalize-glyph.js'
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
