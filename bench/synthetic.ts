/**
 * Scores scrawl on the synthetic pages of `fixtures/generate/make_pages.py` (real handwriting the
 * classifier never trained on, with exact character boxes): letter segmentation precision, recall
 * and F1, line, word and character accuracy, overall and per page kind.
 *
 *   npm run -s bench:synthetic -- [--pages DIR] [--out FILE] [--limit N] [--variant JSON] [--engine NAME]
 *                                 [--model NAME] [--case-sensitive]
 *
 * `--variant` overrides parts of the configuration for an ablation, e.g. `'{"context":{"lmWeight":0}}'`.
 *
 * `--engine` scores another engine of the benchmark the same way, in this process: `tesseract`
 * (`bench/engines/tesseract.ts`; its hOCR symbol boxes are scored for segmentation, every symbol
 * counting as a read character) or `paddle` (`bench/engines/paddle.ts`; it reads whole lines and
 * gives no character boxes, so its segmentation is n/a). Default `scrawl`.
 *
 * `--model` reads with another shipped model (the reading option `model`: `cnn-mixed`, `mixed`, …).
 *
 * DIR defaults to `.cache/synth` (what `npm run synth:pages` writes), FILE to `DIR/score.json`
 * (`DIR/score-NAME.json` for another engine or model).
 *
 * Mixed-case pages (`npm run synth:pages:mixed`, `case: "mixed"` in boxes.json), or any pages with
 * `--case-sensitive`, are also scored the three ways `scrawl eval` scores (`EVAL_COMPARISONS`:
 * case-insensitive, case-sensitive, case-sensitive with punctuation: characters, words and lines), with
 * the recall of punctuation-mark boxes and the confusions of matched boxes (written → read: case,
 * mark, other). Upper-case pages without the option are scored and printed exactly as before.
 *
 * - Letter segmentation: every true letter or digit box is matched one-to-one to a read character box
 *   with IoU >= 0.5 (pairs taken greedily, best IoU first). Unmatched true letters are misses, unmatched
 *   read characters false alarms. A read character that matches a true punctuation mark (`.` `/` `:` `-`)
 *   is neither: today's classes have no such marks, and a reader that finds them is not wrong.
 * - Character and word accuracy: scrawl's own metric (`compareTexts` of `src/evaluation/metrics.ts`, what
 *   `scrawl eval` reports), summed over pages.
 * - Line accuracy: the share of true lines read exactly, compared as the metric compares words
 *   (upper-cased, punctuation removed): a true line counts when some read line, not already counted
 *   for another, has the same words in the same order.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Reader } from '../src/reading/reader.js'
import { PIPELINE_CONFIG } from '../src/pipeline/config.js'
import { withVariant } from './lib/variant.js'
import type { OcrResult } from '../src/reading/result.js'
import type { Engine } from './engines/engine.js'
import { addCounts, characterAccuracy, compareTexts, wordAccuracy, type AccuracyCounts } from '../src/evaluation/metrics.js'
import { Progress } from './lib/progress.js'
import {
  COMPARISON_NAMES,
  addComparisonCounts,
  addConfusions,
  characterGroup,
  emptyComparisonCounts,
  emptyConfusions,
  linesRight,
  scoreComparisons,
  topConfusions,
  type ComparisonCounts,
  type ComparisonName,
  type Confusions,
} from './lib/synthetic-scoring.js'
import { median } from '../src/pipeline/stroke.js'

/** A box as the truth and the reader give it: top-left pixel, width and height inclusive of the last pixel. */
interface Box {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}
interface TruthChar {
  readonly text: string
  readonly box: Box
  readonly source: string
  readonly flags: string[]
}
interface TruthPage {
  readonly width: number
  readonly height: number
  readonly kind: string
  readonly case?: 'upper' | 'mixed'
  readonly params: { readonly touching: number }
  readonly lines: Array<{ readonly text: string; readonly words: Array<{ readonly text: string; readonly chars: TruthChar[] }> }>
}
/** What the scorer needs from a reading: lines of text and every character's box. */

