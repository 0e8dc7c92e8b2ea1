import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** The shared data folder beside the checkout (`../shared/data`), which a user's clone lacks. */
export const sharedDataDir = resolve(repoRoot, '..', 'shared', 'data')

/** The real sample photos with truth.json. */
export const samplesDir = join(sharedDataDir, 'samples')

/**
 * Whether a test that needs `dir` can run. Outside CI a missing folder skips with a message; under
 * `CI=true` it is an error, because CI always has the shared data and a silent skip would hide a
 * broken path.
 *
 * @returns a skip message, or false when the folder is there
 */
export function skipUnlessPresent(dir: string): string | false {
  if (existsSync(dir)) return false
  if (process.env.CI === 'true') throw new Error(`${dir} is missing, and CI=true requires it (a copy of shared/ must sit at ../shared).`)
  return `${dir} is absent (a user's clone has no shared data): skipping`
}
