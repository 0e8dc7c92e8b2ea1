/**
 * `npm run bench`: scrawl beside Tesseract and PaddleOCR on the same images in one run (accuracy,
 * latency, memory), scrawl's HTTP throughput, and how scrawl scales with pixels and letters.
 * Markdown on stdout, progress on stderr; `--write-readme` also rewrites README.md's section.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { engineOutcome, imageKey, runComparison, type Comparison } from './compare.js'
import { ENGINE_NAMES, type EngineName, type EngineRunResult } from './engines/engine.js'
import { IMAGE_SET_DIRS, loadImageSet, repoRoot, type ImageSet } from './lib/data.js'
import { LoadSampler, loadAverages, machineInfo, versions } from './lib/machine.js'
import { Progress } from './lib/progress.js'
import { writeReadmeSection } from './lib/readme.js'
import { renderReport, type BenchResults } from './report.js'
import { runScaling, type Scaling, type ScalingSource } from './scaling.js'
import { runThroughput, type Throughput } from './throughput.js'

const USAGE = `Usage: npm run bench -- [options]

  --runs N            timed readings per image (default 10; the README needs at least 10)
  --warmup N          untimed readings per image first (default 1)
  --load-seconds S    HTTP load per concurrency level (default 15)
  --engines LIST      comma-separated, of scrawl,tesseract,paddle (default all)
  --sets LIST         comma-separated, of ${Object.keys(IMAGE_SET_DIRS).join(',')} (default all present)
  --no-throughput     skip the HTTP throughput run
  --no-scaling        skip the pixel and letter scaling runs
  --json FILE         also write every measurement as JSON
  --from-json FILE    measure nothing: render (and with --write-readme, write) a saved --json run
  --write-readme      rewrite README.md between <!-- bench:start --> and <!-- bench:end -->
  -h, --help          this text
`

/** The README's numbers must be medians of at least this many runs. */
const MIN_README_RUNS = 10
/** The photo the speed targets are about (12 MP), and the size-scaling source. */
const TARGET_PHOTO = { set: 'samples', name: '04_deep.jpg' }
/** Size-scaling source when the samples are absent: the largest fixture (8 MP). */
const FALLBACK_PHOTO = { set: 'fixtures', name: '06_meeting.jpg' }
/** The note tiled for the letter-count scaling: small (0.8 MP), so eight copies stay a phone photo's size. */
const TILED_NOTE = { set: 'fixtures', name: '05_quote.jpg' }

function parseList<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T[] | undefined {
  if (value === undefined) return undefined
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s)
  const unknown = items.filter((s) => !allowed.includes(s as T))
  if (unknown.length) throw new Error(`unknown ${what}: ${unknown.join(', ')} (choose from ${allowed.join(', ')})`)
  return items as T[]
}

function positiveInteger(value: string, name: string, minimum: number): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < minimum) throw new Error(`--${name} takes a whole number ≥ ${minimum}`)
  return n
}

/** Finds a set's image with its true lines. */
function sourceFrom(sets: ImageSet[], wanted: { set: string; name: string }): ScalingSource | undefined {
  const image = sets.find((s) => s.name === wanted.set)?.images.find((i) => i.name === wanted.name)
  return image && { label: `${wanted.set}/${wanted.name}`, path: image.path, truthLines: image.truth.split('\n') }
}

/** The JSON form of {@link BenchResults}: each engine's raw result instead of its lookup maps. */
type SavedResults = Omit<BenchResults, 'comparison'> & { comparison: Omit<Comparison, 'outcomes'> & { outcomes: EngineRunResult[] } }

function saveResults(path: string, results: BenchResults): void {
  const { outcomes, ...rest } = results.comparison
  const saved: SavedResults = { ...results, comparison: { ...rest, outcomes: outcomes.map((o) => o.result) } }
  writeFileSync(path, JSON.stringify(saved, null, 1))
}

