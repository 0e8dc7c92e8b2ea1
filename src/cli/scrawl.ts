import { readFileSync, writeFileSync } from 'node:fs'
import { basename, extname } from 'node:path'
import { parseArgs } from 'node:util'
import { ZodError } from 'zod'
import { DEFAULT_MODEL } from '../classifier/registry.js'
import { renderAnnotated } from '../formats/png.js'
import { PIPELINE_CONFIG } from '../pipeline/config.js'
import { ImageInputError } from '../pipeline/decode.js'
import { DEFAULT_ALTERNATIVES, MAX_ALTERNATIVES, OCR_FORMATS, resolveReadOptions, type ResolvedReadOptions } from '../reading/options.js'
import { Reader } from '../reading/reader.js'
import { runRead } from './read.js'
import { READING_FLAGS } from './flags.js'

const USAGE = `Usage:
  scrawl [options] IMAGE...        print the text of each image
  scrawl eval DIR TRUTH.json       read every image named in TRUTH.json (file → lines) from DIR,
                                   print character and word accuracy per image and in total
  scrawl read DIR|FILE... [--server URL] [--concurrency N] [--out RESULTS.jsonl] [--format json|text|hocr]
                                   read many images (in this process or through a server) into
                                   JSON Lines, resumably; see scrawl read --help

Options:
  --format FORMAT        what to print: ${OCR_FORMATS.join(', ')} (default text; png is written to
                         standard output, for one image)
  --json                 the same as --format json: the API's JSON response
  --boxes OUT.png        write the image with line, word and character boxes drawn on it
                         (with several images, OUT-<image name>.png)
  --model NAME           model to read with (${Reader.models().join(', ')}; default ${DEFAULT_MODEL})
  --alternatives N       alternatives per character in the JSON (0–${MAX_ALTERNATIVES}, default ${DEFAULT_ALTERNATIVES})
  --no-context           no look-alike swaps or lexicon correction
  -h, --help             this text
`

/** What `scrawl` prints unless told: the text, as a person wants it at a terminal. */
const DEFAULT_CLI_FORMAT = 'text'

type Output = (s: string | Uint8Array) => void

/** Runs the CLI; returns the exit code. */
export async function run(
  argv: string[],
  out: Output = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => process.stderr.write(s),
): Promise<number> {
  if (argv[0] === 'read') return runRead(argv.slice(1), { out, err, interactive: process.stderr.isTTY === true })
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...READING_FLAGS,
        json: { type: 'boolean', default: false },
        boxes: { type: 'string' },
      },
    })
  } catch (error) {
    err(`scrawl: ${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.help) {
    out(USAGE)
    return 0
  }
  if (positionals.length === 0) {
    err(USAGE)
    return 2
  }
  const alternatives = values.alternatives === undefined ? undefined : /^\d+$/.test(values.alternatives) ? Number(values.alternatives) : NaN
  let options: ResolvedReadOptions
  try {
    options = resolveReadOptions({
      model: values.model,
      alternatives,
      context: !values['no-context'],
      format: (values.json ? 'json' : (values.format ?? DEFAULT_CLI_FORMAT)) as ResolvedReadOptions['format'],
    })
  } catch (error) {
    if (!(error instanceof ZodError)) throw error
    err(`scrawl: ${error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n`)
    return 2
  }
  const reader = new Reader()
  try {
    if (positionals[0] === 'eval') {
      if (positionals.length !== 3) {
        err(`scrawl: eval takes DIR and TRUTH.json\n\n${USAGE}`)
        return 2
      }
      const evaluation = await import('../evaluation/eval-set.js').catch(() => undefined)
      if (evaluation === undefined) {
        err('scrawl: eval is a development command; this installation has no evaluation code\n')
        return 2
      }
      return await evaluation.runEval(reader, positionals[1], positionals[2], options, out)
    }
    if (options.format === 'png' && positionals.length > 1) {
      err('scrawl: --format png prints one image; use --boxes OUT.png for several\n')
      return 2
    }
    let failures = 0
    for (const file of positionals) {
      try {
        const bytes = readFileSync(file)
        const { rendered, result } = await reader.render(bytes, options)
        if (positionals.length > 1) out(`== ${file}\n`)
        if (rendered.format === 'json') out(`${JSON.stringify(rendered.body, null, 2)}\n`)
        else if (rendered.format === 'text') out(rendered.body === '' ? '\n' : rendered.body)
        else out(rendered.body)
        if (values.boxes !== undefined) {
          const target = positionals.length > 1 ? suffixed(values.boxes, file) : values.boxes
          writeFileSync(target, await renderAnnotated(bytes, result.lines, PIPELINE_CONFIG.decode.maxInputPixels))
        }
      } catch (error) {
        failures++
        err(
          `scrawl: ${file}: ${error instanceof ImageInputError || (error as NodeJS.ErrnoException).code === 'ENOENT' ? (error as Error).message : String(error)}\n`,
        )
      }
    }
    return failures === 0 ? 0 : 1
  } finally {
    await reader.close()
  }
}

function suffixed(target: string, image: string): string {
  const extension = extname(target) || '.png'
  const stem = target.slice(0, target.length - extname(target).length)
  return `${stem}-${basename(image, extname(image))}${extension}`
}
