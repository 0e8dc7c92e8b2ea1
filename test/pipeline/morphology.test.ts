import t from 'tap'
import type { BinaryImage, GrayImage } from '../../src/pipeline/image.js'
import { binaryRankFilter, boxBlur, dilate, rankFilter } from '../../src/pipeline/morphology.js'
import { binaryFromRows, grayFrom, randomBinary, rowsFromBinary, seededRandom } from '../helpers/images.js'

/** Reference dilation: every ink pixel paints its whole rectangle. */
function bruteDilate(image: BinaryImage, rx: number, ry: number): Uint8Array {
  const { width, height, data } = image
  const out = new Uint8Array(width * height)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      if (!data[y * width + x]) continue
      for (let yy = Math.max(0, y - ry); yy <= Math.min(height - 1, y + ry); yy++)
        for (let xx = Math.max(0, x - rx); xx <= Math.min(width - 1, x + rx); xx++) out[yy * width + xx] = 1
    }
  return out
}

t.test('dilation by a rectangle', async (t) => {
  const dot = binaryFromRows(['.....', '.....', '..#..', '.....', '.....'])
  t.same(rowsFromBinary(dilate(dot, 1, 2)), ['.###.', '.###.', '.###.', '.###.', '.###.'])
  t.same(rowsFromBinary(dilate(dot, 0, 0)), rowsFromBinary(dot))
  const corner = binaryFromRows(['#...', '....'])
  t.same(rowsFromBinary(dilate(corner, 2, 1)), ['###.', '###.'])
})

t.test('dilation agrees with a brute-force reference', async (t) => {
  const random = seededRandom(3)
  for (const [rx, ry] of [
    [1, 1],
    [2, 0],
    [0, 3],
    [3, 2],
  ]) {
    const image = randomBinary(31, 23, 0.05, random)
    t.same(Array.from(dilate(image, rx, ry).data), Array.from(bruteDilate(image, rx, ry)), `radius ${rx}×${ry}`)
  }
})

t.test('grey rank filters and box blur', async (t) => {
  const image = grayFrom(5, 1, (x) => [0.1, 0.9, 0.2, 0.3, 0.4][x])
  t.same(
    Array.from(rankFilter(image, 1, 'max').data).map((v) => +v.toFixed(2)),
    [0.9, 0.9, 0.9, 0.4, 0.4],
  )
  t.same(
    Array.from(rankFilter(image, 1, 'min').data).map((v) => +v.toFixed(2)),
    [0.1, 0.1, 0.2, 0.2, 0.3],
  )
  const blurred = boxBlur(
    grayFrom(3, 1, (x) => [0, 3, 6][x]),
    1,
  )
  t.same(Array.from(blurred.data), [1.5, 3, 4.5])
})

/** Reference rank filter: the extreme of every pixel's clipped (2r+1)² window, looked at whole. */
function bruteRank(image: GrayImage, radius: number, mode: 'max' | 'min'): Float32Array {
  const { width, height, data } = image
  const out = new Float32Array(width * height)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let best = mode === 'max' ? -Infinity : Infinity
      for (let yy = Math.max(0, y - radius); yy <= Math.min(height - 1, y + radius); yy++)
        for (let xx = Math.max(0, x - radius); xx <= Math.min(width - 1, x + radius); xx++)
          best = mode === 'max' ? Math.max(best, data[yy * width + xx]) : Math.min(best, data[yy * width + xx])
      out[y * width + x] = best
    }
  return out
}

t.test('rank filters in constant time per pixel agree with the whole window, whatever the radius', async (t) => {
  const random = seededRandom(3)
  const image = grayFrom(23, 17, () => random())
  for (const radius of [0, 1, 2, 5, 11, 30])
    for (const mode of ['max', 'min'] as const)
      t.same(rankFilter(image, radius, mode).data, bruteRank(image, radius, mode), `${mode} ${radius}`)
})

t.test('the binary rank filter marks the cells the grey one gives 1 on a 0/1 mask', async (t) => {
  const random = seededRandom(9)
  for (const [width, height] of [
    [1, 1],
    [7, 3],
    [23, 17],
  ]) {
    for (const density of [0.1, 0.5, 0.9]) {
      const mask = Uint8Array.from({ length: width * height }, () => (random() < density ? 1 : 0))
      for (const radius of [0, 1, 2, 3, 8])
        for (const mode of ['max', 'min'] as const) {
          const grey = rankFilter({ width, height, data: Float32Array.from(mask) }, radius, mode).data
          t.same(
            [...binaryRankFilter(mask, width, height, radius, mode)],
            [...grey].map((v) => (v > 0.5 ? 1 : 0)),
            `${width}×${height} ${mode} ${radius}`,
          )
        }
    }
  }
})
