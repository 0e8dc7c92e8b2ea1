import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import t from 'tap'
import { duration, listImages, parseRetryAfter, retryDelayMs, BASE_BACKOFF_MS, MAX_BACKOFF_MS } from '../../src/cli/read.js'
import { run } from '../../src/cli/scrawl.js'
import { repoRoot, samplesDir, skipUnlessPresent } from '../helpers/data.js'
import { startServer } from '../helpers/server.js'

const notes = join(repoRoot, 'fixtures', 'notes')
const noteImages = readdirSync(notes)
  .filter((f) => /\.(jpe?g|png)$/.test(f))
  .sort()
const noteTruth: Record<string, string[]> = JSON.parse(readFileSync(join(notes, 'truth.json'), 'utf8'))
const samplesSkip = skipUnlessPresent(samplesDir)
const sampleImages = samplesSkip
  ? []
  : readdirSync(samplesDir)
      .filter((f) => f.endsWith('.jpg'))
      .sort()
/** Folders every batch below reads: the fixtures, and the samples when they are there. */
const folders = samplesSkip ? [notes] : [notes, samplesDir]
const allImages = [...noteImages.map((f) => join(notes, f)), ...sampleImages.map((f) => join(samplesDir, f))]

/** Worker threads in-process: two, as the machine has; enough to read in parallel. */
const WORKERS = '2'

interface Line {
  file: string
  ok: boolean
  format?: string
  result?: { text: string }
  text?: string
  status?: number
  problem?: { status?: number }
  error?: string
}

async function read(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = ''
  const code = await run(
    ['read', ...args],
    (s) => {
      out += String(s)
    },
    (s) => {
      err += s
    },
  )
  return { code, out, err }
}

const linesOf = (text: string): Line[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line)
const scratch = (): string => mkdtempSync(join(tmpdir(), 'scrawl-read-'))
const summaryCount = (err: string, what: string): number => Number(new RegExp(`(\\d+) ${what}`).exec(err)?.[1] ?? NaN)

t.test('retry waits: Retry-After is the floor, the backoff doubles with jitter on top, both capped', async (t) => {
  t.equal(retryDelayMs(1, undefined, 0), BASE_BACKOFF_MS)
  t.equal(retryDelayMs(2, undefined, 0), 2 * BASE_BACKOFF_MS)
  t.equal(retryDelayMs(2, undefined, 0.999), Math.round(2 * BASE_BACKOFF_MS + 0.999 * BASE_BACKOFF_MS), 'jitter up to half the backoff')
  t.equal(retryDelayMs(1, 1000, 0), 1000, 'never sooner than the server asked')
  t.equal(retryDelayMs(1, 1000, 0.5), 1000 + BASE_BACKOFF_MS / 4, 'clients turned away together come back apart')
  t.equal(retryDelayMs(30, undefined, 0), MAX_BACKOFF_MS)
  t.equal(retryDelayMs(1, 3_600_000, 0), MAX_BACKOFF_MS, 'an absurd Retry-After is capped')
  t.equal(parseRetryAfter('2'), 2000)
  t.equal(parseRetryAfter(null), undefined)
  t.equal(parseRetryAfter('soon'), undefined)
  t.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')), 10_000)
  t.equal(duration(12.4), '12s')
  t.equal(duration(185), '3m 05s')
  t.equal(duration(3720), '1h 02m')
})

t.test('a folder is searched recursively for images, each once, sorted; listed files are taken as they are', async (t) => {
  const dir = scratch()
  mkdirSync(join(dir, 'b', 'deeper'), { recursive: true })
  for (const name of ['a.JPG', 'b/c.png', 'b/deeper/d.tiff', 'b/notes.txt', 'e.webp', 'f.gif', 'g.jpeg', 'h.tif'])
    writeFileSync(join(dir, name), 'x')
  const found = await listImages([dir, join(dir, 'a.JPG'), join(dir, 'b', 'notes.txt'), join(dir, 'missing.png')])
  t.same(
    found.map((f) => f.slice(dir.length + 1)),
    ['a.JPG', 'b/c.png', 'b/deeper/d.tiff', 'e.webp', 'f.gif', 'g.jpeg', 'h.tif', 'b/notes.txt', 'missing.png'],
  )
})

