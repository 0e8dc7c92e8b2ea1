/**
 * Images the benchmark makes for itself in a temporary folder (never committed): copies of one
 * photo at other sizes, pages with more and more copies of one note, and a blank image.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'

/** JPEG quality of every made image: a phone camera's, so the decoder does a phone photo's work. */
const JPEG_QUALITY = 90

/** An image made for the benchmark, with what it should read. */
export interface MadeImage {
  readonly name: string
  readonly path: string
  readonly width: number
  readonly height: number
  readonly truth: string
}

/** Pixel counts of the photo's copies: the scaling table's rows. */
export const SCALED_MEGAPIXELS = [0.5, 2, 8, 12, 24] as const
/** A requested size this close to the photo's own (relative) uses the original file, not a re-encode. */
const SAME_SIZE_TOLERANCE = 0.05

/**
 * Makes copies of a photo with {@link SCALED_MEGAPIXELS} pixels (same aspect ratio, lanczos3,
 * JPEG). A size within {@link SAME_SIZE_TOLERANCE} of the original is the original file itself.
 */
export async function makeScaledCopies(sourcePath: string, truth: string, dir: string): Promise<MadeImage[]> {
  const { width, height } = await sharp(sourcePath).metadata()
  if (!width || !height) throw new Error(`${sourcePath} has no size`)
  const copies: MadeImage[] = []
  for (const megapixels of SCALED_MEGAPIXELS) {
    const factor = Math.sqrt((megapixels * 1e6) / (width * height))
    const name = `${megapixels} MP`
    if (Math.abs(factor * factor - 1) <= SAME_SIZE_TOLERANCE) {
      copies.push({ name, path: sourcePath, width, height, truth })
      continue
    }
    const targetWidth = Math.round(width * factor),
      targetHeight = Math.round(height * factor)
    const path = join(dir, `scaled-${megapixels}mp.jpg`)
    await sharp(sourcePath, { limitInputPixels: false })
      .resize(targetWidth, targetHeight, { fit: 'fill', kernel: 'lanczos3' })
      .jpeg({ quality: JPEG_QUALITY })
      .toFile(path)
    copies.push({ name, path, width: targetWidth, height: targetHeight, truth })
  }
  return copies
}

/** Tile layouts (columns × rows) of the letter-count table: 1, 2, 4 and 8 copies of one note. */
export const TILE_LAYOUTS: ReadonlyArray<readonly [columns: number, rows: number]> = [
  [1, 1],
  [2, 1],
  [2, 2],
  [4, 2],
]

/**
 * Makes pages with 1, 2, 4 and 8 copies of one note side by side ({@link TILE_LAYOUTS}), so the
 * number of letters grows while the letters keep their size on the page. The truth reads across:
 * each line of the note once per column, tile row by tile row.
 */
export async function makeTiledPages(
  sourcePath: string,
  truthLines: readonly string[],
  dir: string,
): Promise<Array<MadeImage & { copies: number }>> {
  const tile = await sharp(sourcePath)
    .rotate()
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: JPEG_QUALITY })
    .toBuffer({ resolveWithObject: true })
  const { width, height } = tile.info
  const pages: Array<MadeImage & { copies: number }> = []
  for (const [columns, rows] of TILE_LAYOUTS) {
    const path = join(dir, `tiled-${columns}x${rows}.jpg`)
    const composites = []
    for (let row = 0; row < rows; row++)
      for (let column = 0; column < columns; column++) composites.push({ input: tile.data, left: column * width, top: row * height })
    await sharp({ create: { width: width * columns, height: height * rows, channels: 3, background: '#ffffff' } })
      .composite(composites)
      .jpeg({ quality: JPEG_QUALITY })
      .toFile(path)
    const truth = Array.from({ length: rows }, () => truthLines.map((line) => Array(columns).fill(line).join(' ')))
      .flat()
      .join('\n')
    pages.push({ name: `${columns}×${rows}`, path, width: width * columns, height: height * rows, truth, copies: columns * rows })
  }
  return pages
}

/** Side of the blank image that measures an engine's fixed cost per call. */
const BLANK_SIDE = 64

/** Writes a small white PNG: reading it costs an engine only its fixed per-call work. */
export async function makeBlankImage(dir: string): Promise<string> {
  const path = join(dir, 'blank.png')
  writeFileSync(
    path,
    await sharp({ create: { width: BLANK_SIDE, height: BLANK_SIDE, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer(),
  )
  return path
}

/** `BLANK_SIDE` for the report. */
export const BLANK_LABEL = `blank ${BLANK_SIDE}×${BLANK_SIDE} PNG`
