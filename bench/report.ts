/**
 * Turns the benchmark's measurements into Markdown: the machine and versions, the targets, accuracy
 * per set, latency per image, where scrawl's time goes, HTTP throughput, memory, and scaling.
 */
import {
  addCounts,
  characterAccuracy,
  comparableCharacters,
  compareTexts,
  wordAccuracy,
  type AccuracyCounts,
} from '../src/evaluation/metrics.js'
import { imageKey, type Comparison, type ComparedImage, type EngineOutcome } from './compare.js'
import type { EngineName, ImageMeasurement } from './engines/engine.js'
import { BLANK_LABEL } from './lib/images.js'
import { LOAD_SAMPLE_INTERVAL_MS, type MachineInfo, type Versions } from './lib/machine.js'
import { median, spread } from './lib/stats.js'
import type { Scaling, ScaledMeasurement } from './scaling.js'
import type { Throughput } from './throughput.js'

/** Everything one benchmark run produced. */
export interface BenchResults {
  /** When the run started (ISO 8601). */
  readonly startedAt: string
  readonly durationS: number
  readonly machine: MachineInfo
  readonly loadAtStart: readonly number[]
  readonly loadAtEnd: readonly number[]
  /** The 1-minute load average sampled through the run. */
  readonly loadSamples: readonly number[]
  readonly versions: Versions
  readonly comparison: Comparison
  readonly scaling?: Scaling
  readonly throughput?: Throughput
  /** `set/name` of the photo the speed targets are judged on (the 12 MP one). */
  readonly targetImage?: string
}

/** The targets the issue sets for scrawl. */
export const TARGETS = {
  /** scrawl at least this many times faster than PaddleOCR on the 12 MP photo. */
  fasterThanPaddle: 10,
  /** … and than Tesseract (issues 12 and 13: "still ≥ 10× faster than Tesseract on the 12 MP photo"). */
  fasterThanTesseract: 10,
  /** scrawl's end-to-end time at most this multiple of sharp's decode of the same photo. */
  decodeFloorMultiple: 2.5,
} as const

/** Engine names as people know them. */
const ENGINE_LABEL: Record<EngineName, string> = { scrawl: 'scrawl', tesseract: 'Tesseract', paddle: 'PaddleOCR', baseline: 'runner alone' }
/** Peer engines, in table order. */
const PEERS: readonly EngineName[] = ['tesseract', 'paddle']
/** Shown where there is no figure. */
const NONE = '—'

// ---------------------------------------------------------------- formatting

/** Milliseconds with as many digits as mean something at that size. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return NONE
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`
  if (ms >= 100) return `${Math.round(ms)} ms`
  if (ms >= 10) return `${ms.toFixed(1)} ms`
  return `${ms.toFixed(2)} ms`
}
const formatPercent = (fraction: number): string => (Number.isFinite(fraction) ? `${(fraction * 100).toFixed(1)} %` : NONE)
const formatRatio = (ratio: number): string => (Number.isFinite(ratio) ? `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}×` : NONE)
const formatMiB = (kib: number): string => (kib > 0 ? `${Math.round(kib / 1024)} MiB` : NONE)
const formatMegapixels = (width: number, height: number): string => ((width * height) / 1e6).toFixed(1)
/**
 * A Markdown table. Figures are right-aligned so digits line up; the first column (and any column
 * listed in `textColumns`) is left-aligned.
 */