/** Pages where at least this share of the letters touch another are "crowded" in the spacing breakdown. */
const CROWDED_SHARE = 0.1

/** A read box counts as the same character at this IoU or more. */
const MATCH_IOU = 0.5
/** The characters that letter segmentation scores: the rest of the truth is punctuation. */
const isLetterOrDigit = (text: string): boolean => /^[A-Za-z0-9]$/.test(text)

/** Intersection over union of two boxes (inclusive pixel extents). */
function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  if (w <= 0 || h <= 0) return 0
  const inter = w * h
  return inter / (a.width * a.height + b.width * b.height - inter)
}

/** Counts behind segmentation precision and recall. */
interface SegmentationCounts {
  readonly truth: number
  readonly found: number
  readonly matched: number
}

/**
 * Matches true letters to read boxes one-to-one at IoU >= {@link MATCH_IOU}, best pairs first.
 *
 * @returns the counts, the indices of the true chars that were matched (for the per-flag recall), and every
 *   matched pair (true char index, read box index), punctuation included
 */
function matchBoxes(
  truth: readonly TruthChar[],
  read: readonly Box[],
): { counts: SegmentationCounts; matchedTruth: Set<number>; pairs: Array<[number, number]> } {
  const pairs: Array<[number, number, number]> = []
  for (let i = 0; i < truth.length; i++) {
    for (let j = 0; j < read.length; j++) {
      const overlap = iou(truth[i].box, read[j])
      if (overlap >= MATCH_IOU) pairs.push([overlap, i, j])
    }
  }
  pairs.sort((a, b) => b[0] - a[0])
  const usedTruth = new Set<number>()
  const usedRead = new Set<number>()
  const matched: Array<[number, number]> = []
  for (const [, i, j] of pairs) {
    if (usedTruth.has(i) || usedRead.has(j)) continue
    usedTruth.add(i)
    usedRead.add(j)
    matched.push([i, j])
  }
  const letters = truth.map((c, i) => (isLetterOrDigit(c.text) ? i : -1)).filter((i) => i >= 0)
  const matchedLetters = new Set(letters.filter((i) => usedTruth.has(i)))
  // read boxes on a true punctuation mark are not counted at all
  const onPunctuation = [...usedTruth].filter((i) => !isLetterOrDigit(truth[i].text)).length
  return {
    counts: { truth: letters.length, found: read.length - onPunctuation, matched: matchedLetters.size },
    matchedTruth: matchedLetters,
    pairs: matched,
  }
}

/** Everything summed over a group of pages. */
interface Tally {
  pages: number
  segmentation: { truth: number; found: number; matched: number }
  text: AccuracyCounts
  lines: { truth: number; right: number }
  /** Recall of true letters carrying a generator flag (touches, wide, broken). */
  flags: Record<string, { truth: number; matched: number }>
  ms: number
  /** The reading under each of `scrawl eval`'s comparisons (scored for mixed-case pages or with --case-sensitive). */
  comparisons: Record<ComparisonName, ComparisonCounts>
  /** True punctuation marks, and how many a read box matched. */
  marks: { truth: number; matched: number }
  /** True characters by `characterGroup` (capitals, digits, lower case by height, each mark), and how many a read box matched. */
  groups: Record<string, { truth: number; matched: number }>
  /** Written → read characters of matched boxes (scrawl only: other engines' boxes carry no text). */
  confusions: Confusions
}

const emptyTally = (): Tally => ({
  pages: 0,
  segmentation: { truth: 0, found: 0, matched: 0 },
  text: { characters: 0, characterErrors: 0, words: 0, wordsFound: 0 },
  lines: { truth: 0, right: 0 },
  flags: {},
  ms: 0,
  comparisons: Object.fromEntries(COMPARISON_NAMES.map((n) => [n, emptyComparisonCounts()])) as Tally['comparisons'],
  marks: { truth: 0, matched: 0 },
  groups: {},
  confusions: emptyConfusions(),
})

