/**
 * Where the letters and marks of the synthetic pages are lost, stage by stage: for every true
 * character, the first stage of `findLetters` (and then the reading) that no longer holds it.
 *
 *   npx tsx bench/lost-letters.ts [--pages DIR] [--limit N] [--from N] [--model NAME] [--variant JSON] [--page FILE]
 *
 * Stages, in the reading frame of the working size the reader settles on (the truth box mapped there by its corners):
 * - `no ink`: fewer ink pixels inside the true box than a speck (threshold, rules removal);
 * - `speck`, `long dot`, `border`, `too long`: the dilated component holding most of its ink was dropped
 *   by `classifyBySize`; `dot`: set aside as a dot and not placed as a period; `binding`: taken for a binding;
 * - `no line`: the component is in no text line;
 * - `lattice`: no candidate of its line's lattice (nor period) matches it at IoU >= 0.5, split into
 *   `lattice:merged` (the best overlapping candidate is bigger: joined to a neighbour) and `lattice:broken`;
 * - `reading`: in the lattice, but no read box matches it: `read:skipped` (nothing read over it),
 *   `read:merged` (read as part of a bigger box), `read:broken` (read in parts).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Reader } from '../src/reading/reader.js'
import { PIPELINE_CONFIG, type PipelineConfig } from '../src/pipeline/config.js'
import { withVariant } from './lib/variant.js'
import { decodeImage } from '../src/pipeline/decode.js'
import { estimateBackground, flattenBackground } from '../src/pipeline/background.js'
import { findSheet, mayHoldSheet } from '../src/pipeline/page.js'
import { chromaGrid } from '../src/pipeline/chroma.js'
import { deskewPage, inkDensity, toReading, touchesPhotoEdge } from '../src/pipeline/deskew.js'
import { binarize } from '../src/pipeline/threshold.js'
import { removeRules } from '../src/pipeline/rules.js'
import { estimateStrokeWidth } from '../src/pipeline/stroke.js'
import { dilate } from '../src/pipeline/morphology.js'
import { labelComponents } from '../src/pipeline/components.js'
import { type Candidate, gatherCandidates, typicalLetterHeight } from '../src/pipeline/letters.js'
import { findBindingMarks } from '../src/pipeline/bindings.js'
import { findLetters } from '../src/pipeline/find-letters.js'
import { smallWritingPixels } from '../src/pipeline/writing-size.js'
import { estimateSkew, placePeriods } from '../src/pipeline/rows.js'
import { findTextLines } from '../src/pipeline/lines.js'
import { piecesByCandidate } from '../src/pipeline/pieces.js'
import { boxBottom, boxRight, type Box } from '../src/pipeline/image.js'
import { characterGroup } from './lib/synthetic-scoring.js'

interface TruthChar {
  readonly text: string
  readonly box: Box
}
interface TruthPage {
  readonly params: { readonly capHeight: number }
  readonly lines: Array<{ readonly words: Array<{ readonly chars: TruthChar[] }> }>
}

function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  if (w <= 0 || h <= 0) return 0
  const inter = w * h
  return inter / (a.width * a.height + b.width * b.height - inter)
}
const area = (b: Box): number => b.width * b.height
const bestIou = (t: Box, boxes: readonly Box[]): number => boxes.reduce((m, b) => Math.max(m, iou(t, b)), 0)

/** Why a dropped candidate was dropped, by the rules of `classifyBySize` in their order. */
function sizeVerdict(
  c: Candidate,
  letterHeight: number,
  strokeWidth: number,
  width: number,
  height: number,
  limits: PipelineConfig['candidates'],
  atEdge: (b: Box) => boolean,
): string {
  const { box } = c
  const longest = Math.max(box.width, box.height)
  const isTextRun =
    box.width > box.height &&
    box.height <= limits.maxRunHeightHeights * letterHeight &&
    box.height >= limits.minRunHeightFraction * letterHeight
  if (longest > limits.maxLetterHeights * letterHeight && !isTextRun) return 'too long'
  const touches = box.x === 0 || box.y === 0 || boxRight(box) === width || boxBottom(box) === height || atEdge(box)
  const spans = box.width > limits.maxPageFraction * width || box.height > limits.maxPageFraction * height
  if (touches && (spans || longest > limits.borderObjectHeights * letterHeight || longest < limits.borderSliverHeights * letterHeight))
    return 'border'
  if (c.area < limits.speckAreaStrokes * strokeWidth * strokeWidth) return 'speck'
  const dotMax = limits.dotMaxSize * letterHeight
  if (box.width <= dotMax && box.height <= dotMax) {
    return longest <= limits.dotMaxElongation * Math.min(box.width, box.height) ? 'dot' : 'long dot'
  }
  return 'letter'
}

