import type { PipelineConfig } from '../../src/pipeline/config.js'

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * The configuration with some of its values replaced, for ablations and sweeps in benchmarks:
 * `variant` is a partial copy of the configuration's shape (objects merged key by key, anything
 * else replaced). A key the configuration does not have is refused, so that a typo cannot pass
 * for a measured variant.
 *
 * @throws Error naming the first unknown key
 */
export function withVariant(config: PipelineConfig, variant: Record<string, unknown>): PipelineConfig {
  const merge = (base: unknown, change: unknown, path: string): unknown => {
    if (!isRecord(change)) return change
    if (!isRecord(base)) throw new Error(`the configuration has no section ${path}`)
    const out: Record<string, unknown> = { ...base }
    for (const [key, value] of Object.entries(change)) {
      if (!(key in base)) throw new Error(`the configuration has no ${path ? `${path}.` : ''}${key}`)
      out[key] = merge(base[key], value, path ? `${path}.${key}` : key)
    }
    return out
  }
  return merge(config, variant, '') as PipelineConfig
}
