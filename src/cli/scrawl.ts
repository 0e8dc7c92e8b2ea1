import { readFileSync, writeFileSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { renderAnnotated } from '../annotate.js'
import { PIPELINE_CONFIG } from '../pipeline/config.js'
import { ImageInputError } from '../pipeline/decode.js'
import { Recognizer, type OcrResult } from '../recognize.js'
import { addCounts, characterAccuracy, compareTexts, wordAccuracy, type AccuracyCounts } from '../text/metrics.js'

const USAGE = `Usage:
  scrawl [options] IMAGE...        print the text of each image
  scrawl eval DIR TRUTH.json       read every image named in TRUTH.json (file → lines) from DIR,
                                   print character and word accuracy per image and in total

Options:
  --json                 print the API's JSON response instead of the text
  --boxes OUT.png        write the image with line, word and character boxes drawn on it
                         (with several images, OUT-<image name>.png)
  --model NAME           model to read with (${Recognizer.models().join(', ')}; default ${Recognizer.models()[0]})
  --alternatives N       alternatives per character in the JSON (default 3)
  --no-context           no look-alike swaps or lexicon correction
  -h, --help             this text
`

/** Runs the CLI; returns the exit code. */
export async function run(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        boxes: { type: 'string' },
        model: { type: 'string' },
        alternatives: { type: 'string' },
        'no-context': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (error) {
    err(`scrawl: ${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.help) { out(USAGE); return 0 }
  if (positionals.length === 0) { err(USAGE); return 2 }
  const alternatives = values.alternatives === undefined ? undefined : Number(values.alternatives)
  if (alternatives !== undefined && !(Number.isInteger(alternatives) && alternatives >= 0)) { err('scrawl: --alternatives takes a whole number\n'); return 2 }
  if (values.model !== undefined && !Recognizer.models().includes(values.model)) {
    err(`scrawl: unknown model "${values.model}"; choose one of ${Recognizer.models().join(', ')}\n`)
    return 2
  }
  const options = { model: values.model, alternatives, context: !values['no-context'] }
  const recognizer = new Recognizer()
  try {
    if (positionals[0] === 'eval') {
      if (positionals.length !== 3) { err(`scrawl: eval takes DIR and TRUTH.json\n\n${USAGE}`); return 2 }
      return await evaluate(recognizer, positionals[1], positionals[2], options, out)
    }
    let failures = 0
    for (const file of positionals) {
      try {
        const bytes = readFileSync(file)
        const result = await recognizer.recognize(bytes, options)
        if (values.json) out(`${JSON.stringify(result, null, 2)}\n`)
        else out(positionals.length > 1 ? `== ${file}\n${result.text}\n` : `${result.text}\n`)
        if (values.boxes !== undefined) {
          const target = positionals.length > 1 ? suffixed(values.boxes, file) : values.boxes
          writeFileSync(target, await annotate(bytes, result))
        }
      } catch (error) {
        failures++
        err(`scrawl: ${file}: ${error instanceof ImageInputError || (error as NodeJS.ErrnoException).code === 'ENOENT' ? (error as Error).message : String(error)}\n`)
      }
    }
    return failures === 0 ? 0 : 1
  } finally {
    await recognizer.close()
  }
}

/** The annotated picture of a result. */
function annotate(bytes: Uint8Array, result: OcrResult): Promise<Buffer> {
  return renderAnnotated(bytes, result.lines, PIPELINE_CONFIG.decode.maxInputPixels)
}

function suffixed(target: string, image: string): string {
  const extension = extname(target) || '.png'
  const stem = target.slice(0, target.length - extname(target).length)
  return `${stem}-${basename(image, extname(image))}${extension}`
}

async function evaluate(recognizer: Recognizer, dir: string, truthPath: string, options: object, out: (s: string) => void): Promise<number> {
  const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as Record<string, string[]>
  let total: AccuracyCounts = { characters: 0, characterErrors: 0, words: 0, wordsFound: 0 }
  const percent = (v: number): string => `${(v * 100).toFixed(1)} %`
  for (const [file, lines] of Object.entries(truth)) {
    const result = await recognizer.recognize(readFileSync(join(dir, file)), options)
    const counts = compareTexts(result.text, lines.join('\n'))
    total = addCounts(total, counts)
    out(`${file}: characters ${percent(characterAccuracy(counts))} (${counts.characters - counts.characterErrors}/${counts.characters}), words ${percent(wordAccuracy(counts))} (${counts.wordsFound}/${counts.words})  read: ${JSON.stringify(result.text)}\n`)
  }
  out(`total: characters ${percent(characterAccuracy(total))} (${total.characters - total.characterErrors}/${total.characters}), words ${percent(wordAccuracy(total))} (${total.wordsFound}/${total.words})\n`)
  return 0
}

