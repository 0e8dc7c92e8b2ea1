/**
 * Benchmark of the letter-finding pipeline: median milliseconds per stage for each photo, beside
 * sharp's own full decode of the same file (the floor no pipeline can beat), and the number of
 * candidate characters its lattices hold (what the reader classifies in one batch).
 *
 *   npm run bench:find -- [DIR] [RUNS]
 *
 * DIR defaults to ../shared/data/samples, RUNS to 15 (after 2 warm-up runs).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import sharp from 'sharp'
import { locateLetters } from '../src/pipeline/locate.js'
import { median } from '../src/pipeline/stroke.js'

const dir = resolve(process.argv[2] ?? '../shared/data/samples')
const runs = Number(process.argv[3] ?? 15)
const WARMUP_RUNS = 2
sharp.concurrency(1)

const files = readdirSync(dir)
  .filter((f) => /\.(jpe?g|png|webp|tiff?)$/i.test(f))
  .sort()
const rows: string[] = []
for (const file of files) {
  const bytes = readFileSync(join(dir, file))
  const decodeFloor: number[] = []
  const stages: Record<string, number[]> = {}
  const totals: number[] = []
  let candidates = 0
  for (let r = 0; r < WARMUP_RUNS + runs; r++) {
    let t = performance.now()
    await sharp(bytes).raw().toBuffer()
    const floor = performance.now() - t
    t = performance.now()
    const page = await locateLetters(bytes)
    const total = performance.now() - t
    candidates = page.lines.reduce((n, line) => n + line.candidates.length, 0)
    if (r < WARMUP_RUNS) continue
    decodeFloor.push(floor)
    totals.push(total)
    for (const [stage, ms] of Object.entries(page.timingsMs)) (stages[stage] ??= []).push(ms)
  }
  const finding = median(totals) - median(stages.decode)
  const stageText = Object.entries(stages)
    .map(([s, v]) => `${s} ${median(v).toFixed(1)}`)
    .join(', ')
  rows.push(
    `| ${file} | ${median(decodeFloor).toFixed(1)} | ${median(totals).toFixed(1)} | ${finding.toFixed(1)} | ${(finding / median(decodeFloor)).toFixed(2)}× | ${candidates} | ${stageText} |`,
  )
  process.stderr.write(`${file} done\n`)
}
console.log(`Letter finding, median of ${runs} runs (ms), sharp.concurrency(1), ${new Date().toISOString().slice(0, 10)}`)
console.log('| image | sharp full decode | scrawl decode+find | find only | find / decode | candidate characters | per stage |')
console.log('|---|---|---|---|---|---|---|')
for (const row of rows) console.log(row)
