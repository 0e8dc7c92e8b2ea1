/**
 * Tesseract 5 through its command line, as a user would run it: one process per image, which
 * loads the English model every time (the per-call start cost is measured separately on a blank
 * image). `/usr/bin/time` reports each process's CPU time and peak memory.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import type { Engine, EngineInput, EngineReading } from './engine.js'

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

/** Creates the Tesseract engine. */
export async function createTesseractEngine(): Promise<Engine> {
  const withTime = existsSync(GNU_TIME)
  return {
    description: `\`tesseract IMAGE stdout --psm ${TESSERACT_PSM} -l ${TESSERACT_LANGUAGE}\`, one process per image, default threads (OpenMP)`,
    read: (input: EngineInput) => readWithCli(input.path, withTime),
    close: async () => {},
  }
}

function readWithCli(path: string, withTime: boolean): Promise<EngineReading> {
  const [command, args] = withTime
    ? [GNU_TIME, ['-f', `${RUSAGE_MARK} %M %U %S`, 'tesseract', ...tesseractArgs(path)]]
    : ['tesseract', tesseractArgs(path)]
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
