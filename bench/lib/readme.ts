/**
 * Writes the benchmark's tables into README.md between two HTML comment markers, leaving the
 * rest of the file alone. The first time, the `BENCH_PLACEHOLDER` line becomes the whole section.
 */
import { readFileSync, writeFileSync } from 'node:fs'

export const BENCH_START = '<!-- bench:start -->'
export const BENCH_END = '<!-- bench:end -->'
/** The line the section replaces when the markers are not there yet. */
const PLACEHOLDER = 'BENCH_PLACEHOLDER'

/** The section's fixed text: what is compared and how to run it. The tables follow it. */
export const BENCH_INTRO = `## Benchmarks

\`npm run bench\` compares scrawl with the engines a user would otherwise pick, on the same images, in
one run on one machine: Tesseract 5 (its command line) and PaddleOCR's ONNX pipeline for Node
(\`@gutenye/ocr-node\`, a devDependency used only here, with the models its package ships). It reports
character and word accuracy (the \`scrawl eval\` metric) per image and per set for
\`../shared/data/samples\` and \`fixtures/notes\`, latency per image (median and p95 of 10 timed runs
after a warm-up, each engine warm), sharp's own decode of each image as the floor, scrawl's HTTP
throughput at 1, 2 and 8 concurrent clients, each engine's peak memory, and how scrawl's time grows
with the photo's pixels and with the letters on the page; its per-stage table is the one
\`npm run bench:find\` prints, folded into the same run. A progress display goes to stderr, the
Markdown to stdout; \`--write-readme\` also puts it below, between the \`bench\` markers.

\`\`\`sh
apt-get install tesseract-ocr tesseract-ocr-eng   # the Tesseract peer (Debian)
ONNXRUNTIME_NODE_INSTALL=skip npm ci              # includes @gutenye/ocr-node and its models
npm run bench                                     # about 10 minutes on 2 idle CPUs; --help for options
npm run bench -- --write-readme                   # and rewrite the tables below
npm run bench -- --json run.json                  # keep every measurement; --from-json run.json re-renders
\`\`\`

Tesseract reads every image with one configuration, \`--psm 11\` (sparse text) and \`-l eng\`: of page
segmentation modes 3, 4, 6 and 11 it read both sets best, since a note is a few short lines with wide
gaps. PaddleOCR runs with \`Ocr.create()\`'s defaults. Nothing is tuned per image for any engine. The
benchmark is never a test: \`npm test\` does not run it.`

/**
 * Puts `generated` between the markers in the README text (or replaces the placeholder line with
 * the intro and the markers).
 *
 * @throws Error when the README has neither the markers nor the placeholder
 */
export function withBenchSection(readme: string, generated: string): string {
  const start = readme.indexOf(BENCH_START),
    end = readme.indexOf(BENCH_END)
  if (start >= 0 && end > start) return `${readme.slice(0, start + BENCH_START.length)}\n${generated}\n${readme.slice(end)}`
  const lines = readme.split('\n')
  const at = lines.findIndex((line) => line.trim() === PLACEHOLDER)
  if (at < 0) throw new Error(`README has neither ${BENCH_START} … ${BENCH_END} nor a ${PLACEHOLDER} line`)
  lines.splice(at, 1, `${BENCH_INTRO}\n\n${BENCH_START}\n${generated}\n${BENCH_END}`)
  return lines.join('\n')
}

/** Rewrites the README file's bench section in place. */
export function writeReadmeSection(path: string, generated: string): void {
  writeFileSync(path, withBenchSection(readFileSync(path, 'utf8'), generated))
}