t.test('usage errors exit 2 with a message; --help prints the usage', async (t) => {
  for (const args of [
    [],
    ['--bogus', notes],
    ['--format', 'png', notes],
    ['--format', 'pdf', notes],
    ['--concurrency', '0', notes],
    ['--concurrency', 'many', notes],
    ['--server', 'ftp://127.0.0.1/', notes],
    ['--server', 'not a url', notes],
    ['--alternatives', '11', notes],
    ['--model', 'nope', notes],
    ['--out', '', notes],
    ['--out', notes, notes],
  ]) {
    const { code, err } = await read(...args)
    t.equal(code, 2, `read ${args.join(' ')}`)
    t.match(err, /^scrawl read: /)
  }
  const empty = await read(scratch())
  t.equal(empty.code, 2, 'a folder without images')
  t.match(empty.err, /no images/)
  const help = await read('--help')
  t.equal(help.code, 0)
  t.match(help.out, /Usage:\n {2}scrawl read DIR\|FILE/)
  let main = ''
  await run(['--help'], (s) => {
    main += String(s)
  })
  t.match(main, /scrawl read DIR\|FILE\.\.\. \[--server URL\]/, "the CLI's usage names the subcommand")
})

/** The in-process readings of every image, to compare the server's with. */
const inProcessText = new Map<string, string>()

t.test('in-process on the fixtures and samples, then resumed: every image read once, a re-run skips them all', async (t) => {
  if (samplesSkip) t.comment(samplesSkip)
  const out = join(scratch(), 'results.jsonl')
  const first = await read(...folders, '--concurrency', WORKERS, '--out', out)
  t.equal(first.code, 0, first.err)
  t.equal(first.out, '', 'the lines go to --out')
  const lines = linesOf(readFileSync(out, 'utf8'))
  t.same(lines.map((l) => l.file).sort(), [...allImages].sort(), 'one line per image')
  t.ok(
    lines.every((l) => l.ok && l.format === 'json' && typeof l.result?.text === 'string'),
    'every image read, as JSON',
  )
  for (const l of lines) inProcessText.set(l.file, l.result!.text)
  t.equal(inProcessText.get(join(notes, '09_sign.png')), noteTruth['09_sign.png'].join('\n'))
  t.equal(summaryCount(first.err, 'read'), allImages.length)
  t.match(
    first.err,
    new RegExp(`${allImages.length}/${allImages.length}, [\\d.]+ images/s\\n`),
    'a progress line per tenth without a terminal',
  )

  const again = await read(...folders, '--concurrency', WORKERS, '--out', out)
  t.equal(again.code, 0)
  t.match(again.err, `skipping ${allImages.length} of ${allImages.length} images already read`)
  t.match(again.err, `0 read, 0 failed, ${allImages.length} skipped`)
  t.equal(readFileSync(out, 'utf8').split('\n').filter(Boolean).length, lines.length, 'nothing appended')
})

t.test('a bad file is an error line and the rest are read; a re-run tries only the failures again', async (t) => {
  const dir = scratch()
  const good = ['04_phone.jpg', '09_sign.png']
  for (const name of good) copyFileSync(join(notes, name), join(dir, name))
  writeFileSync(join(dir, 'broken.jpg'), 'this is not a JPEG')
  const missing = join(dir, 'gone.png')
  const out = join(scratch(), 'results.jsonl')
  const first = await read(dir, missing, '--concurrency', '1', '--format', 'text', '--out', out)
  t.equal(first.code, 1, 'some images were not read')
  t.match(first.err, '2 read, 2 failed, 0 skipped')
  const lines = linesOf(readFileSync(out, 'utf8'))
  t.equal(lines.length, 4)
  for (const name of good) {
    const line = lines.find((l) => basename(l.file) === name)
    t.same(line && { ok: line.ok, format: line.format }, { ok: true, format: 'text' }, name)
  }
  t.equal(lines.find((l) => basename(l.file) === '09_sign.png')?.text, `${noteTruth['09_sign.png'].join('\n')}\n`)
  t.match(
    lines.find((l) => basename(l.file) === 'broken.jpg'),
    { ok: false, error: /not an image|unsupported|decode/i },
  )
  t.match(
    lines.find((l) => l.file === missing),
    { ok: false, error: /ENOENT/ },
  )

  // A run killed in the middle of a line leaves half of it; the next run starts on a new line.
  appendFileSync(out, '{"file":"half')
  const again = await read(dir, missing, '--concurrency', '1', '--format', 'text', '--out', out)
  t.equal(again.code, 1)
  t.match(again.err, 'skipping 2 of 4 images already read')
  t.match(again.err, '0 read, 2 failed, 2 skipped')
  const all = readFileSync(out, 'utf8').split('\n').filter(Boolean)
  t.equal(all.length, 7, 'four lines, the half line, and the two failures again')
  t.same(
    all.filter((l) => {
      try {
        JSON.parse(l)
        return false
      } catch {
        return true
      }
    }),
    ['{"file":"half'],
  )
})

