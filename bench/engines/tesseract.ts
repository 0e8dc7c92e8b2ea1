/**
 * Tesseract 5 through its command line, as a user would run it: one process per image, which
 * loads the English model every time (the per-call start cost is measured separately on a blank
 * image). `/usr/bin/time` reports each process's CPU time and peak memory.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CharBox, Engine, EngineInput, EngineReading } from './engine.js'

/**
 * Page segmentation mode 11 ("sparse text"). One setting for every image: of modes 3 (auto),
 * 4 (one column), 6 (one block) and 11, it read both image sets best, because notes are a few
 * short lines with wide gaps rather than a block of print.
 */
export const TESSERACT_PSM = '11'
/** The language model (Debian's `tesseract-ocr-eng`). */
export const TESSERACT_LANGUAGE = 'eng'
/** GNU time, which reports a child's peak memory and CPU time. */
const GNU_TIME = '/usr/bin/time'
/** Marks GNU time's line in the child's stderr. */
const RUSAGE_MARK = 'BENCH_RUSAGE'

/** The tesseract arguments for one image (written to stdout). */
export const tesseractArgs = (path: string): string[] => [path, 'stdout', '--psm', TESSERACT_PSM, '-l', TESSERACT_LANGUAGE]

/** What the Tesseract engine is asked for beyond the text. */
export interface TesseractOptions {
  /**
   * Also the lines and every symbol's box: the same run writes the text and an hOCR page with
   * `hocr_char_boxes=1` to a temporary folder (one recognition, so the text is the one `stdout` gives).
   */
  readonly charBoxes?: boolean
}

/** Creates the Tesseract engine. */
export async function createTesseractEngine(options: TesseractOptions = {}): Promise<Engine> {
  const withTime = existsSync(GNU_TIME)
  const description = `\`tesseract IMAGE stdout --psm ${TESSERACT_PSM} -l ${TESSERACT_LANGUAGE}\`, one process per image, default threads (OpenMP)`
  if (!options.charBoxes)
    return { description, read: (input: EngineInput) => readWithCli(tesseractArgs(input.path), withTime), close: async () => {} }
  const dir = mkdtempSync(join(tmpdir(), 'bench-tesseract-'))
  const base = join(dir, 'page')
  return {
    description: `${description}, with \`-c hocr_char_boxes=1 txt hocr\` for lines and symbol boxes`,
    async read(input: EngineInput): Promise<EngineReading> {
      const args = [input.path, base, '--psm', TESSERACT_PSM, '-l', TESSERACT_LANGUAGE, '-c', 'hocr_char_boxes=1', 'txt', 'hocr']
      const usage = await readWithCli(args, withTime)
      return { ...usage, text: readFileSync(`${base}.txt`, 'utf8'), ...parseHocr(readFileSync(`${base}.hocr`, 'utf8')) }
    },
    close: async () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** The hOCR classes Tesseract gives a line of text (`--psm 11` makes most lines "floating text"). */
const HOCR_LINE_CLASSES = new Set(['ocr_line', 'ocr_textfloat', 'ocr_header', 'ocr_caption'])
/** A span of Tesseract's hOCR: its class, its title (bbox, x_bboxes, confidences) and the text right after it. */
const HOCR_SPAN = /<span class='([a-z_]+)'[^>]*? title=(?:'([^']*)'|"([^"]*)")[^>]*>([^<]*)/g
const HTML_ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }

/**
 * The lines and symbol boxes of a page of Tesseract's hOCR written with `hocr_char_boxes=1`
 * (spans `ocr_line` ⊃ `ocrx_word` ⊃ `ocrx_cinfo`, each symbol's box in `x_bboxes x0 y0 x1 y1`).
 *
 * @returns each line's words joined by spaces, and every symbol's box (x1, y1 exclusive)
 */
export function parseHocr(hocr: string): { lines: string[]; charBoxes: CharBox[] } {
  const lines: string[][] = []
  const charBoxes: CharBox[] = []
  for (const [, kind, singleQuoted, doubleQuoted, rawText] of hocr.matchAll(HOCR_SPAN)) {
    const title = singleQuoted ?? doubleQuoted ?? ''
    if (HOCR_LINE_CLASSES.has(kind)) lines.push([])
    else if (kind === 'ocrx_word') lines.at(-1)?.push('')
    else if (kind === 'ocrx_cinfo') {
      const words = lines.at(-1)
      if (words && words.length > 0) words[words.length - 1] += rawText.replace(/&(amp|lt|gt|quot|#39);/g, (e) => HTML_ENTITIES[e])
      const box = /x_bboxes (\d+) (\d+) (\d+) (\d+)/.exec(title)
      if (box) {
        const [x0, y0, x1, y1] = box.slice(1).map(Number)
        charBoxes.push({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 })
      }
    }
  }
  return { lines: lines.map((words) => words.filter((w) => w.length > 0).join(' ')), charBoxes }
}

function readWithCli(tesseractArguments: string[], withTime: boolean): Promise<EngineReading> {
  const [command, args] = withTime
    ? [GNU_TIME, ['-f', `${RUSAGE_MARK} %M %U %S`, 'tesseract', ...tesseractArguments]]
    : ['tesseract', tesseractArguments]
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    const stdout: Buffer[] = [],
      stderr: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    child.once('error', reject)
    child.once('close', (code) => {
      const errors = Buffer.concat(stderr).toString('utf8')
      if (code !== 0) {
        reject(new Error(`tesseract exited with ${code}: ${errors.trim()}`))
        return
      }
      const usage = new RegExp(`${RUSAGE_MARK} (\\d+) ([\\d.]+) ([\\d.]+)`).exec(errors)
      resolve({
        text: Buffer.concat(stdout).toString('utf8'),
        childPeakRssKiB: usage ? Number(usage[1]) : undefined,
        childCpuMs: usage ? (Number(usage[2]) + Number(usage[3])) * 1000 : undefined,
      })
    })
  })
}