function parseArgs(argv: string[]): { pages: string; limit: number; from: number; model?: string; variant?: string; page?: string } {
  const out: { pages: string; limit: number; from: number; model?: string; variant?: string; page?: string } = {
    pages: '.cache/synth-mixed',
    limit: 150,
    from: 0,
  }
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]]
    if (k === '--pages') out.pages = v
    else if (k === '--limit') out.limit = Number(v)
    else if (k === '--from') out.from = Number(v)
    else if (k === '--model') out.model = v
    else if (k === '--variant') out.variant = v
    else if (k === '--page') out.page = v
  }
  return out
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const config =
    args.variant === undefined ? PIPELINE_CONFIG : withVariant(PIPELINE_CONFIG, JSON.parse(args.variant) as Record<string, unknown>)
  const truth = JSON.parse(readFileSync(join(args.pages, 'boxes.json'), 'utf8')) as Record<string, TruthPage>
  const files =
    args.page !== undefined
      ? [args.page]
      : Object.keys(truth)
          .sort()
          .slice(args.from, args.from + args.limit)
  const reader = new Reader({ pipeline: config })
  const tally = new Map<string, Map<string, number>>()
  const count = (group: string, stage: string): void => {
    const g = tally.get(group) ?? new Map<string, number>()
    g.set(stage, (g.get(stage) ?? 0) + 1)
    tally.set(group, g)
  }
  const heightRatios: number[] = []
  for (const file of files) {
    const bytes = readFileSync(join(args.pages, file))
    // At the working size the reader settles on (small writing is read again larger, `writing-size.ts`).
    const first = await decodeImage(bytes, config.decode)
    const larger = smallWritingPixels(
      findLetters(first.gray, config, first.colour).letterHeight,
      first.scale,
      first.originalWidth * first.originalHeight,
      config.decode,
    )
    const decoded = larger === undefined ? first : await decodeImage(bytes, { ...config.decode, workingPixels: larger })
    const gray = decoded.gray
    const cellSize = Math.max(2, Math.round(Math.sqrt(gray.width * gray.height) / config.background.cellsAcrossPage))
    const bgOptions = { ...config.background, cellSize }
    const grid = estimateBackground(gray, bgOptions)
    const flat = flattenBackground(gray, bgOptions, grid)
    const coverage = inkDensity(flat, config.page.inkCoverageLevel, cellSize)
    const chroma = decoded.colour && mayHoldSheet(grid) ? chromaGrid(decoded.colour, grid, cellSize, config.page) : undefined
    const sheet = findSheet(grid, cellSize, gray.width, gray.height, config.page, coverage, chroma)?.corners
    const { image, frame, skew: textSkew, threshold } = deskewPage(flat, sheet, config.page.marginCells * cellSize, config.deskew)
    const ink = removeRules(binarize(image, threshold), config.rules, Math.tan(textSkew)).ink
    const strokeWidth = estimateStrokeWidth(ink)
    const dilated = dilate(
      ink,
      Math.max(1, Math.round(config.morphology.dilationAcross * strokeWidth)),
      Math.max(1, Math.round(config.morphology.dilationAlong * strokeWidth)),
    )
    const { labels, count: labelCount } = labelComponents(dilated)
    const components = gatherCandidates(ink, labels, labelCount)
    const binding = findBindingMarks(
      components.map((c) => c.box),
      image.width,
      image.height,
      config.bindings,
    )
    const all = components.filter((_, i) => !binding.has(i))
    const letterHeight = typicalLetterHeight(all, config.candidates.minLetterStrokes * strokeWidth)
    const atEdge = (box: Box): boolean => touchesPhotoEdge(frame, box, gray.width, gray.height)
    const verdictOf = new Map<number, string>()
    for (const [i, c] of components.entries()) {
      verdictOf.set(
        c.labels[0],
        binding.has(i) ? 'binding' : sizeVerdict(c, letterHeight, strokeWidth, image.width, image.height, config.candidates, atEdge),
      )
    }
    const letters = all.filter((c) => verdictOf.get(c.labels[0]) === 'letter')
    const dots = all.filter((c) => verdictOf.get(c.labels[0]) === 'dot')
    const skew = estimateSkew(
      letters.map((c) => c.box),
      letterHeight,
      config.skew,
    )
    const { labels: inkLabels, count: inkCount } = labelComponents(ink)
    const piecesOf = piecesByCandidate(ink, inkLabels, inkCount, labels)
    const rows = findTextLines<Candidate>(letters, letterHeight, skew, config.lines, (c) =>
      c.labels.flatMap((l) => piecesOf.get(l) ?? []).map((piece) => ({ ...piece, labels: c.labels })),
    )
    const inRow = new Set(rows.flatMap((r) => r.flatMap((c) => c.labels)))
    const periodBoxes = placePeriods(rows, dots, skew, letterHeight, config.dots).flatMap((line) =>
      line.filter((p) => p.kind === 'period').map((p) => p.item.box),
    )
    const layout = findLetters(gray, config, decoded.colour)
    const latticeBoxes = layout.lines.flatMap((l) => l.candidates.map((c) => c.box))
    const latticePeriods = layout.lines.flatMap((l) => l.periods)
    const result = await reader.recognize(bytes, args.model === undefined ? {} : { model: args.model })
    const readBoxes = result.lines.flatMap((l) => l.words.flatMap((w) => w.chars.map((c) => c.box)))
    const readCentres = readBoxes.map((b) => toReading(frame, (b.x + b.width / 2) * decoded.scale, (b.y + b.height / 2) * decoded.scale))
    const lineRead = layout.lines.map((l) =>
      readCentres.some((p) => p.x >= l.box.x && p.x <= boxRight(l.box) && p.y >= l.box.y && p.y <= boxBottom(l.box)),
    )
    const page = truth[file]
    heightRatios.push(letterHeight / (page.params.capHeight * decoded.scale))
    const lost: string[] = []
    for (const ch of page.lines.flatMap((l) => l.words.flatMap((w) => w.chars))) {
      const group = characterGroup(ch.text)
      const kind = group.length === 1 ? 'marks' : group
      const t = ch.box
      // The true box in the reading frame: the box of its corners, mapped.
      const s = decoded.scale
      const corners = [
        [t.x, t.y],
        [t.x + t.width, t.y],
        [t.x, t.y + t.height],
        [t.x + t.width, t.y + t.height],
      ].map(([x, y]) => toReading(frame, x * s, y * s))
      const x0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p.x)))),
        y0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p.y))))
      const x1 = Math.min(image.width, Math.ceil(Math.max(...corners.map((p) => p.x)))),
        y1 = Math.min(image.height, Math.ceil(Math.max(...corners.map((p) => p.y))))
      const rt: Box = { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) }
      const votes = new Map<number, number>()
      let inkPixels = 0
      for (let y = y0; y < y1; y++)
        for (let x = x0; x < x1; x++) {
          const i = y * image.width + x
          if (ink.data[i] === 0) continue
          inkPixels++
          votes.set(labels[i], (votes.get(labels[i]) ?? 0) + 1)
        }
      let stage: string
      const readIou = bestIou(t, readBoxes)
      if (readIou >= 0.5) stage = 'found'
      else if (inkPixels < config.candidates.speckAreaStrokes * strokeWidth * strokeWidth) stage = 'no ink'
      else {
        const owner = [...votes.entries()].sort((a, b) => b[1] - a[1])[0][0]
        const verdict = verdictOf.get(owner) ?? '?'
        const latticeIou = Math.max(bestIou(rt, latticeBoxes), bestIou(rt, latticePeriods))
        if (verdict === 'dot') stage = bestIou(rt, periodBoxes) >= 0.5 ? 'dot→period, lost later' : 'dot (no period)'
        else if (verdict !== 'letter') stage = verdict
        else if (!inRow.has(owner)) stage = 'no line'
        else if (latticeIou < 0.5) {
          const over = latticeBoxes.filter((b) => iou(rt, b) > 0.1)
          const bigger = over.some((b) => area(b) > area(rt) && iou(rt, b) === bestIou(rt, over))
          stage = over.length === 0 ? 'lattice:none' : bigger ? 'lattice:merged' : 'lattice:broken'
        } else {
          const over = readBoxes.filter((b) => iou(t, b) > 0.1)
          const best = over.find((b) => iou(t, b) === bestIou(t, over))
          const line = layout.lines.findIndex((l) => l.candidates.some((c) => iou(rt, c.box) >= 0.5))
          const dropped = line >= 0 && !lineRead[line]
          stage =
            best === undefined ? (dropped ? 'read:line dropped' : 'read:skipped') : area(best) > area(t) ? 'read:merged' : 'read:broken'
        }
      }
      count(kind, stage)
      count('all', stage)
      if (args.page !== undefined && stage !== 'found') lost.push(`${ch.text}:${stage}`)
    }
    if (args.page !== undefined) {
      console.log(`${file} letterHeight ${letterHeight.toFixed(1)} stroke ${strokeWidth.toFixed(1)} cap ${page.params.capHeight}`)
      console.log(lost.join('  '))
    }
    process.stderr.write('.')
  }
  process.stderr.write('\n')
  const stages = [...new Set([...tally.values()].flatMap((m) => [...m.keys()]))].sort()
  console.log(['group', 'n', ...stages].join('\t'))
  for (const [group, m] of [...tally.entries()].sort()) {
    const n = [...m.values()].reduce((a, b) => a + b, 0)
    console.log([group, n, ...stages.map((s) => `${((100 * (m.get(s) ?? 0)) / n).toFixed(1)}`)].join('\t'))
  }
  heightRatios.sort((a, b) => a - b)
  console.log(
    'page letterHeight / cap height: quartiles',
    [0.25, 0.5, 0.75].map((q) => heightRatios[Math.floor(q * heightRatios.length)]?.toFixed(2)),
  )
  await reader.close()
}

await main()