const table = (header: readonly string[], rows: ReadonlyArray<readonly string[]>, textColumns: readonly number[] = [0]): string =>
  [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (textColumns.includes(i) ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n')

// ---------------------------------------------------------------- lookups

const outcomeOf = (c: Comparison, engine: EngineName): EngineOutcome | undefined => c.outcomes.find((o) => o.engine === engine)
const measurementOf = (c: Comparison, engine: EngineName, image: ComparedImage): ImageMeasurement | undefined =>
  outcomeOf(c, engine)?.byImage.get(imageKey(image.set, image.name))
const medianLatency = (m: ImageMeasurement | undefined): number => (m && !m.error ? median(m.latencyMs) : Number.NaN)

/** An engine's median time on the blank image: what every call costs it whatever the image. */
const fixedCost = (c: Comparison, engine: EngineName): number => {
  const blank = outcomeOf(c, engine)?.blank
  return blank && !blank.error ? median(blank.latencyMs) : Number.NaN
}

/** The accuracy counts of one engine on one image; an image the engine failed on counts as read empty. */
function countsOf(c: Comparison, engine: EngineName, image: ComparedImage): AccuracyCounts | undefined {
  const m = measurementOf(c, engine, image)
  if (!m) return undefined
  return compareTexts(m.error ? '' : m.text, image.truth)
}

/** Summed counts of one engine over a set (undefined when the engine did not run). */
function setCounts(c: Comparison, engine: EngineName, set: string): AccuracyCounts | undefined {
  let total: AccuracyCounts | undefined
  for (const image of c.images.filter((i) => i.set === set)) {
    const counts = countsOf(c, engine, image)
    if (!counts) return undefined
    total = total ? addCounts(total, counts) : counts
  }
  return total
}

// ---------------------------------------------------------------- targets

/** One target and whether it was met. */
export interface TargetCheck {
  readonly target: string
  readonly measured: string
  /** Undefined when it could not be measured in this run. */
  readonly met: boolean | undefined
}

/** Judges each of {@link TARGETS} and the accuracy target on this run's numbers. */
export function checkTargets(r: BenchResults): TargetCheck[] {
  const c = r.comparison
  const checks: TargetCheck[] = []
  const target = r.targetImage ? c.images.find((i) => imageKey(i.set, i.name) === r.targetImage) : undefined
  const scrawlOnTarget = target ? medianLatency(measurementOf(c, 'scrawl', target)) : Number.NaN
  const targetLabel = target ? `${target.name}, ${formatMegapixels(target.width, target.height)} MP` : 'the 12 MP photo (absent)'
  for (const [engine, factor] of [
    ['paddle', TARGETS.fasterThanPaddle],
    ['tesseract', TARGETS.fasterThanTesseract],
  ] as const) {
    const peer = target ? medianLatency(measurementOf(c, engine, target)) : Number.NaN
    const ratio = peer / scrawlOnTarget
    checks.push({
      target: `≥ ${factor}× faster than ${ENGINE_LABEL[engine]} on the 12 MP photo`,
      measured: Number.isFinite(ratio)
        ? `${ENGINE_LABEL[engine]} ${formatMs(peer)} ÷ scrawl ${formatMs(scrawlOnTarget)} = ${formatRatio(ratio)} (${targetLabel}, medians)`
        : `not measured`,
      met: Number.isFinite(ratio) ? ratio >= factor : undefined,
    })
  }
  const floorRatios = c.images
    .map((image) => {
      const m = measurementOf(c, 'scrawl', image)
      return { image, ratio: m && !m.error ? median(m.latencyMs) / median(m.decodeFloorMs) : Number.NaN }
    })
    .filter((x) => Number.isFinite(x.ratio))
  // Judged twice: on the 12 MP photo the other speed targets name, and on every image, since the
  // target itself names no photo.
  const onTarget = floorRatios.find((x) => x.image === target)
  checks.push({
    target: `end to end within ${TARGETS.decodeFloorMultiple}× of sharp's decode, on the 12 MP photo`,
    measured: onTarget
      ? `scrawl ${formatMs(median(measurementOf(c, 'scrawl', onTarget.image)!.latencyMs))} ÷ decode ${formatMs(median(measurementOf(c, 'scrawl', onTarget.image)!.decodeFloorMs))} = ${formatRatio(onTarget.ratio)} (${targetLabel})`
      : 'not measured',
    met: onTarget ? onTarget.ratio <= TARGETS.decodeFloorMultiple : undefined,
  })
  const within = floorRatios.filter((x) => x.ratio <= TARGETS.decodeFloorMultiple)
  const best = floorRatios.reduce((a, b) => (b.ratio < a.ratio ? b : a), floorRatios[0])
  const worst = floorRatios.reduce((a, b) => (b.ratio > a.ratio ? b : a), floorRatios[0])
  checks.push({
    target: `end to end within ${TARGETS.decodeFloorMultiple}× of sharp's decode, on every image`,
    measured:
      floorRatios.length === 0
        ? 'not measured'
        : `${within.length} of ${floorRatios.length} images within ${TARGETS.decodeFloorMultiple}×; from ${formatRatio(best.ratio)} (${best.image.name}) to ${formatRatio(worst.ratio)} (${worst.image.name}): ` +
          `small images cost scrawl a fixed ${formatMs(fixedCost(c, 'scrawl'))} (its time on a ${BLANK_LABEL}) that their decode does not`,
    met: floorRatios.length === 0 ? undefined : within.length === floorRatios.length,
  })
  for (const set of c.sets) {
    const scrawl = setCounts(c, 'scrawl', set.name)
    const peers = PEERS.map((engine) => ({ engine, counts: setCounts(c, engine, set.name) })).filter((p) => p.counts)
    const beats = (p: { counts?: AccuracyCounts }): boolean =>
      !!scrawl && !!p.counts && characterAccuracy(scrawl) > characterAccuracy(p.counts) && wordAccuracy(scrawl) > wordAccuracy(p.counts)
    const describe = (label: string, counts: AccuracyCounts | undefined): string =>
      counts ? `${label} ${formatPercent(characterAccuracy(counts))} / ${formatPercent(wordAccuracy(counts))}` : `${label} ${NONE}`
    checks.push({
      target: `more accurate than both on ${set.name} (characters and words)`,
      measured: [describe('scrawl', scrawl), ...peers.map((p) => describe(ENGINE_LABEL[p.engine], p.counts))].join('; '),
      met: scrawl && peers.length === PEERS.length ? peers.every(beats) : undefined,
    })
  }
  return checks
}

// ---------------------------------------------------------------- sections

function headerSection(r: BenchResults): string {
  const m = r.machine,
    v = r.versions,
    c = r.comparison
  const load = (l: readonly number[]): string => l.map((x) => x.toFixed(2)).join(' / ')
  const engines = c.outcomes.map((o) => `- **${ENGINE_LABEL[o.engine]}**: ${o.result.description}`)
  for (const s of c.skipped) engines.push(`- **${ENGINE_LABEL[s.engine]}**: not run: ${s.reason}`)
  return [
    `Measured ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC (${Math.round(r.durationS / 60)} min) on ${m.cpuModel}, ${m.cores} CPUs, ${m.memoryGiB} GiB RAM, Linux ${m.kernel}. ` +
      `Load average (1 / 5 / 15 min) ${load(r.loadAtStart)} at the start, ${load(r.loadAtEnd)} at the end; ` +
      `the 1-minute load sampled every ${LOAD_SAMPLE_INTERVAL_MS / 1000} s through the run (the benchmark's own work counts in it: about 1 to 2, and 3 during the HTTP load): ` +
      `median ${median(r.loadSamples).toFixed(2)}, range ${Math.min(...r.loadSamples).toFixed(2)}–${Math.max(...r.loadSamples).toFixed(2)}.`,
    '',
    `Versions: Node ${v.node}; scrawl ${v.scrawl} (model ${v.scrawlModel}); ${v.tesseract} (Debian \`tesseract-ocr\`, \`tesseract-ocr-eng\`); ` +
      `@gutenye/ocr-node ${v.gutenyeOcrNode} (with onnxruntime-node ${v.onnxruntimeNodeForPaddle}, sharp ${v.sharpForPaddle}); onnxruntime-node ${v.onnxruntimeNode}; sharp ${v.sharp} (libvips ${v.libvips}).`,
    '',
    `Method: the same files for every engine; ${c.counts.warmupRuns} untimed warm-up reading${c.counts.warmupRuns === 1 ? '' : 's'} and then ${c.counts.runs} timed ones per image; ` +
      'median and 95th percentile (nearest rank) of the timed ones. Each engine runs alone, in a child process of its own, one engine after the other; ' +
      'scrawl and PaddleOCR are warm in-process libraries given the bytes, Tesseract is its command line, started once per image as a user would. ' +
      "Accuracy is `scrawl eval`'s metric (`compareTexts`: upper-cased, letters and digits only; words are the share of true words found). " +
      `Every engine keeps its default threading on this ${m.cores}-CPU machine.` +
      (c.counts.runs < 20 ? ` With ${c.counts.runs} timed runs the nearest-rank p95 is the slowest run.` : ''),
    '',
    ...engines,
  ].join('\n')
}

function targetsSection(r: BenchResults): string {
  const rows = checkTargets(r).map((t) => [t.target, t.measured, t.met === undefined ? 'not measured' : t.met ? '**met**' : '**missed**'])
  return `#### Targets\n\n${table(['target', 'measured', 'result'], rows, [0, 1, 2])}`
}

function accuracySection(c: Comparison): string {
  const engines = (['scrawl', ...PEERS] as EngineName[]).filter((e) => outcomeOf(c, e))
  const header = ['image', 'MP', ...engines.flatMap((e) => [`${ENGINE_LABEL[e]} characters`, `${ENGINE_LABEL[e]} words`])]
  const cells = (counts: AccuracyCounts | undefined, failed = false): string[] =>
    counts
      ? [failed ? 'failed' : formatPercent(characterAccuracy(counts)), failed ? 'failed' : formatPercent(wordAccuracy(counts))]
      : [NONE, NONE]
  const sections = c.sets.map((set) => {
    const images = c.images.filter((i) => i.set === set.name)
    const rows = images.map((image) => [
      image.name,
      formatMegapixels(image.width, image.height),
      ...engines.flatMap((e) => cells(countsOf(c, e, image), !!measurementOf(c, e, image)?.error)),
    ])
    rows.push([`**all ${images.length}**`, '', ...engines.flatMap((e) => cells(setCounts(c, e, set.name)).map((x) => `**${x}**`))])
    return `#### Accuracy: ${set.name} (\`${set.label}\`)\n\n${table(header, rows)}`
  })
  return sections.join('\n\n')
}

function readingsSection(c: Comparison): string {
  const engines = (['scrawl', ...PEERS] as EngineName[]).filter((e) => outcomeOf(c, e))
  const lines = [`<details><summary>What each engine read</summary>\n`]
  for (const image of c.images) {
    lines.push(`**${image.set}/${image.name}** (truth: \`${image.truth.replace(/\n/g, ' / ')}\`)\n`)
    for (const e of engines) {
      const m = measurementOf(c, e, image)
      const text = m?.error
        ? `failed: ${m.error}`
        : (m?.text ?? '')
            .split('\n')
            .map((l) => l.trim())
            .filter((l) => l)
            .join(' / ')
      lines.push(`- ${ENGINE_LABEL[e]}: \`${text.replace(/`/g, "'")}\``)
    }
    lines.push('')
  }
  lines.push('</details>')
  return lines.join('\n')
}

