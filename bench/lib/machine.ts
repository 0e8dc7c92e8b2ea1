/**
 * What a benchmark result depends on besides the code: the machine, how busy it was, and the
 * version of everything measured.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { DEFAULT_MODEL, shippedModel } from '../../src/classifier/registry.js'
import { repoRoot } from './data.js'

/** The machine a run was made on. */
export interface MachineInfo {
  readonly cpuModel: string
  /** Logical CPUs this process may use (cgroup and affinity aware). */
  readonly cores: number
  readonly memoryGiB: number
  readonly kernel: string
}

/** Describes this machine. */
export function machineInfo(): MachineInfo {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
  }
}

/** The 1-, 5- and 15-minute load averages now. */
export const loadAverages = (): [number, number, number] => loadavg() as [number, number, number]

/** Gap between two samples of the load average during a run. */
export const LOAD_SAMPLE_INTERVAL_MS = 10_000

/**
 * Samples the 1-minute load average while a run goes on, so the report can say how busy the
 * machine was throughout (the benchmark itself adds about one).
 */
export class LoadSampler {
  readonly samples: number[] = []
  readonly #timer: NodeJS.Timeout

  constructor() {
    this.samples.push(loadavg()[0])
    this.#timer = setInterval(() => this.samples.push(loadavg()[0]), LOAD_SAMPLE_INTERVAL_MS)
    // Sampling must never keep the process alive.
    this.#timer.unref()
  }

  /** Stops sampling and returns the samples. */
  stop(): number[] {
    clearInterval(this.#timer)
    this.samples.push(loadavg()[0])
    return this.samples
  }
}

/**
 * The version of an installed npm package as seen from `fromDir`: found the way Node resolves it,
 * in the nearest `node_modules` going up (so a nested copy is found before the top-level one).
 *
 * @returns the version, or undefined when the package is not installed
 */
export function packageVersion(name: string, fromDir: string = repoRoot): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const manifest = join(dir, 'node_modules', name, 'package.json')
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
    if (dirname(dir) === dir) return undefined
  }
}

/** Where an installed package lives, searched like {@link packageVersion}. */
export function packageDir(name: string, fromDir: string = repoRoot): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return candidate
    if (dirname(dir) === dir) return undefined
  }
}

/** Versions of everything the comparison runs. */
export interface Versions {
  readonly node: string
  readonly scrawl: string
  /** scrawl's default model: name, creation time from its card, and the ONNX file's hash. */
  readonly scrawlModel: string
  readonly tesseract: string
  readonly gutenyeOcrNode: string
  readonly onnxruntimeNode: string
  /** onnxruntime-node as @gutenye/ocr-node resolves it (a nested copy when its range excludes ours). */
  readonly onnxruntimeNodeForPaddle: string
  readonly sharp: string
  /** sharp as @gutenye/ocr-node resolves it. */
  readonly sharpForPaddle: string
  readonly libvips: string
}

/** The first line `tesseract --version` prints, e.g. `tesseract 5.3.0`; "not installed" without it. */
export function tesseractVersion(): string {
  try {
    return execFileSync('tesseract', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      .split('\n')[0]
      .trim()
  } catch {
    return 'not installed'
  }
}

/**
 * Names scrawl's default model as the server reports it (the first 12 hex digits of the ONNX
 * file's SHA-256), with the creation time from its card, since models are retrained.
 */
export function defaultModelLabel(): string {
  const { cardPath } = shippedModel(DEFAULT_MODEL)
  const card = JSON.parse(readFileSync(cardPath, 'utf8')) as { name: string; file: string; created?: string }
  const hash = createHash('sha256')
    .update(readFileSync(join(dirname(cardPath), card.file)))
    .digest('hex')
    .slice(0, 12)
  return `${card.name} ${hash}${card.created ? `, created ${card.created}` : ''}`
}

/** Collects {@link Versions}. */
export async function versions(): Promise<Versions> {
  const missing = 'not installed'
  const paddleDir = packageDir('@gutenye/ocr-node')
  const sharp = (await import('sharp')).default
  return {
    node: process.version,
    scrawl: (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version,
    scrawlModel: defaultModelLabel(),
    tesseract: tesseractVersion(),
    gutenyeOcrNode: packageVersion('@gutenye/ocr-node') ?? missing,
    onnxruntimeNode: packageVersion('onnxruntime-node') ?? missing,
    onnxruntimeNodeForPaddle: (paddleDir && packageVersion('onnxruntime-node', paddleDir)) ?? missing,
    sharp: packageVersion('sharp') ?? missing,
    sharpForPaddle: (paddleDir && packageVersion('sharp', paddleDir)) ?? missing,
    libvips: sharp.versions.vips,
  }
}
