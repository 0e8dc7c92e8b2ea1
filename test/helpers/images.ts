import type { BinaryImage, GrayImage } from '../../src/pipeline/image.js'

/** A binary image from rows of '#' (ink) and '.' (paper). */
export function binaryFromRows(rows: readonly string[]): BinaryImage {
  const height = rows.length,
    width = rows[0].length
  const data = new Uint8Array(width * height)
  rows.forEach((row, y) =>
    [...row].forEach((ch, x) => {
      data[y * width + x] = ch === '#' ? 1 : 0
    }),
  )
  return { width, height, data }
}

/** The rows of '#' and '.' of a binary image. */
export function rowsFromBinary(image: BinaryImage): string[] {
  const rows: string[] = []
  for (let y = 0; y < image.height; y++) {
    let row = ''
    for (let x = 0; x < image.width; x++) row += image.data[y * image.width + x] ? '#' : '.'
    rows.push(row)
  }
  return rows
}

/** A grey image filled by a function of the pixel position. */
export function grayFrom(width: number, height: number, value: (x: number, y: number) => number): GrayImage {
  const data = new Float32Array(width * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = value(x, y)
  return { width, height, data }
}

/** A deterministic pseudo-random generator (mulberry32), so tests are repeatable: the project's own. */
export { seededRandom } from '../../src/reading/note-text.js'

/** A random binary image with the given ink density. */
export function randomBinary(width: number, height: number, density: number, random: () => number): BinaryImage {
  const data = new Uint8Array(width * height)
  for (let i = 0; i < data.length; i++) data[i] = random() < density ? 1 : 0
  return { width, height, data }
}
