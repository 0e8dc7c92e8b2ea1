import t from 'tap'
import { estimateStrokeWidth, median } from '../../src/pipeline/stroke.js'
import type { BinaryImage } from '../../src/pipeline/image.js'

function drawRect(image: BinaryImage, x0: number, y0: number, w: number, h: number): void {
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) image.data[y * image.width + x] = 1
}

t.test('stroke width of horizontal and vertical bars', async (t) => {
  for (const width of [1, 3, 6]) {
    const image = { width: 80, height: 80, data: new Uint8Array(6400) }
    drawRect(image, 5, 5, 60, width) // horizontal bar
    drawRect(image, 10, 20, width, 50) // vertical bar
    drawRect(image, 40, 20, width, 50)
    t.equal(estimateStrokeWidth(image), width, `pen ${width}`)
  }
})

t.test('no ink gives 1', async (t) => {
  t.equal(estimateStrokeWidth({ width: 4, height: 4, data: new Uint8Array(16) }), 1)
})

t.test('median', async (t) => {
  t.equal(median([3, 1, 2]), 2)
  t.equal(median([4, 1, 2, 3]), 2.5)
  t.ok(Number.isNaN(median([])))
})
