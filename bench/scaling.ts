/**
 * How scrawl's cost grows: with the pixels of one photo (0.5 to 24 MP copies of it) and with the
 * letters on a page (1, 2, 4 and 8 copies of one note tiled on one page). Both beside sharp's own
 * decode of the same file, the floor.
 */
import type { ImageMeasurement } from './engines/engine.js'
import { runEngineJob } from './lib/child.js'
import { makeScaledCopies, makeTiledPages, type MadeImage } from './lib/images.js'
import type { Progress } from './lib/progress.js'
import type { RunCounts } from './compare.js'

/** A made image with scrawl's measurements of it. */
export interface ScaledMeasurement {
  readonly image: MadeImage & { copies?: number }
  readonly measurement: ImageMeasurement
}

/** What the scaling run measured. */
export interface Scaling {
  /** The photo the size copies were made from, and the note tiled for the letter count. */
  readonly sizeSource: string
  readonly tileSource: string
  readonly bySize: ScaledMeasurement[]
  readonly byLetters: ScaledMeasurement[]
}

/** Where the made images come from: a file and its true lines. */
export interface ScalingSource {
  readonly label: string
  readonly path: string
  readonly truthLines: readonly string[]
}

/**
 * Makes the scaled photos and tiled pages in `tempDir` and runs scrawl (with the decode floor)
 * over them in one child process.
 */
export async function runScaling(
  photo: ScalingSource,
  note: ScalingSource,
  counts: RunCounts,
  tempDir: string,
  progress: Progress,
): Promise<Scaling> {
  progress.phase(`scaling: making ${photo.label} copies and ${note.label} pages`)
  const sized = await makeScaledCopies(photo.path, photo.truthLines.join('\n'), tempDir)
  const tiled = await makeTiledPages(note.path, note.truthLines, tempDir)
  const all: Array<MadeImage & { copies?: number }> = [...sized, ...tiled]
  const keyed = all.map((image, index) => ({ name: `${index}:${image.name}`, path: image.path }))
  progress.phase(`scaling: scrawl over ${all.length} made images`)
  const result = await runEngineJob({ engine: 'scrawl', images: keyed, ...counts, measureDecodeFloor: true }, progress)
  const measured = all.map((image, index) => ({ image, measurement: result.images.find((m) => m.name === keyed[index].name)! }))
  for (const { image, measurement } of measured) if (measurement.error) progress.log(`scrawl failed on ${image.name}: ${measurement.error}`)
  return {
    sizeSource: photo.label,
    tileSource: note.label,
    bySize: measured.slice(0, sized.length),
    byLetters: measured.slice(sized.length),
  }
}
