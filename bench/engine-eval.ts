/**
 * `scrawl eval` for every engine of the benchmark: reads each image named in a truth file
 * (file name → lines) with one engine of `bench/engines/`, warm and in this process, and scores it
 * with scrawl's metric (`compareTexts` of `src/evaluation/metrics.ts`: letters and digits upper-cased,
 * spaces and punctuation removed), one line per image and the total, as `scrawl eval` prints them.
 * The total is also given with case counted (`bench/lib/case-sensitive.ts`), for mixed-case sets.
 *
 *   npx tsx bench/engine-eval.ts --engine tesseract|paddle|scrawl DIR TRUTH.json [--out FILE]
 *
 * The engines are the comparison's own: Tesseract 5 `--psm 11` through its CLI, PaddleOCR's
 * PP-OCRv4 through `@gutenye/ocr-node`, scrawl as `Reader.recognize(bytes)` with its defaults
 * (what `scrawl eval` reads with). FILE (JSON: the counts and texts per image) is optional.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { addCounts, compareTexts, type AccuracyCounts } from '../src/evaluation/metrics.js'
import { formatCounts, type Truth } from '../src/evaluation/eval-set.js'
import type { Engine } from './engines/engine.js'

const ENGINES = ['scrawl', 'tesseract', 'paddle'] as const

/** The engine, warm (models loaded once). */
async function createEngine(name: (typeof ENGINES)[number]): Promise<Engine> {
  if (name === 'tesseract') return (await import('./engines/tesseract.js')).createTesseractEngine()
  if (name === 'paddle') return (await import('./engines/paddle.js')).createPaddleEngine()
  return (await import('./engines/scrawl.js')).createScrawlEngine()
}

const NO_COUNTS: AccuracyCounts = { characters: 0, characterErrors: 0, words: 0, wordsFound: 0 }

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { engine: { type: 'string', default: 'scrawl' }, out: { type: 'string' } },
    allowPositionals: true,
  })
  const engineName = values.engine as (typeof ENGINES)[number]
  if (!ENGINES.includes(engineName) || positionals.length !== 2)
    throw new Error(`usage: engine-eval.ts --engine ${ENGINES.join('|')} DIR TRUTH.json [--out FILE]`)
  const [dir, truthPath] = positionals.map((p) => resolve(p))
  const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as Truth
  const engine = await createEngine(engineName)
  console.log(`${engineName}: ${engine.description}`)
  let total = NO_COUNTS
  let totalKeepingCase = NO_COUNTS
  const images: Array<{ file: string; counts: AccuracyCounts; countsKeepingCase: AccuracyCounts; read: string }> = []
  for (const [file, lines] of Object.entries(truth)) {
    const path = join(dir, file)
    const { text } = await engine.read({ path, bytes: readFileSync(path) })
    const counts = compareTexts(text, lines.join('\n'))
    const countsKeepingCase = compareTexts(text, lines.join('\n'), { caseSensitive: true })
    total = addCounts(total, counts)
    totalKeepingCase = addCounts(totalKeepingCase, countsKeepingCase)
    images.push({ file, counts, countsKeepingCase, read: text })
    console.log(`${file}: ${formatCounts(counts)}  read: ${JSON.stringify(text)}`)
  }
  await engine.close()
  console.log(`total: ${formatCounts(total)}`)
  console.log(`total, case counted: ${formatCounts(totalKeepingCase)}`)
  if (values.out) {
    const report = { engine: engineName, description: engine.description, dir, truth: truthPath, total, totalKeepingCase, images }
    writeFileSync(values.out, JSON.stringify(report, null, 1) + '\n')
  }
}

await main()
