/**
 * The image sets the benchmark reads: the real sample photos beside the checkout
 * (`../shared/data/samples`, never copied into the repository) and the project's own fixtures.
 * Each folder has a `truth.json` (file name → lines).
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** One image with the text written on it. */
export interface BenchImage {
  /** The file name, which names the image in every table. */
  readonly name: string
  readonly path: string
  /** The true lines joined by newlines. */
  readonly truth: string
}

/** A folder of images with truth. */
export interface ImageSet {
  readonly name: string
  /** Where it is, relative to the repository root, for the report. */
  readonly label: string
  readonly images: BenchImage[]
}

/** The sets a run reads, in report order: name → folder relative to the repository root. */
export const IMAGE_SET_DIRS: Readonly<Record<string, string>> = {
  samples: '../shared/data/samples',
  fixtures: 'fixtures/notes',
}

/** The truth file every set folder carries. */
const TRUTH_FILE = 'truth.json'

/**
 * Loads a set from its folder.
 *
 * @returns the set, or undefined when the folder or its truth file is absent (a user's clone has
 *   no shared data)
 */
export function loadImageSet(name: string, relativeDir: string): ImageSet | undefined {
  const dir = resolve(repoRoot, relativeDir)
  const truthPath = join(dir, TRUTH_FILE)
  if (!existsSync(truthPath)) return undefined
  const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as Record<string, string[]>
  const images = Object.entries(truth)
    .map(([file, lines]) => ({ name: file, path: join(dir, file), truth: lines.join('\n') }))
    .sort((a, b) => a.name.localeCompare(b.name))
  return { name, label: relativeDir, images }
}
