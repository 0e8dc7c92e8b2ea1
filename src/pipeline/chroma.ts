import type { GrayImage } from './image.js'
import { median } from './stroke.js'

/** An 8-bit image with interleaved channels (RGB, or grey with `channels` 1–2), row-major. */
export interface ColourImage {
  readonly width: number
  readonly height: number
  readonly channels: number
  readonly data: Uint8Array
}

/** Options of {@link chromaGrid}. */
export interface ChromaOptions {
  /** Only pixels at least this bright relative to their cell's background count (ink's own colour is not the paper's). */
  readonly paperPixelLevel: number
  /** The page's white is the most neutral this fraction of the cells brighter than the median cell. */
  readonly whiteFraction: number
}

/**
 * Per background cell, how far the colour of its paper-bright pixels lies from the page's own
 * white, as a distance between chromaticities (opponent coordinates (R − B) / S and
 * (R + B − 2G) / S with S = R + G + B, so brightness and shading drop out): paper is near-neutral
 * under ordinary light, a wooden desk, a sticky note or a coloured book is not. A photo under warm
 * light tints the paper too, and paper may be cream or yellow, so the white is not absolute grey
 * but the median chromaticity of the page's brightest cells (the sheet's lit part wherever there is
 * a sheet: a saturated desk is darker than white paper).
 *
 * @param colour the working image in colour; a grey image (1–2 channels) has no colour
 * @param background paper brightness per cell (`estimateBackground` of the image's luma, `toLuma` in `decode.ts`)
 * @param cellSize side of one cell in pixels
 * @returns per cell, the chromaticity distance from the page's white (about 0 everywhere for a grey picture
 *   stored in colour); undefined for a grey image (fewer than 3 channels)
 */
export function chromaGrid(colour: ColourImage, background: GrayImage, cellSize: number, options: ChromaOptions): GrayImage | undefined {
  const { width: gw, height: gh } = background
  if (colour.channels < 3) return undefined
  const cells = gw * gh
  // Per cell, the sums over its paper-bright pixels (0–2) and over all its pixels (3–5), on every
  // other row and column: a cell's colour is as plain on a quarter of its pixels, at a quarter of the work.
  const sums = new Float64Array(6 * cells)
  const { width, height } = colour
  const channels = colour.channels,
    rgb = colour.data,
    levels = background.data
  for (let y = 0; y < height; y += 2) {
    const gridRow = Math.floor(y / cellSize) * gw
    for (let g = 0; g < gw; g++) {
      // Luma as `toLuma` makes it, R + 2G + B on 8-bit channels, against the cell's background on the same scale.
      const floor = options.paperPixelLevel * 1020 * levels[gridRow + g]
      const end = Math.min((g + 1) * cellSize, width)
      let r = 0,
        gg = 0,
        b = 0,
        ra = 0,
        ga = 0,
        ba = 0
      for (let x = g * cellSize, j = (y * width + x) * channels; x < end; x += 2, j += 2 * channels) {
        const red = rgb[j],
          green = rgb[j + 1],
          blue = rgb[j + 2]
        ra += red
        ga += green
        ba += blue
        if (red + 2 * green + blue < floor) continue
        r += red
        gg += green
        b += blue
      }
      const at = 6 * (gridRow + g)
      sums[at] += r
      sums[at + 1] += gg
      sums[at + 2] += b
      sums[at + 3] += ra
      sums[at + 4] += ga
      sums[at + 5] += ba
    }
  }
  const a = new Float32Array(cells),
    m = new Float32Array(cells)
  for (let c = 0; c < cells; c++) {
    // A cell with no pixel as bright as its background (closed over its neighbours: a dark grainy desk) is measured whole.
    const at = sums[6 * c] + sums[6 * c + 1] + sums[6 * c + 2] > 0 ? 6 * c : 6 * c + 3
    const red = sums[at],
      green = sums[at + 1],
      blue = sums[at + 2]
    const sum = red + green + blue
    if (sum <= 0) continue
    a[c] = (red - blue) / sum
    m[c] = (red + blue - 2 * green) / sum
  }
  // The white: the brightest cells, the sheet's lit part wherever there is a sheet (a saturated desk is darker than white paper).
  const counts = new Uint32Array(256)
  for (let c = 0; c < cells; c++) counts[bin(levels[c])]++
  let floorBin = 255
  for (let seen = counts[255]; floorBin > 0 && seen < options.whiteFraction * cells;) seen += counts[--floorBin]
  const whiteA: number[] = [],
    whiteM: number[] = []
  for (let c = 0; c < cells; c++) {
    if (bin(levels[c]) < floorBin) continue
    whiteA.push(a[c])
    whiteM.push(m[c])
  }
  const white = { a: median(whiteA), m: median(whiteM) }
  const distance = new Float32Array(cells)
  for (let c = 0; c < cells; c++) distance[c] = Math.hypot(a[c] - white.a, m[c] - white.m)
  return { width: gw, height: gh, data: distance }
}

/** A level in [0, 1] as one of 256 bins. */
const bin = (level: number): number => Math.min(255, Math.max(0, Math.floor(level * 256)))