const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b)
const round4 = (v: number): number => Math.round(v * 1e4) / 1e4

/** The figures of a tally; `segmentation` is null for an engine that gives no character boxes. */
function figures(t: Tally, segmentationScored = true): Record<string, unknown> {
  const precision = ratio(t.segmentation.matched, t.segmentation.found)
  const recall = ratio(t.segmentation.matched, t.segmentation.truth)
  return {
    pages: t.pages,
    letters: t.segmentation.truth,
    segmentation: segmentationScored
      ? {
          precision: round4(precision),
          recall: round4(recall),
          f1: round4(precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)),
          ...t.segmentation,
        }
      : null,
    characterAccuracy: round4(characterAccuracy(t.text)),
    wordAccuracy: round4(wordAccuracy(t.text)),
    lineAccuracy: round4(ratio(t.lines.right, t.lines.truth)),
    counts: { ...t.text, lines: t.lines.truth, linesRight: t.lines.right },
    recallByFlag: segmentationScored
      ? Object.fromEntries(Object.entries(t.flags).map(([f, c]) => [f, { recall: round4(ratio(c.matched, c.truth)), ...c }]))
      : null,
  }
}

/** The figures of a tally under each comparison, with the punctuation-mark recall and the confusions. */
function comparisonFigures(t: Tally): Record<string, unknown> {
  const confusions = t.confusions
  return {
    ...Object.fromEntries(
      COMPARISON_NAMES.map((name) => {
        const c = t.comparisons[name]
        return [
          name,
          {
            characterAccuracy: round4(characterAccuracy(c.text)),
            wordAccuracy: round4(wordAccuracy(c.text)),
            lineAccuracy: round4(ratio(c.linesRight, c.lines)),
            counts: { ...c.text, lines: c.lines, linesRight: c.linesRight },
          },
        ]
      }),
    ),
    markRecall: { recall: round4(ratio(t.marks.matched, t.marks.truth)), ...t.marks },
    recallByGroup: Object.fromEntries(Object.entries(t.groups).map(([g, c]) => [g, { recall: round4(ratio(c.matched, c.truth)), ...c }])),
    matchedBoxes: { right: confusions.right, wrong: confusions.byKind, top: Object.fromEntries(topConfusions(confusions, 40)) },
  }
}

/** The engines this scorer reads with. */
const SCORED_ENGINES = ['scrawl', 'tesseract', 'paddle'] as const
type ScoredEngine = (typeof SCORED_ENGINES)[number]

/** What the scorer needs from a reading: the text, its lines, and every character's box when the engine gives them. */
interface PageReading {
  readonly text: string
  readonly lines: readonly string[]
  readonly boxes?: readonly Box[]
  /** The text of each box, where the engine gives it. */
  readonly chars?: readonly string[]
}

/** Another engine of the benchmark, warm, as a page reader (Tesseract asked for its symbol boxes). */
async function engineReader(name: Exclude<ScoredEngine, 'scrawl'>): Promise<Engine> {
  if (name === 'tesseract') return (await import('./engines/tesseract.js')).createTesseractEngine({ charBoxes: true })
  return (await import('./engines/paddle.js')).createPaddleEngine()
}

