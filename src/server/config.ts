import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { z } from 'zod'
import { PIPELINE_CONFIG } from '../pipeline/config.js'

const MEBIBYTE = 1024 * 1024

/** Defaults of the image shape limits (the one configuration's; they cover panoramas and till receipts). */
export const IMAGE_SHAPE_DEFAULTS = {
  maxImageSide: PIPELINE_CONFIG.decode.maxImageSide,
  maxAspectRatio: PIPELINE_CONFIG.decode.maxAspectRatio,
} as const
/** Default time a client gets to send a request's whole body. */
export const DEFAULT_BODY_TIMEOUT_MS = 60_000
/** Default bound on bodies being received at once, in bodies of the largest size (`BODY_LIMIT_BYTES`). */
export const DEFAULT_UPLOADS_IN_BODY_LIMITS = 8

const integer = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(min).max(max))

/**
 * `TRUST_PROXY`: `false` (default), `true` (trust every hop), a hop count, or a comma-separated
 * list of addresses/CIDRs of the gateways in front, as fastify's `trustProxy` takes them.
 */
const trustProxy = z.string().transform((v, ctx): boolean | number | string[] => {
  const value = v.trim()
  if (value === 'true' || value === 'false') return value === 'true'
  if (/^\d+$/.test(value)) return Number(value)
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (list.length === 0 || !list.every((s) => /^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(s))) {
    ctx.addIssue({ code: 'custom', message: 'expected true, false, a hop count, or comma-separated IP addresses/CIDRs' })
    return z.NEVER
  }
  return list
})

/** Environment variables the service reads, with their defaults. */
export const configSchema = z.object({
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: integer(0, 65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: integer(1024, 1024 * MEBIBYTE).default(20 * MEBIBYTE),
  MAX_INPUT_PIXELS: integer(1, 1_000_000_000).default(PIPELINE_CONFIG.decode.maxInputPixels),
  MAX_IMAGE_SIDE: integer(1, 1_000_000_000).default(IMAGE_SHAPE_DEFAULTS.maxImageSide),
  MAX_ASPECT_RATIO: integer(1, 1_000_000_000).default(IMAGE_SHAPE_DEFAULTS.maxAspectRatio),
  BODY_TIMEOUT_MS: integer(100, 3_600_000).default(DEFAULT_BODY_TIMEOUT_MS),
  UPLOADS_LIMIT_BYTES: integer(1024, 1024 * 1024 * MEBIBYTE).optional(),
  TRUST_PROXY: trustProxy.default(false),
  REQUEST_TIMEOUT_MS: integer(100, 600_000).default(30_000),
  WORKERS: integer(1, 256).optional(),
  QUEUE_LIMIT: integer(0, 10_000).optional(),
  ORT_THREADS: integer(1, 64).default(1),
  SHUTDOWN_GRACE_MS: integer(0, 600_000).default(10_000),
})

/** The validated configuration. */
export interface ServiceConfig {
  readonly host: string
  readonly port: number
  readonly logLevel: z.output<typeof configSchema>['LOG_LEVEL']
  readonly bodyLimitBytes: number
  readonly maxInputPixels: number
  /** Longest side of an image in pixels, checked from the header before decoding. */
  readonly maxImageSide: number
  /** Largest ratio of an image's longer side to its shorter, checked from the header before decoding. */
  readonly maxAspectRatio: number
  /** Time a client gets to send a request's whole body; past it, 408 and the connection is closed. */
  readonly bodyTimeoutMs: number
  /** Bytes of request bodies being received at once (by Content-Length); beyond it, 503 before reading. */
  readonly uploadsLimitBytes: number
  readonly trustProxy: boolean | number | string[]
  readonly requestTimeoutMs: number
  /** Recognition worker threads; default one per available CPU. */
  readonly workers: number
  /** Requests that may wait for a worker before new ones are turned away with 503. */
  readonly queueLimit: number
  /** onnxruntime threads per worker. */
  readonly ortThreads: number
  readonly shutdownGraceMs: number
}

/** Thrown when the environment holds a bad value; the message names each variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

/** Waiting requests allowed per worker when `QUEUE_LIMIT` is not set. */
const DEFAULT_QUEUE_PER_WORKER = 4

/**
 * Reads and validates the configuration from environment variables.
 *
 * @throws ConfigError listing every bad variable
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServiceConfig {
  const known = Object.fromEntries(Object.keys(configSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]))
  const parsed = configSchema.safeParse(known)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}=${JSON.stringify(env[String(i.path[0])])}: ${i.message}`)
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const c = parsed.data
  if (c.UPLOADS_LIMIT_BYTES !== undefined && c.UPLOADS_LIMIT_BYTES < c.BODY_LIMIT_BYTES) {
    throw new ConfigError(
      `Invalid configuration:\n  UPLOADS_LIMIT_BYTES=${JSON.stringify(env.UPLOADS_LIMIT_BYTES)}: must be at least BODY_LIMIT_BYTES (${c.BODY_LIMIT_BYTES})`,
    )
  }
  const workers = c.WORKERS ?? availableCpus()
  return {
    host: c.HOST,
    port: c.PORT,
    logLevel: c.LOG_LEVEL,
    bodyLimitBytes: c.BODY_LIMIT_BYTES,
    maxInputPixels: c.MAX_INPUT_PIXELS,
    maxImageSide: c.MAX_IMAGE_SIDE,
    maxAspectRatio: c.MAX_ASPECT_RATIO,
    bodyTimeoutMs: c.BODY_TIMEOUT_MS,
    uploadsLimitBytes: c.UPLOADS_LIMIT_BYTES ?? c.BODY_LIMIT_BYTES * DEFAULT_UPLOADS_IN_BODY_LIMITS,
    trustProxy: c.TRUST_PROXY,
    requestTimeoutMs: c.REQUEST_TIMEOUT_MS,
    workers,
    queueLimit: c.QUEUE_LIMIT ?? workers * DEFAULT_QUEUE_PER_WORKER,
    ortThreads: c.ORT_THREADS,
    shutdownGraceMs: c.SHUTDOWN_GRACE_MS,
  }
}

/**
 * CPUs this process may use: the smaller of the CPUs it may run on and the container's CPU quota
 * (cgroup v2 `cpu.max`, or v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us`), at least 1. Node's
 * `availableParallelism()` alone does not see a `docker run --cpus` limit.
 */
export function availableCpus(readText: (path: string) => string | undefined = readIfPresent): number {
  let cpus = availableParallelism()
  const v2 = readText('/sys/fs/cgroup/cpu.max')?.trim().split(/\s+/)
  if (v2 && v2[0] !== 'max' && Number(v2[0]) > 0 && Number(v2[1]) > 0) cpus = Math.min(cpus, Number(v2[0]) / Number(v2[1]))
  const quota = Number(readText('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'))
  const period = Number(readText('/sys/fs/cgroup/cpu/cpu.cfs_period_us'))
  if (quota > 0 && period > 0) cpus = Math.min(cpus, quota / period)
  return Math.max(1, Math.floor(cpus))
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}
