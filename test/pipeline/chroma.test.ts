import t from 'tap'
import { chromaGrid, type ColourImage } from '../../src/pipeline/chroma.js'
import { estimateBackground } from '../../src/pipeline/background.js'
import { PIPELINE_CONFIG } from '../../src/pipeline/config.js'
import { toLuma } from '../../src/pipeline/decode.js'
import type { GrayImage } from '../../src/pipeline/image.js'

const CELL = 4
const OPTIONS = PIPELINE_CONFIG.page

/** A colour image filled by a function of the pixel position, and its luma as decode makes it. */
function colourFrom(
  width: number,
  height: number,
  rgb: (x: number, y: number) => [number, number, number],
): { colour: ColourImage; gray: GrayImage } {
  const data = new Uint8Array(3 * width * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(rgb(x, y), 3 * (y * width + x))
  return { colour: { width, height, channels: 3, data }, gray: { width, height, data: toLuma(data, 3) } }
}

/** The cell distances from the page's white, as chromaGrid measures them on the image's background. */
function chromaOf(image: { colour: ColourImage; gray: GrayImage }): GrayImage | undefined {
  const background = estimateBackground(image.gray, { ...PIPELINE_CONFIG.background, cellSize: CELL })
  return chromaGrid(image.colour, background, CELL, OPTIONS)
}

const at = (grid: GrayImage, x: number, y: number): number => grid.data[Math.floor(y / CELL) * grid.width + Math.floor(x / CELL)]

t.test('a grey image has no colour; an RGB image of greys is neutral everywhere', async (t) => {
  const grey = colourFrom(40, 40, (x) => {
    const v = x < 20 ? 230 : 90
    return [v, v, v]
  })
  t.equal(chromaGrid({ ...grey.colour, channels: 1, data: grey.colour.data.subarray(0, 1600) }, grey.gray, CELL, OPTIONS), undefined)
  const chroma = chromaOf(grey)
  if (chroma === undefined) return t.fail('no chroma')
  t.equal(Math.max(...chroma.data), 0, 'every cell at the white')
})

t.test('off-white paper on an orange desk as bright: the desk is far from the white, the paper at it', async (t) => {
  // The desk's luma (0.51) is the paper's in its dim half: only colour tells them apart.
  const page = colourFrom(64, 64, (x, y) => {
    if (x < 16) return [200, 130, 60]
    const light = 1 - (0.45 * (x - 16)) / 48
    const ink = y % 12 < 2 && x % 10 < 6
    return ink ? [40, 40, 90] : [Math.round(240 * light), Math.round(234 * light), Math.round(222 * light)]
  })
  const chroma = chromaOf(page)
  if (chroma === undefined) return t.fail('no chroma')
  t.ok(at(chroma, 6, 30) > 0.2, `the desk is coloured (${at(chroma, 6, 30).toFixed(3)})`)
  for (const x of [24, 40, 60])
    t.ok(at(chroma, x, 30) < 0.02, `paper at x = ${x} is neutral (${at(chroma, x, 30).toFixed(3)}), ink and all`)
})

t.test('under warm light the white is the paper’s own tint, not grey', async (t) => {
  // Everything tinted orange by the lamp: the paper is as warm as a pale desk would be in daylight.
  const page = colourFrom(64, 64, (x) => (x < 16 ? [150, 70, 20] : [250, 215, 170]))
  const chroma = chromaOf(page)
  if (chroma === undefined) return t.fail('no chroma')
  t.ok(at(chroma, 40, 30) < 0.01, `the warm paper is the white (${at(chroma, 40, 30).toFixed(3)})`)
  t.ok(at(chroma, 6, 30) > OPTIONS.maxPaperChroma, `the desk is still off it (${at(chroma, 6, 30).toFixed(3)})`)
})
