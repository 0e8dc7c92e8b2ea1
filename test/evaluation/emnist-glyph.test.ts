import t from 'tap'
import { EMNIST_UPSAMPLE, emnistToMask } from '../../src/evaluation/emnist-glyph.js'

t.test('emnistToMask upsamples by 4 with half-pixel bilinear weights and thresholds at 128', async (t) => {
  const size = 4
  const pixels = new Uint8Array(size * size)
  pixels[1 * size + 1] = 255 // one bright pixel
  const mask = emnistToMask(pixels, size)
  t.equal(mask.width, size * EMNIST_UPSAMPLE)
  // Along each axis the bright pixel gets weights 1/8, 3/8, 5/8, 7/8, 7/8, 5/8, 3/8, 1/8 at output
  // positions 2..9. Ink needs weightX × weightY × 255 >= 128: 7/8 × 5/8 passes, 5/8 × 5/8 and 7/8 × 3/8 do not,
  // so the ink is the 4 × 4 block at 4..7 without its corners.
  const ink: string[] = []
  for (let y = 0; y < mask.height; y++) for (let x = 0; x < mask.width; x++) if (mask.data[y * mask.width + x]) ink.push(`${x},${y}`)
  const expected: string[] = []
  for (let y = 4; y <= 7; y++) for (let x = 4; x <= 7; x++) if (!((x === 4 || x === 7) && (y === 4 || y === 7))) expected.push(`${x},${y}`)
  t.same(ink, expected)
})

t.test('a flat glyph stays flat at the edges (clamped)', async (t) => {
  const mask = emnistToMask(new Uint8Array(28 * 28).fill(200))
  t.ok(mask.data.every((v) => v === 1))
})