function latencySection(c: Comparison): string {
  const peers = PEERS.filter((e) => outcomeOf(c, e))
  const header = [
    'image',
    'MP',
    'sharp decode (floor)',
    'scrawl median',
    'scrawl p95',
    'scrawl ÷ floor',
    ...peers.flatMap((e) => [`${ENGINE_LABEL[e]} median`, `${ENGINE_LABEL[e]} p95`, `${ENGINE_LABEL[e]} ÷ scrawl`]),
  ]
  const rows = c.images.map((image) => {
    const s = measurementOf(c, 'scrawl', image)
    const scrawl = s && !s.error ? spread(s.latencyMs) : { median: Number.NaN, p95: Number.NaN }
    const floor = s ? median(s.decodeFloorMs) : Number.NaN
    return [
      `${image.set}/${image.name}`,
      formatMegapixels(image.width, image.height),
      formatMs(floor),
      formatMs(scrawl.median),
      formatMs(scrawl.p95),
      formatRatio(scrawl.median / floor),
      ...peers.flatMap((e) => {
        const m = measurementOf(c, e, image)
        if (!m || m.error) return ['failed', NONE, NONE]
        const p = spread(m.latencyMs)
        return [formatMs(p.median), formatMs(p.p95), formatRatio(p.median / scrawl.median)]
      }),
    ]
  })
  return `#### Latency per image (wall time of one reading)\n\n${table(header, rows)}`
}

