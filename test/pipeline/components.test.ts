import t from 'tap'
import { labelComponents } from '../../src/pipeline/components.js'
import type { BinaryImage } from '../../src/pipeline/image.js'
import { binaryFromRows, randomBinary, seededRandom } from '../helpers/images.js'

/** Reference labelling: flood fill in raster order, 8-connected (scikit-image's connectivity=2). */
function floodFillLabels(image: BinaryImage): Int32Array {
  const { width, height, data } = image
  const labels = new Int32Array(width * height)
  let next = 0
  for (let start = 0; start < data.length; start++) {
    if (data[start] === 0 || labels[start] !== 0) continue
    labels[start] = ++next
    const stack = [start]
    while (stack.length > 0) {
      const i = stack.pop()!
      const x = i % width,
        y = (i - x) / width
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx,
            yy = y + dy
          if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue
          const j = yy * width + xx
          if (data[j] !== 0 && labels[j] === 0) {
            labels[j] = next
            stack.push(j)
          }
        }
    }
  }
  return labels
}

t.test('labels 8-connected blobs in raster order', async (t) => {
  const image = binaryFromRows(['##..#', '.#..#', '..#..', '.....', '#...#'])
  const { labels, count } = labelComponents(image)
  // The diagonal step (1,1)→(2,2) joins the first blob; (4,0)-(4,1) is the second.
  t.same(Array.from(labels), [1, 1, 0, 0, 2, 0, 1, 0, 0, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 4])
  t.equal(count, 4)
})

t.test('a U shape whose arms meet late is one component', async (t) => {
  const { labels, count } = labelComponents(binaryFromRows(['#...#', '#...#', '#####']))
  t.equal(count, 1)
  t.equal(labels.filter((l) => l === 1).length, 9)
})

t.test('empty and full images', async (t) => {
  t.equal(labelComponents(binaryFromRows(['...', '...'])).count, 0)
  const full = labelComponents(binaryFromRows(['###', '###']))
  t.equal(full.count, 1)
  t.same(Array.from(full.labels), [1, 1, 1, 1, 1, 1])
})

t.test('agrees with a flood-fill reference on random images', async (t) => {
  const random = seededRandom(7)
  for (const density of [0.2, 0.45, 0.6]) {
    const image = randomBinary(53, 41, density, random)
    const reference = floodFillLabels(image)
    const { labels, count } = labelComponents(image)
    t.same(Array.from(labels), Array.from(reference), `density ${density}`)
    t.equal(count, Math.max(0, ...reference), `density ${density}: count`)
  }
})