function loadSavedResults(path: string): BenchResults {
  const saved = JSON.parse(readFileSync(path, 'utf8')) as SavedResults
  return { ...saved, comparison: { ...saved.comparison, outcomes: saved.comparison.outcomes.map(engineOutcome) } }
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '1' },
      'load-seconds': { type: 'string', default: '15' },
      engines: { type: 'string' },
      sets: { type: 'string' },
      'no-throughput': { type: 'boolean', default: false },
      'no-scaling': { type: 'boolean', default: false },
      json: { type: 'string' },
      'from-json': { type: 'string' },
      'write-readme': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    process.stdout.write(USAGE)
    return 0
  }
  if (values['from-json']) {
    const markdown = renderReport(loadSavedResults(values['from-json']))
    process.stdout.write(`${markdown}\n`)
    if (values['write-readme']) writeReadmeSection(join(repoRoot, 'README.md'), markdown)
    return 0
  }
  const counts = { runs: positiveInteger(values.runs, 'runs', 1), warmupRuns: positiveInteger(values.warmup, 'warmup', 0) }
  const loadSeconds = positiveInteger(values['load-seconds'], 'load-seconds', 1)
  if (values['write-readme'] && counts.runs < MIN_README_RUNS) throw new Error(`--write-readme needs --runs ${MIN_README_RUNS} or more`)
  const engines: EngineName[] = parseList(
    values.engines,
    ENGINE_NAMES.filter((e) => e !== 'baseline'),
    'engine',
  ) ?? ['scrawl', 'tesseract', 'paddle']
  if (!engines.includes('scrawl')) engines.unshift('scrawl')
  const setNames = parseList(values.sets, Object.keys(IMAGE_SET_DIRS), 'set') ?? Object.keys(IMAGE_SET_DIRS)

  const progress = new Progress()
  const startedAt = new Date().toISOString()
  const started = performance.now()
  const loadAtStart = loadAverages()
  const loadSampler = new LoadSampler()
  const machine = machineInfo()
  progress.log(`${machine.cpuModel}, ${machine.cores} CPUs; load average ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}`)
  if (loadAtStart[0] > machine.cores / 2) progress.log('warning: the machine is busy; timings will show it')

  const sets: ImageSet[] = []
  for (const name of setNames) {
    const set = loadImageSet(name, IMAGE_SET_DIRS[name])
    if (set) sets.push(set)
    else progress.log(`skipping set ${name}: ${IMAGE_SET_DIRS[name]} or its truth.json is absent`)
  }
  if (sets.length === 0) throw new Error('no image set is present')

  const tempDir = mkdtempSync(join(tmpdir(), 'scrawl-bench-'))
  try {
    const comparison = await runComparison(sets, engines, counts, tempDir, progress)
    const photo = sourceFrom(sets, TARGET_PHOTO) ?? sourceFrom(sets, FALLBACK_PHOTO)
    const note = sourceFrom(sets, TILED_NOTE)
    let scaling: Scaling | undefined
    if (!values['no-scaling']) {
      if (photo && note) scaling = await runScaling(photo, note, counts, tempDir, progress)
      else progress.log('skipping scaling: its source images are not among the sets read')
    }
    let throughput: Throughput | undefined
    if (!values['no-throughput'] && photo) {
      if (existsSync(join(repoRoot, 'dist', 'bin', 'server.js')))
        throughput = await runThroughput(photo.path, photo.label, loadSeconds * 1000, progress)
      else progress.log('skipping throughput: dist/bin/server.js is not built (npm run build)')
    }
    const results: BenchResults = {
      startedAt,
      durationS: (performance.now() - started) / 1000,
      machine,
      loadAtStart,
      loadAtEnd: loadAverages(),
      loadSamples: loadSampler.stop(),
      versions: await versions(),
      comparison,
      scaling,
      throughput,
      targetImage: imageKey(TARGET_PHOTO.set, TARGET_PHOTO.name),
    }
    const markdown = renderReport(results)
    process.stdout.write(`${markdown}\n`)
    if (values.json) saveResults(values.json, results)
    if (values['write-readme']) {
      writeReadmeSection(join(repoRoot, 'README.md'), markdown)
      progress.log('README.md: bench section rewritten')
    }
    progress.done()
    return 0
  } finally {
    rmSync(tempDir, { recursive: true, force: true })
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: Error) => {
    process.stderr.write(`bench: ${error.message}\n`)
    process.exitCode = 1
  },
)
