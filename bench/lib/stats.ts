/**
 * Order statistics for benchmark samples. Medians and high percentiles rather than means: one
 * run disturbed by another process on a shared machine must not move the figure.
 */

/** The value below which `p` percent of `values` lie (nearest rank; NaN for no values). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]
}

/** The median (the mean of the middle two for an even count; NaN for no values): the pipeline's own. */
export { median } from '../../src/pipeline/stroke.js'
import { median } from '../../src/pipeline/stroke.js'

/** Median and 95th percentile of one series of timings. */
export interface Spread {
  readonly median: number
  readonly p95: number
}

/** {@link median} and the 95th {@link percentile} of `values`. */
export const spread = (values: readonly number[]): Spread => ({ median: median(values), p95: percentile(values, 95) })