function enginesSection(c: Comparison): string {
  const header = [
    'engine',
    'start (load models)',
    `fixed cost per call (${BLANK_LABEL}), median`,
    `all ${c.images.length} images once: wall`,
    'CPU (user + system)',
    'peak RSS',
  ]
  const rows = c.outcomes.map((o) => {
    const measured = c.images.map((i) => o.byImage.get(imageKey(i.set, i.name))).filter((m): m is ImageMeasurement => !!m && !m.error)
    const wall = measured.reduce((s, m) => s + median(m.latencyMs), 0)
    const cpu = measured.reduce((s, m) => s + median(m.cpuMs), 0)
    const failed = c.images.length - measured.length
    return [
      ENGINE_LABEL[o.engine],
      o.engine === 'tesseract' ? 'every call (in the fixed cost)' : formatMs(o.result.startMs),
      formatMs(fixedCost(c, o.engine)),
      `${formatMs(wall)}${failed ? ` (${failed} failed)` : ''}`,
      `${formatMs(cpu)} (${formatRatio(cpu / wall)} wall)`,
      formatMiB(o.result.peakRssKiB),
    ]
  })
  rows.push([`Node + tsx runner alone`, NONE, NONE, NONE, NONE, formatMiB(c.baseline.peakRssKiB)])
  return (
    `#### Engines: start, fixed cost, CPU and memory\n\n${table(header, rows)}\n\n` +
    "Sums are of per-image medians. Peak RSS is the engine process's high-water mark (`maxRSS`) over all images: " +
    'for scrawl and PaddleOCR the whole runner process, whose bare size is the last row; for Tesseract the largest of its ' +
    "processes (GNU `time`). Tesseract's fixed cost is a process start plus loading `eng.traineddata`, paid on every image."
  )
}

