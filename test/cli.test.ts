import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import t from 'tap'
import { run } from '../src/cli/scrawl.js'
import { repoRoot } from './helpers/data.js'

const notes = join(repoRoot, 'fixtures', 'notes')
const SIGN = join(notes, '09_sign.png')
const truth: Record<string, string[]> = JSON.parse(readFileSync(join(notes, 'truth.json'), 'utf8'))

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string; bytes: Buffer }> {
  let out = '',
    err = ''
  const chunks: Buffer[] = []
  const code = await run(
    args,
    (s) => {
      if (typeof s === 'string') out += s
      else chunks.push(Buffer.from(s))
    },
    (s) => {
      err += s
    },
  )
  return { code, out, err, bytes: Buffer.concat(chunks) }
}

t.test('prints the text of an image', async (t) => {
  const { code, out } = await cli(SIGN)
  t.equal(code, 0)
  t.equal(out, `${truth['09_sign.png'].join('\n')}\n`)
})

t.test('--json prints the API response; --boxes writes the annotated PNG', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'scrawl-cli-'))
  const target = join(dir, 'boxes.png')
  const { code, out } = await cli('--json', '--alternatives', '2', '--boxes', target, SIGN)
  t.equal(code, 0)
  const result = JSON.parse(out)
  t.equal(result.text, truth['09_sign.png'].join('\n'))
  t.equal(result.lines[0].words[0].chars[0].alternatives.length, 2)
  const meta = await sharp(readFileSync(target)).metadata()
  t.equal(meta.format, 'png')
  t.same([meta.width, meta.height], [1400, 700], 'drawn over the whole upload')
})

t.test('--format gives the same four answers as the API', async (t) => {
  const hocr = await cli('--format', 'hocr', SIGN)
  t.equal(hocr.code, 0)
  t.match(hocr.out, /^<\?xml[\s\S]*class="ocr_page"[\s\S]*<\/html>\n$/)
  const text = await cli('--format', 'text', SIGN)
  t.equal(text.out, `${truth['09_sign.png'].join('\n')}\n`)
  const json = await cli('--format', 'json', SIGN)
  t.equal(JSON.parse(json.out).text, truth['09_sign.png'].join('\n'))
  const png = await cli('--format', 'png', SIGN)
  t.equal(png.code, 0)
  t.same([(await sharp(png.bytes).metadata()).format], ['png'], 'the picture on standard output')
  t.equal((await cli('--format', 'png', SIGN, SIGN)).code, 2, 'one picture at a time')
  t.equal((await cli('--format', 'pdf', SIGN)).code, 2)
})

t.test('eval prints one line per image and the totals last: case-insensitive, case-sensitive, with punctuation', async (t) => {
  const { code, out } = await cli('eval', notes, join(notes, 'truth.json'))
  t.equal(code, 0)
  const lines = out.trim().split('\n')
  t.equal(lines.length, Object.keys(truth).length + 3)
  const figures = 'characters \\d+\\.\\d % \\(\\d+\\/\\d+\\), words \\d+\\.\\d % \\(\\d+\\/\\d+\\)'
  t.match(lines.at(-3), new RegExp(`^total: ${figures}$`))
  t.match(lines.at(-2), new RegExp(`^total, case-sensitive: ${figures}$`))
  t.match(lines.at(-1), new RegExp(`^total, case-sensitive with punctuation: ${figures}$`))
  t.match(lines[0], /^01_shopping\.jpg: characters .*; case-sensitive characters \d+\.\d %, words \d+\.\d %/)
})

t.test('usage errors and unreadable files', async (t) => {
  t.equal((await cli()).code, 2)
  t.equal((await cli('--model', 'nope', SIGN)).code, 2)
  t.equal((await cli('--alternatives', '-1', SIGN)).code, 2)
  t.equal((await cli('--alternatives', '11', SIGN)).code, 2, "the API's limit holds here too")
  t.equal((await cli('--bogus')).code, 2)
  t.match((await cli('--help')).out, /Usage:/)
  const missing = await cli(join(notes, 'missing.jpg'))
  t.equal(missing.code, 1)
  t.match(missing.err, /missing\.jpg/)
  const notImage = await cli(join(notes, 'truth.json'))
  t.equal(notImage.code, 1)
  t.match(notImage.err, /not an image/)
})