t.test('without --out the lines go to standard output', async (t) => {
  const { code, out } = await read(join(notes, '09_sign.png'), '--concurrency', '1', '--format', 'hocr')
  t.equal(code, 0)
  const [line] = linesOf(out)
  t.match(line, { file: join(notes, '09_sign.png'), ok: true, format: 'hocr', hocr: /class="ocr_page"/ })
})

t.test('through a server overloaded on purpose: 503s are retried until every image is read once', async (t) => {
  // One worker and no queue: with four requests in flight, three are turned away with 503 at a time.
  const server = await startServer({ WORKERS: '1', QUEUE_LIMIT: '0', LOG_LEVEL: 'info' })
  t.teardown(() => server.stop())
  const out = join(scratch(), 'results.jsonl')
  const { code, err } = await read(...folders, '--server', server.url, '--concurrency', '4', '--format', 'text', '--out', out)
  t.equal(code, 0, err)
  const lines = linesOf(readFileSync(out, 'utf8'))
  t.same(lines.map((l) => l.file).sort(), [...allImages].sort(), 'one line per image')
  t.ok(
    lines.every((l) => l.ok && l.format === 'text'),
    'every image read',
  )
  const retries = summaryCount(err, 'retries')
  t.ok(retries > 0, `the server was overloaded: ${retries} retries`)
  if (inProcessText.size > 0) {
    t.same(
      Object.fromEntries(lines.map((l) => [l.file, l.text])),
      Object.fromEntries(lines.map((l) => [l.file, toText(inProcessText.get(l.file))])),
      'the same readings as in-process',
    )
  }

  const again = await read(...folders, '--server', server.url, '--out', out)
  t.equal(again.code, 0)
  t.match(again.err, `0 read, 0 failed, ${allImages.length} skipped`)

  // The server's own log, whole once it has exited (a response's log line can trail the response):
  // each image answered 200 exactly once, and each retry was a 503.
  await server.stop()
  const logs = server.logs.flatMap((l) => {
    try {
      return [JSON.parse(l) as { requestId?: string; req?: { url: string }; res?: { statusCode: number } }]
    } catch {
      return []
    }
  })
  const ocr = new Set(logs.filter((l) => l.req?.url.startsWith('/ocr')).map((l) => l.requestId))
  const statuses = logs.filter((l) => l.res && ocr.has(l.requestId)).map((l) => l.res!.statusCode)
  t.equal(statuses.filter((s) => s === 200).length, allImages.length, 'no image read twice')
  t.equal(statuses.filter((s) => s === 503).length, retries, 'every retry answered a 503')
  t.same(
    statuses.filter((s) => s !== 200 && s !== 503),
    [],
  )
})

const toText = (text: string | undefined): string | undefined => (text === undefined || text === '' ? text : `${text}\n`)

t.test('a server that is not there fails fast, without reading or recording anything', async (t) => {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
  const out = join(scratch(), 'results.jsonl')
  const { code, err } = await read(notes, '--server', `http://127.0.0.1:${port}`, '--out', out)
  t.equal(code, 1)
  t.match(err, /cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/)
  t.equal(readFileSync(out, 'utf8'), '', 'no lines')
})