function stagesSection(c: Comparison): string {
  const scrawl = outcomeOf(c, 'scrawl')
  if (!scrawl) return ''
  const stages = [...new Set(c.images.flatMap((i) => Object.keys(scrawl.byImage.get(imageKey(i.set, i.name))?.stagesMs ?? {})))]
  const rows = c.images.map((image) => {
    const m = scrawl.byImage.get(imageKey(image.set, image.name))
    if (!m || m.error) return [`${image.set}/${image.name}`, NONE, NONE, ...stages.map(() => NONE)]
    return [
      `${image.set}/${image.name}`,
      formatMs(median(m.decodeFloorMs)),
      formatMs(median(m.latencyMs)),
      ...stages.map((s) => formatMs(median(m.stagesMs[s] ?? []))),
    ]
  })
  return (
    `#### Where scrawl's time goes (medians per stage)\n\n${table(['image', 'sharp decode (floor)', 'scrawl total', ...stages], rows)}\n\n` +
    "`decode` is scrawl's own decode (sharp: EXIF rotation and resizing to the 1.2 MP working size), the floor column sharp's plain full decode of the same bytes; " +
    '`background` … `layout` find the letters, `normalize` and `classify` read them (one batched onnxruntime run), `context` assembles the text.'
  )
}

function throughputSection(t: Throughput): string {
  const rows = t.levels.map(({ concurrency, report }) => {
    const others = Object.entries(report.statuses)
      .filter(([status]) => status !== '200')
      .map(([s, n]) => `${n}× ${s}`)
      .join(', ')
    return [
      String(concurrency),
      String(report.requests),
      String(report.statuses[200] ?? 0),
      others || '0',
      String(report.networkErrors),
      formatMs(report.p50),
      formatMs(report.p99),
      report.throughput.toFixed(2),
    ]
  })
  return (
    `#### scrawl over HTTP: throughput\n\n` +
    `The built server (\`dist/bin/server.js\`, default settings: one worker per CPU, ${t.cpus} here), ${t.image} POSTed back to back for ${t.durationMs / 1000} s per level on loopback after a warm-up. ` +
    `Server peak RSS over the whole run: ${formatMiB(t.serverPeakRssKiB)}.\n\n` +
    table(['concurrency', 'requests', '200', 'other statuses', 'network errors', 'p50', 'p99', 'images/s'], rows)
  )
}

