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

/** The definition, pixel by pixel: each ink pixel's shorter run (capped at 255), then the lower median. */
function referenceStrokeWidth(image: BinaryImage): number {
  const { width, height, data } = image
  const ink = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < width && y < height && data[y * width + x] !== 0
  const runs: number[] = []
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!ink(x, y)) continue
      let left = x,
        right = x,
        up = y,
        down = y
      while (ink(left - 1, y)) left--
      while (ink(right + 1, y)) right++
      while (ink(x, up - 1)) up--
      while (ink(x, down + 1)) down++
      runs.push(Math.min(right - left + 1, down - up + 1, 255))
    }
  }
  if (runs.length === 0) return 1
  runs.sort((a, b) => a - b)
  return runs[Math.ceil(runs.length / 2) - 1]
}

t.test('stroke width agrees with the per-pixel definition on random masks', async (t) => {
  let seed = 7
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
  for (let trial = 0; trial < 200; trial++) {
    const width = 1 + Math.floor(random() * 30),
      height = 1 + Math.floor(random() * 30)
    const density = trial % 2 === 0 ? random() : 0.9
    const image = { width, height, data: Uint8Array.from({ length: width * height }, () => (random() < density ? 1 : 0)) }
    t.equal(estimateStrokeWidth(image), referenceStrokeWidth(image), `trial ${trial} (${width}×${height})`)
  }
  const solid = { width: 300, height: 280, data: new Uint8Array(300 * 280).fill(1) }
  t.equal(estimateStrokeWidth(solid), 255, 'runs are capped')
})
