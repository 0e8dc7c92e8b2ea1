import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import type { BinaryImage } from '../../src/pipeline/image.js'

/** fixtures/glyphs: hand-drawn block letters (training/make_fixtures.py), PNG black ink on white. */
export const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/glyphs', import.meta.url))
/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** One committed glyph crop. */
export interface GlyphFixture {
  readonly file: string
  /** The character drawn, or null for normalisation edge cases. */
  readonly label: string | null
  readonly mask: BinaryImage
}

/** Pixels darker than this are ink in the fixture PNGs. */
const INK_BELOW = 128

/**
 * Reads the manifest and decodes every fixture PNG into a binary mask (1 = ink).
 *
 * @param directory fixtures/glyphs by default; fixtures/rejector holds generated negatives (no labels)
 */
export async function loadFixtureMasks(directory: string = FIXTURE_DIR): Promise<GlyphFixture[]> {
  const manifest = JSON.parse(readFileSync(`${directory}/manifest.json`, 'utf8')) as { file: string; label?: string | null }[]
  return Promise.all(
    manifest.map(async ({ file, label = null }) => {
      const { data, info } = await sharp(`${directory}/${file}`).greyscale().raw().toBuffer({ resolveWithObject: true })
      const mask = new Uint8Array(info.width * info.height)
      for (let i = 0; i < mask.length; i++) mask[i] = data[i * info.channels] < INK_BELOW ? 1 : 0
      return { file, label, mask: { width: info.width, height: info.height, data: mask } }
    }),
  )
}