function sizeScalingSection(s: Scaling): string {
  const rows = s.bySize.map(({ image, measurement: m }) => {
    const total = spread(m.latencyMs),
      floor = median(m.decodeFloorMs)
    const counts = compareTexts(m.text, image.truth)
    return [
      image.name,
      `${image.width}×${image.height}`,
      formatMs(floor),
      formatMs(total.median),
      formatMs(total.p95),
      formatRatio(total.median / floor),
      formatMs(median(m.stagesMs.decode ?? [])),
      formatMs(total.median - median(m.stagesMs.decode ?? [])),
      m.error ? 'failed' : formatPercent(characterAccuracy(counts)),
    ]
  })
  return (
    `#### scrawl as the photo grows\n\n${s.sizeSource} resized (lanczos3, JPEG quality 90; the 12 MP row is the original file).\n\n` +
    table(
      [
        'copy',
        'pixels',
        'sharp decode (floor)',
        'scrawl median',
        'scrawl p95',
        'scrawl ÷ floor',
        'decode stage',
        'everything after decode',
        'characters right',
      ],
      rows,
    ) +
    `\n\n${growth(s.bySize, 'pixels')}`
  )
}

function letterScalingSection(s: Scaling): string {
  const rows = s.byLetters.map(({ image, measurement: m }) => {
    const total = spread(m.latencyMs)
    const letters = comparableCharacters(image.truth).length
    const read = comparableCharacters(m.text).length
    const reading = median(m.stagesMs.normalize ?? []) + median(m.stagesMs.classify ?? [])
    return [
      image.name,
      String(image.copies ?? 1),
      formatMegapixels(image.width, image.height),
      String(letters),
      String(read),
      m.error ? 'failed' : formatPercent(characterAccuracy(compareTexts(m.text, image.truth))),
      formatMs(median(m.decodeFloorMs)),
      formatMs(total.median),
      formatMs(total.p95),
      formatMs(reading),
      formatMs(total.median / Math.max(read, 1)),
    ]
  })
  return (
    `#### scrawl as the letters on the page grow\n\n${s.tileSource} tiled 1, 2, 4 and 8 times on one page (columns × rows), letters keeping their size on the page; ` +
    'every page is re-encoded (JPEG quality 90), so even the 1×1 page is not byte for byte the fixture.\n\n' +
    table(
      [
        'page',
        'copies',
        'MP',
        'letters written',
        'letters read',
        'characters right',
        'sharp decode (floor)',
        'scrawl median',
        'scrawl p95',
        'normalize + classify',
        'ms per letter read',
      ],
      rows,
    ) +
    `\n\n${growth(s.byLetters, 'letters')}`
  )
}

/** One sentence on how the median grows from the first row to the last. */
function growth(rows: readonly ScaledMeasurement[], what: 'pixels' | 'letters'): string {
  const first = rows[0],
    last = rows.at(-1)
  if (!first || !last) return ''
  const size = (r: ScaledMeasurement): number =>
    what === 'pixels' ? r.image.width * r.image.height : comparableCharacters(r.image.truth).length
  const timeGrowth = median(last.measurement.latencyMs) / median(first.measurement.latencyMs)
  const floorGrowth = median(last.measurement.decodeFloorMs) / median(first.measurement.decodeFloorMs)
  return `From the first row to the last, ${what} grow ${formatRatio(size(last) / size(first))}, scrawl's median time ${formatRatio(timeGrowth)}, sharp's decode ${formatRatio(floorGrowth)}.`
}

/** The whole generated Markdown (what goes between the README's markers). */
export function renderReport(r: BenchResults): string {
  const c = r.comparison
  const sections = [
    headerSection(r),
    targetsSection(r),
    accuracySection(c),
    readingsSection(c),
    latencySection(c),
    enginesSection(c),
    stagesSection(c),
  ]
  if (r.throughput) sections.push(throughputSection(r.throughput))
  if (r.scaling) sections.push(sizeScalingSection(r.scaling), letterScalingSection(r.scaling))
  return sections.filter((s) => s).join('\n\n')
}