function parseArgs(argv: string[]): {
  pages: string
  out: string
  limit: number
  variant: Record<string, unknown>
  engine: ScoredEngine
  model: string | undefined
  caseSensitive: boolean
} {
  const value = (name: string): string | undefined => {
    const at = argv.indexOf(name)
    return at >= 0 ? argv[at + 1] : undefined
  }
  const pages = resolve(value('--pages') ?? '.cache/synth')
  const variant = JSON.parse(value('--variant') ?? '{}') as Record<string, unknown>
  const engine = (value('--engine') ?? 'scrawl') as ScoredEngine
  if (!SCORED_ENGINES.includes(engine)) throw new Error(`--engine is one of ${SCORED_ENGINES.join(', ')}`)
  if (engine !== 'scrawl' && Object.keys(variant).length > 0) throw new Error('--variant changes scrawl only')
  const model = value('--model')
  if (engine !== 'scrawl' && model !== undefined) throw new Error('--model reads with scrawl only')
  const name = engine !== 'scrawl' ? engine : model
  const out = resolve(value('--out') ?? join(pages, name === undefined ? 'score.json' : `score-${name}.json`))
  return {
    pages,
    out,
    limit: Number(value('--limit') ?? Infinity),
    variant,
    engine,
    model,
    caseSensitive: argv.includes('--case-sensitive'),
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const truth = JSON.parse(readFileSync(join(args.pages, 'boxes.json'), 'utf8')) as Record<string, TruthPage>
  const files = Object.keys(truth).sort().slice(0, args.limit)
  const recognizer = args.engine === 'scrawl' ? new Reader({ pipeline: withVariant(PIPELINE_CONFIG, args.variant) }) : undefined
  const engine = args.engine === 'scrawl' ? undefined : await engineReader(args.engine)
  const segmentationScored = args.engine !== 'paddle'
  const readOptions = args.model === undefined ? {} : { model: args.model }
  // mixed-case pages are scored every way scrawl eval scores; upper-case pages as always unless asked
  const scoreCase = args.caseSensitive || files.some((f) => truth[f].case === 'mixed')
  const progress = new Progress()
  progress.phase(`reading ${files.length} synthetic pages in ${args.pages}`)
  const overall = emptyTally()
  const byKind = new Map<string, Tally>()
  // the generator writes 40 % of its pages with tight letter gaps: these split the figures apart
  const bySpacing = new Map<string, Tally>([
    ['letters apart', emptyTally()],
    ['crowded', emptyTally()],
  ])
  const perPage: Array<Record<string, unknown>> = []
  const times: number[] = []
  for (const [n, file] of files.entries()) {
    const page = truth[file]
    const bytes = readFileSync(join(args.pages, file))
    const started = performance.now()
    let reading: PageReading
    if (recognizer) {
      const result: OcrResult = await recognizer.recognize(bytes, readOptions)
      const chars = result.lines.flatMap((l) => l.words.flatMap((w) => w.chars))
      reading = {
        text: result.text,
        lines: result.lines.map((l) => l.text),
        boxes: chars.map((c) => c.box),
        chars: chars.map((c) => c.text),
      }
    } else {
      const result = await engine!.read({ path: join(args.pages, file), bytes })
      reading = { text: result.text, lines: result.lines ?? result.text.split('\n'), boxes: result.charBoxes }
    }
    const ms = performance.now() - started
    times.push(ms)
    const trueChars = page.lines.flatMap((l) => l.words.flatMap((w) => w.chars))
    const { counts, matchedTruth, pairs } = matchBoxes(trueChars, reading.boxes ?? [])
    const trueText = page.lines.map((l) => l.text).join('\n')
    const text = compareTexts(reading.text, trueText)
    const right = linesRight(
      page.lines.map((l) => l.text),
      reading.lines,
    )
    const scored = scoreCase
      ? scoreComparisons(
          page.lines.map((l) => l.text),
          reading.lines,
          reading.text,
        )
      : undefined
    const readChars = reading.chars
    const matchedChars = readChars ? pairs.map(([i, j]) => [trueChars[i].text, readChars[j]] as const) : []
    const marks = trueChars.filter((c) => !isLetterOrDigit(c.text)).length
    const marksMatched = pairs.filter(([i]) => !isLetterOrDigit(trueChars[i].text)).length
    const matchedAny = new Set(pairs.map(([i]) => i))
    const kindTally = byKind.get(page.kind) ?? emptyTally()
    byKind.set(page.kind, kindTally)
    const spacing = page.params.touching >= CROWDED_SHARE * trueChars.length ? 'crowded' : 'letters apart'
    for (const t of [overall, kindTally, bySpacing.get(spacing)!]) {
      t.pages++
      t.segmentation.truth += counts.truth
      t.segmentation.found += counts.found
      t.segmentation.matched += counts.matched
      t.text = addCounts(t.text, text)
      t.lines.truth += page.lines.length
      t.lines.right += right
      t.ms += ms
      if (scored) {
        for (const name of COMPARISON_NAMES) t.comparisons[name] = addComparisonCounts(t.comparisons[name], scored[name])
        t.marks.truth += marks
        t.marks.matched += marksMatched
        addConfusions(t.confusions, matchedChars)
        trueChars.forEach((c, i) => {
          const g = (t.groups[characterGroup(c.text)] ??= { truth: 0, matched: 0 })
          g.truth++
          if (matchedAny.has(i)) g.matched++
        })
      }
      trueChars.forEach((c, i) => {
        if (!isLetterOrDigit(c.text)) return
        for (const flag of c.flags) {
          const f = (t.flags[flag] ??= { truth: 0, matched: 0 })
          f.truth++
          if (matchedTruth.has(i)) f.matched++
        }
      })
    }
    perPage.push({
      file,
      kind: page.kind,
      spacing,
      ...(segmentationScored ? counts : { truth: counts.truth }),
      characterAccuracy: round4(characterAccuracy(text)),
      wordAccuracy: round4(wordAccuracy(text)),
      ...(scored
        ? {
            caseSensitiveCharacterAccuracy: round4(characterAccuracy(scored.caseSensitive.text)),
            withPunctuationCharacterAccuracy: round4(characterAccuracy(scored.withPunctuation.text)),
          }
        : {}),
      lines: page.lines.length,
      linesRight: right,
      ms: Math.round(ms),
      read: reading.text,
    })
    progress.update(file, n + 1, files.length)
  }
  progress.done()
  await (recognizer ?? engine!).close()

  const kinds = [...byKind.keys()].sort()
  const result = {
    date: new Date().toISOString(),
    pages: args.pages,
    ...(engine ? { engine: args.engine, engineDescription: engine.description } : {}),
    ...(args.model === undefined ? {} : { model: args.model }),
    matchIou: MATCH_IOU,
    overall: {
      ...figures(overall, segmentationScored),
      medianMsPerPage: median(times),
      ...(scoreCase ? { comparisons: comparisonFigures(overall) } : {}),
    },
    byKind: Object.fromEntries(
      kinds.map((k) => [
        k,
        {
          ...figures(byKind.get(k)!, segmentationScored),
          medianMsPerPage: median(perPage.filter((p) => p.kind === k).map((p) => p.ms as number)),
          ...(scoreCase ? { comparisons: comparisonFigures(byKind.get(k)!) } : {}),
        },
      ]),
    ),
    bySpacing: Object.fromEntries([...bySpacing].map(([k, t]) => [k, figures(t, segmentationScored)])),
    crowdedShare: CROWDED_SHARE,
    perPage,
  }
  writeFileSync(args.out, JSON.stringify(result, null, 1) + '\n')

  console.log(`Synthetic pages (${files.length} in ${args.pages}), letter boxes matched at IoU >= ${MATCH_IOU}`)
  if (engine)
    console.log(`Read by ${args.engine}: ${engine.description}${segmentationScored ? '' : '; no character boxes, segmentation n/a'}`)
  console.log('| kind | pages | letters | seg. precision | seg. recall | seg. F1 | characters | words | lines |')
  console.log('|---|---|---|---|---|---|---|---|---|')
  const row = (name: string, t: Tally): string => {
    const f = figures(t, segmentationScored) as {
      segmentation: { precision: number; recall: number; f1: number } | null
      characterAccuracy: number
      wordAccuracy: number
      lineAccuracy: number
    }
    const pct = (v: number): string => `${(v * 100).toFixed(1)} %`
    const segmentation = f.segmentation
      ? `${pct(f.segmentation.precision)} | ${pct(f.segmentation.recall)} | ${f.segmentation.f1.toFixed(3)}`
      : 'n/a | n/a | n/a'
    return (
      `| ${name} | ${t.pages} | ${t.segmentation.truth} | ${segmentation} | ` +
      `${pct(f.characterAccuracy)} | ${pct(f.wordAccuracy)} | ${pct(f.lineAccuracy)} |`
    )
  }
  for (const k of kinds) console.log(row(k, byKind.get(k)!))
  console.log(row('**all**', overall))
  console.log(`\nBy spacing ("crowded": at least ${CROWDED_SHARE * 100} % of a page's characters touch another):`)
  console.log('| spacing | pages | letters | seg. precision | seg. recall | seg. F1 | characters | words | lines |')
  console.log('|---|---|---|---|---|---|---|---|---|')
  for (const [k, t] of bySpacing) console.log(row(k, t))
  const flags = Object.entries(overall.flags).map(([f, c]) => `${f} ${(ratio(c.matched, c.truth) * 100).toFixed(1)} % of ${c.truth}`)
  if (flags.length && segmentationScored) console.log(`\nSegmentation recall of letters that are: ${flags.join(', ')}.`)
  if (scoreCase) printComparisons(kinds.map((k) => [k, byKind.get(k)!] as const).concat([['**all**', overall]]), overall)
  console.log(`Median ${median(times).toFixed(0)} ms a page. Figures in ${args.out}`)
}

/** The tables of the case-sensitive scoring: per kind, each comparison's characters / words / lines; then the confusions. */
function printComparisons(rows: ReadonlyArray<readonly [string, Tally]>, overall: Tally): void {
  // rounded as figures() rounds, so that the case-insensitive column repeats the first table exactly
  const pct = (v: number): string => `${(round4(v) * 100).toFixed(1)} %`
  const cell = (c: ComparisonCounts): string =>
    `${pct(characterAccuracy(c.text))} / ${pct(wordAccuracy(c.text))} / ${pct(ratio(c.linesRight, c.lines))}`
  console.log('\nCharacters / words / lines, scored as `scrawl eval` scores (EVAL_COMPARISONS):')
  console.log('| kind | pages | case-insensitive | case-sensitive | with punctuation | mark boxes found |')
  console.log('|---|---|---|---|---|---|')
  for (const [name, t] of rows) {
    const c = t.comparisons
    console.log(
      `| ${name} | ${t.pages} | ${cell(c.caseInsensitive)} | ${cell(c.caseSensitive)} | ${cell(c.withPunctuation)} | ` +
        `${pct(ratio(t.marks.matched, t.marks.truth))} of ${t.marks.truth} |`,
    )
  }
  const groups = Object.entries(overall.groups).sort((a, b) => b[1].truth - a[1].truth)
  console.log(
    '\nBoxes found (IoU >= 0.5) by what was written: ' +
      groups.map(([g, c]) => `${g} ${pct(ratio(c.matched, c.truth))} of ${c.truth}`).join(', ') +
      '.',
  )
  const k = overall.confusions
  const wrong = k.byKind.case + k.byKind.mark + k.byKind.other
  if (k.right + wrong === 0) return
  console.log(
    `\nBoxes matched at IoU >= ${MATCH_IOU}: ${k.right} read right, ${wrong} wrong ` +
      `(case ${k.byKind.case}, punctuation ${k.byKind.mark}, other ${k.byKind.other}). Most frequent (written→read):`,
  )
  console.log(
    topConfusions(k, 30)
      .map(([pair, n]) => `${pair} ${n}`)
      .join(', '),
  )
}

await main()
