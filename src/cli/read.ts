import { createReadStream } from 'node:fs'
import { open, readdir, readFile, realpath, stat } from 'node:fs/promises'
import { extname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { z, ZodError } from 'zod'
import { Reader } from '../reading/reader.js'
import { DEFAULT_ALTERNATIVES, MAX_ALTERNATIVES, resolveReadOptions, type ResolvedReadOptions } from '../reading/options.js'
import type { OcrResult } from '../reading/result.js'
import { PIPELINE_CONFIG } from '../pipeline/config.js'
import { DEFAULT_MODEL } from '../classifier/registry.js'
import { availableCpus } from '../server/config.js'
import { WorkerPool } from '../server/pool.js'
import { READING_FLAGS } from './flags.js'

/**
 * `scrawl read DIR|FILE...`: reads many images, in this process on a pool of worker threads or
 * through a scrawl server or gateway, and records one JSON line per image. The output is the
 * batch's memory: a re-run with the same `--out` skips what it already read, so a batch that was
 * stopped (or lost its server) goes on where it was.
 */

/** File extensions a folder is searched for, with the media type each is sent as. */
export const IMAGE_MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.gif': 'image/gif',
}

/** Formats a batch records: each fits in a JSON line (a PNG per image does not). */
export const BATCH_FORMATS = ['json', 'text', 'hocr'] as const
export type BatchFormat = (typeof BATCH_FORMATS)[number]

/** Requests in flight through `--server` unless told. */
export const DEFAULT_SERVER_CONCURRENCY = 4
/** The most readings at once either way; as many as a server's `WORKERS` may be. */
export const MAX_CONCURRENCY = 256

/** Tries per image through a server, the first included, before its failure is recorded. */
export const MAX_TRIES = 8
/** Wait before the second try when the answer gave no `Retry-After`; it doubles with each try. */
export const BASE_BACKOFF_MS = 500
/** The longest wait between two tries, a `Retry-After` included. */
export const MAX_BACKOFF_MS = 30_000
/** Answers worth another try: overloaded, timed out or restarting servers, and gateways in front of them. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504])
/** Answers of a server that is up but busy: it will get to the image, so they are not counted against {@link MAX_TRIES}. */
export const BUSY_STATUSES: ReadonlySet<number> = new Set([429, 503])
/**
 * How long an image keeps being offered to a server that answers it is busy, tries past
 * {@link MAX_TRIES} included: under a long overload an image can be turned away eight times in a
 * row while the others are read, and a batch should wait its turn rather than drop it.
 */
export const BUSY_PATIENCE_MS = 600_000
/**
 * How long one request may go unanswered before it counts as a lost connection and is tried
 * again: longer than a server's own `REQUEST_TIMEOUT_MS` (30 s by default), which answers 503.
 */
export const REQUEST_TIMEOUT_MS = 120_000
/**
 * Images in a row that found no server on any of their tries before the batch stops: a server
 * that is gone is not a bad image, and waiting out every try of every image would take hours.
 */
export const UNREACHABLE_IMAGES_TO_STOP = 3

/** In-process readings: a deadline for one image, as the server has. */
const IN_PROCESS_TIMEOUT_MS = 120_000
/** Without a terminal, a plain progress line every this share of the batch (and at most every 100 images). */
const PROGRESS_LINES = 10
const MAX_PROGRESS_EVERY = 100
/** Shortest gap between two redraws of the progress bar on a terminal. */
const REDRAW_INTERVAL_MS = 200
const BAR_WIDTH = 24

const USAGE = `Usage:
  scrawl read DIR|FILE... [options]

Reads every image in the folders (recursively: ${Object.keys(IMAGE_MEDIA_TYPES).join(' ')}) and every file
listed, and writes one JSON line per image, in the order they finish:
  {"file":…,"ok":true,"format":"json","result":{…}}        (or "text":… / "hocr":…)
  {"file":…,"ok":false,"status":503,"problem":{…}}         (or "error":"…")

Options:
  --out FILE             append the lines to FILE (default: standard output); a re-run with the same
                         FILE skips the images already read in it
  --server URL           read through a scrawl server or gateway (POST URL/ocr) instead of in this
                         process; 503s and lost connections are tried again (up to ${MAX_TRIES} tries, after
                         Retry-After, with growing waits; a busy server's 503 and 429 for up to
                         ${BUSY_PATIENCE_MS / 60_000} minutes)
  --concurrency N        readings at once: worker threads in this process (default: the CPUs), or
                         requests in flight with --server (default ${DEFAULT_SERVER_CONCURRENCY}); 1–${MAX_CONCURRENCY}
  --format FORMAT        json (default), text or hocr
  --model NAME           model to read with (${Reader.models().join(', ')}; default ${DEFAULT_MODEL})
  --alternatives N       alternatives per character in the JSON (0–${MAX_ALTERNATIVES}, default ${DEFAULT_ALTERNATIVES})
  --no-context           no look-alike swaps or lexicon correction
  -h, --help             this text

Progress goes to standard error. Exit status: 0 when every image was read, 1 when some were not,
2 for a usage error.
`

/** One line of the output. */
export type BatchLine =
  | { readonly file: string; readonly ok: true; readonly format: 'json'; readonly result: OcrResult }
  | { readonly file: string; readonly ok: true; readonly format: 'text'; readonly text: string }
  | { readonly file: string; readonly ok: true; readonly format: 'hocr'; readonly hocr: string }
  | { readonly file: string; readonly ok: false; readonly status?: number; readonly problem?: unknown; readonly error?: string }

/** Where `scrawl read` writes; `interactive` draws the progress bar in place (stderr is a terminal). */
export interface ReadTerminal {
  readonly out: (s: string) => void
  readonly err: (s: string) => void
  readonly interactive: boolean
}

/** What the command line asked for. */
interface BatchRequest {
  readonly paths: string[]
  readonly server?: URL
  readonly concurrency?: number
  readonly out?: string
  readonly options: ResolvedReadOptions & { format: BatchFormat }
  /** The reading options given on the command line, as `POST /ocr` query parameters. */
  readonly query: URLSearchParams
}

const wholeNumber = (v: string | undefined): number | undefined => (v === undefined ? undefined : /^\d+$/.test(v) ? Number(v) : NaN)

/** The options `scrawl read` adds to those of a reading; the reading options come from `resolveReadOptions`. */
const batchOptionsSchema = z.strictObject({
  server: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional(),
  concurrency: z.number().int().min(1).max(MAX_CONCURRENCY).optional(),
})

/**
 * Parses and validates the arguments.
 *
 * @returns the request, or a usage message (exit status 2)
 */
function parseRequest(argv: string[]): BatchRequest | { usage: string } | { help: true } {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...READING_FLAGS,
        server: { type: 'string' },
        concurrency: { type: 'string' },
        out: { type: 'string' },
      },
    })
  } catch (error) {
    return { usage: `scrawl read: ${(error as Error).message}\n\n${USAGE}` }
  }
  const { values, positionals } = parsed
  if (values.help) return { help: true }
  if (positionals.length === 0) return { usage: `scrawl read: name a folder or image files\n\n${USAGE}` }
  if (values.out === '') return { usage: 'scrawl read: --out: expected a file name\n' }
  let options: ResolvedReadOptions
  let batch: z.output<typeof batchOptionsSchema>
  try {
    options = resolveReadOptions({
      model: values.model,
      alternatives: wholeNumber(values.alternatives),
      context: !values['no-context'],
      format: (values.format ?? 'json') as ResolvedReadOptions['format'],
    })
    batch = batchOptionsSchema.parse({ server: values.server, concurrency: wholeNumber(values.concurrency) })
  } catch (error) {
    if (!(error instanceof ZodError)) throw error
    return { usage: `scrawl read: ${error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n` }
  }
  const format = options.format
  if (!isBatchFormat(format))
    return { usage: `scrawl read: --format: a batch records ${BATCH_FORMATS.join(', ')} (not ${format}: one picture per image)\n` }
  const query = new URLSearchParams({ format })
  if (values.model !== undefined) query.set('model', options.model)
  if (values.alternatives !== undefined) query.set('alternatives', String(options.alternatives))
  if (values['no-context']) query.set('context', 'false')
  return {
    paths: positionals,
    server: batch.server === undefined ? undefined : new URL(batch.server),
    concurrency: batch.concurrency,
    out: values.out,
    options: { ...options, format },
    query,
  }
}

const isBatchFormat = (format: string): format is BatchFormat => (BATCH_FORMATS as readonly string[]).includes(format)

/**
 * `scrawl read`: reads the images named by `argv` (folders and files) and records a line for
 * each; returns the exit status (0 all read, 1 some not, 2 usage).
 */
export async function runRead(argv: string[], terminal: ReadTerminal): Promise<number> {
  const { out, err } = terminal
  const request = parseRequest(argv)
  if ('help' in request) {
    out(USAGE)
    return 0
  }
  if ('usage' in request) {
    err(request.usage)
    return 2
  }

  const images = await listImages(request.paths)
  if (images.length === 0) {
    err(`scrawl read: no images in ${request.paths.join(', ')} (looked for ${Object.keys(IMAGE_MEDIA_TYPES).join(' ')})\n`)
    return 2
  }
  let recorded = new Set<string>()
  if (request.out !== undefined) {
    try {
      recorded = await readRecorded(request.out)
    } catch (error) {
      err(`scrawl read: --out: ${(error as Error).message}\n`)
      return 2
    }
  }
  const todo = images.filter((file) => !recorded.has(resolve(file)))
  const skipped = images.length - todo.length
  if (skipped > 0) err(`scrawl read: skipping ${skipped} of ${images.length} images already read in ${request.out}\n`)
  if (todo.length === 0) {
    err(`scrawl read: 0 read, 0 failed, ${skipped} skipped: nothing left to read\n`)
    return 0
  }

  let sink: Sink
  try {
    sink = request.out === undefined ? { write: async (line) => out(line), close: async () => undefined } : await appendingSink(request.out)
  } catch (error) {
    err(`scrawl read: --out: ${(error as Error).message}\n`)
    return 2
  }
  const counts = { read: 0, failed: 0, retries: 0 }
  let reading: ImageReading | undefined
  let progress: Progress | undefined
  try {
    reading =
      request.server === undefined
        ? await readInProcess(request.options, request.concurrency ?? availableCpus())
        : await readThroughServer(
            request.server,
            request.query,
            request.options.format,
            request.concurrency ?? DEFAULT_SERVER_CONCURRENCY,
            counts,
          )
    // The clock starts once the models are loaded (or the server answered), so the rate is the reading's.
    progress = new Progress(todo.length, terminal)
    const stopped = await runBatch(todo, reading, async (line) => {
      if (line.ok) counts.read++
      else counts.failed++
      await sink.write(`${JSON.stringify(line)}\n`)
      progress?.done(counts.read + counts.failed)
    })
    progress.finish()
    const seconds = progress.seconds()
    err(
      `scrawl read: ${counts.read} read, ${counts.failed} failed, ${skipped} skipped, ${counts.retries} retries, ` +
        `in ${duration(seconds)} (${rate(counts.read + counts.failed, seconds)})\n`,
    )
    if (stopped !== undefined) {
      err(
        `scrawl read: stopped with ${todo.length - counts.read - counts.failed} images left: ${stopped}; run the same command again to go on\n`,
      )
      return 1
    }
    return counts.failed === 0 ? 0 : 1
  } catch (error) {
    progress?.finish()
    err(`scrawl read: ${(error as Error).message}\n`)
    return 1
  } finally {
    await sink.close()
    await reading?.close()
  }
}

/** How a batch reads one image; `read` never throws: a failure is a line. */
interface ImageReading {
  /** Readings to keep in flight. */
  readonly lanes: number
  read(file: string): Promise<BatchLine>
  /** Set when the batch should take no more images, saying why. */
  readonly stopReason?: string
  close(): Promise<void>
}

/**
 * Reads `files` with `reading.lanes` in flight, handing each line to `record` as it comes.
 *
 * @returns why the batch stopped early, or undefined when every file was read
 */
async function runBatch(
  files: readonly string[],
  reading: ImageReading,
  record: (line: BatchLine) => Promise<void>,
): Promise<string | undefined> {
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < files.length && reading.stopReason === undefined) {
      const file = files[next++]
      await record(await reading.read(file))
    }
  }
  await Promise.all(Array.from({ length: Math.min(reading.lanes, files.length) }, lane))
  return next < files.length ? reading.stopReason : undefined
}

/**
 * In this process: a {@link WorkerPool} of `workers` threads, with as many images again waiting
 * in its queue so that a worker never waits for the next file to be loaded.
 */
async function readInProcess(options: ResolvedReadOptions, workers: number): Promise<ImageReading> {
  const pool = new WorkerPool({
    workers,
    queueLimit: workers,
    intraOpNumThreads: 1,
    maxInputPixels: PIPELINE_CONFIG.decode.maxInputPixels,
    timeoutMs: IN_PROCESS_TIMEOUT_MS,
  })
  try {
    await pool.warmUp()
  } catch (error) {
    await pool.close(0)
    throw error
  }
  return {
    lanes: 2 * workers,
    async read(file) {
      try {
        const { rendered } = await pool.read(await readFile(file), options)
        if (rendered.format === 'json') return { file, ok: true, format: 'json', result: rendered.body }
        if (rendered.format === 'text') return { file, ok: true, format: 'text', text: rendered.body }
        if (rendered.format === 'hocr') return { file, ok: true, format: 'hocr', hocr: rendered.body }
        return { file, ok: false, error: `a batch does not record ${rendered.format}` }
      } catch (error) {
        return { file, ok: false, error: (error as Error).message ?? String(error) }
      }
    },
    close: () => pool.close(),
  }
}

/**
 * Through a server or gateway: `POST URL/ocr?format=…` with the image as the body. Answers in
 * {@link RETRY_STATUSES} and lost connections are tried again after {@link retryDelayMs}; other
 * answers are final (a 400 for a file that is not an image is that file's line).
 */
async function readThroughServer(
  server: URL,
  query: URLSearchParams,
  format: BatchFormat,
  concurrency: number,
  counts: { retries: number },
): Promise<ImageReading> {
  const base = server.href.endsWith('/') ? server : new URL(`${server.href}/`)
  const endpoint = new URL(`ocr?${query}`, base)
  await checkReachable(new URL('healthz', base))
  let unreachableInARow = 0
  const reading: { -readonly [K in keyof ImageReading]: ImageReading[K] } = {
    lanes: concurrency,
    async read(file) {
      let image: Buffer
      try {
        image = await readFile(file)
      } catch (error) {
        return { file, ok: false, error: (error as Error).message }
      }
      const started = Date.now()
      for (let attempt = 1; ; attempt++) {
        let wait: number
        try {
          const response = await fetch(endpoint, {
            method: 'POST',
            body: image as Uint8Array<ArrayBuffer>,
            headers: { 'content-type': mediaType(file) },
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          })
          const body = await response.text()
          unreachableInARow = 0
          if (response.status === 200) return success(file, format, body)
          const patient = BUSY_STATUSES.has(response.status) && Date.now() - started < BUSY_PATIENCE_MS
          if (!RETRY_STATUSES.has(response.status) || (attempt >= MAX_TRIES && !patient))
            return { file, ok: false, status: response.status, ...problemOf(body) }
          wait = retryDelayMs(attempt, parseRetryAfter(response.headers.get('retry-after')))
        } catch (error) {
          if (attempt >= MAX_TRIES) {
            if (++unreachableInARow >= UNREACHABLE_IMAGES_TO_STOP) {
              reading.stopReason = `${UNREACHABLE_IMAGES_TO_STOP} images in a row found no server at ${server.origin}`
            }
            return { file, ok: false, error: `no answer from ${server.origin} in ${MAX_TRIES} tries: ${connectionFailure(error)}` }
          }
          wait = retryDelayMs(attempt, undefined)
        }
        counts.retries++
        await sleep(wait)
        // Images still trying when the batch stopped end now rather than after all their tries.
        if (reading.stopReason !== undefined) return { file, ok: false, error: `not read: ${reading.stopReason}` }
      }
    },
    close: async () => undefined,
  }
  return reading
}

function success(file: string, format: BatchFormat, body: string): BatchLine {
  if (format === 'text') return { file, ok: true, format, text: body }
  if (format === 'hocr') return { file, ok: true, format, hocr: body }
  try {
    return { file, ok: true, format, result: JSON.parse(body) as OcrResult }
  } catch {
    return { file, ok: false, status: 200, error: `the server's answer is not JSON: ${body.slice(0, 200)}` }
  }
}

/** The problem details of an error answer, or its text when it has none (a gateway's HTML page). */
function problemOf(body: string): { problem: unknown } | { error: string } {
  try {
    return { problem: JSON.parse(body) as unknown }
  } catch {
    return { error: body.slice(0, 500) }
  }
}

/** Tries that a server must answer before the batch starts, and the wait between them. */
const REACHABLE_TRIES = 3
const REACHABLE_TIMEOUT_MS = 10_000

/**
 * Fails fast when nothing answers at the server's address (any HTTP answer will do), rather than
 * trying every image {@link MAX_TRIES} times.
 */
async function checkReachable(url: URL): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(REACHABLE_TIMEOUT_MS) })
      await response.arrayBuffer()
      return
    } catch (error) {
      if (attempt >= REACHABLE_TRIES) throw new Error(`cannot reach ${url.origin}: ${connectionFailure(error)}`)
      await sleep(retryDelayMs(attempt, undefined))
    }
  }
}

/** Why a request got no answer, in a few words (fetch hides the reason in `cause`). */
function connectionFailure(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer in ${REQUEST_TIMEOUT_MS / 1000} s`
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error)
}

/**
 * How long to wait before try `attempt + 1`: at least what the server asked (`Retry-After`), at
 * least {@link BASE_BACKOFF_MS} doubled per try before, plus a random share of the latter so that
 * clients turned away together do not all come back together; never more than
 * {@link MAX_BACKOFF_MS} plus the jitter.
 *
 * @param attempt the try that failed, from 1
 * @param retryAfterMs what the answer's `Retry-After` asked, if anything
 * @param random a number in [0, 1)
 */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, random: number = Math.random()): number {
  const backoff = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempt - 1))
  const floor = Math.min(MAX_BACKOFF_MS, Math.max(retryAfterMs ?? 0, backoff))
  return Math.round(floor + random * (backoff / 2))
}

/**
 * A `Retry-After` header in milliseconds: seconds, or an HTTP date (from `now`); undefined when
 * absent or unreadable.
 */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined
  const value = header.trim()
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

function mediaType(file: string): string {
  return IMAGE_MEDIA_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * The images named by `paths`: folders are searched recursively (sorted, symbolic links followed
 * once) for {@link IMAGE_MEDIA_TYPES}; anything else is taken as a file to read whatever its name,
 * so that one that is missing or not an image becomes an error line. Each image once.
 */
export async function listImages(paths: readonly string[]): Promise<string[]> {
  const images: string[] = []
  const seen = new Set<string>()
  const visited = new Set<string>()
  const add = (file: string): void => {
    const key = resolve(file)
    if (seen.has(key)) return
    seen.add(key)
    images.push(file)
  }
  const walk = async (dir: string): Promise<void> => {
    const real = await realpath(dir)
    if (visited.has(real)) return
    visited.add(real)
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      const path = join(dir, entry.name)
      const kind = entry.isSymbolicLink() ? await stat(path).catch(() => undefined) : entry
      if (kind?.isDirectory()) await walk(path)
      else if (kind?.isFile() && extname(entry.name).toLowerCase() in IMAGE_MEDIA_TYPES) add(path)
    }
  }
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined)
    if (info?.isDirectory()) await walk(path)
    else add(path)
  }
  return images
}

/** The start of a line as `scrawl read` writes it, so that a long result need not be parsed to be skipped. */
const LINE_START = /^\{"file":("(?:[^"\\]|\\.)*"),"ok":(true|false)[,}]/

/**
 * The files (resolved) that an earlier run recorded as read in `path`; none when it does not
 * exist. Lines that are not JSON (one cut short when a run was killed) are passed over.
 */
export async function readRecorded(path: string): Promise<Set<string>> {
  const recorded = new Set<string>()
  const info = await stat(path).catch(() => undefined)
  if (info === undefined) return recorded
  if (!info.isFile()) throw new Error(`${path} is not a file`)
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })
  for await (const line of lines) {
    const start = LINE_START.exec(line)
    let file: unknown, ok: unknown
    if (start) {
      file = JSON.parse(start[1])
      ok = start[2] === 'true'
    } else {
      try {
        ;({ file, ok } = JSON.parse(line) as { file?: unknown; ok?: unknown })
      } catch {
        continue
      }
    }
    if (ok === true && typeof file === 'string') recorded.add(resolve(file))
  }
  return recorded
}

/** Where the lines go, one write at a time. */
interface Sink {
  write(line: string): Promise<void>
  close(): Promise<void>
}

/** Appends to `path`, after a line break when an earlier run was cut off in the middle of a line. */
async function appendingSink(path: string): Promise<Sink> {
  const handle = await open(path, 'a+')
  const { size } = await handle.stat()
  let pending: Promise<unknown> = Promise.resolve()
  if (size > 0) {
    const last = Buffer.alloc(1)
    await handle.read(last, 0, 1, size - 1)
    if (last[0] !== 0x0a) pending = handle.appendFile('\n')
  }
  return {
    write(line) {
      const written = pending.then(() => handle.appendFile(line))
      pending = written
      return written
    },
    async close() {
      await pending.catch(() => undefined)
      await handle.close()
    },
  }
}

/**
 * Progress on standard error: on a terminal a bar redrawn in place (done/total, rate, time left);
 * elsewhere (a log, a pipe) the same as a plain line every tenth of the batch.
 */
class Progress {
  readonly #total: number
  readonly #terminal: ReadTerminal
  readonly #every: number
  readonly #started = performance.now()
  #lastDraw = 0
  #drawn = false

  constructor(total: number, terminal: ReadTerminal) {
    this.#total = total
    this.#terminal = terminal
    this.#every = Math.max(1, Math.min(MAX_PROGRESS_EVERY, Math.ceil(total / PROGRESS_LINES)))
  }

  seconds(): number {
    return (performance.now() - this.#started) / 1000
  }

  done(count: number): void {
    const seconds = this.seconds()
    const left = count > 0 && count < this.#total ? `, about ${duration((seconds / count) * (this.#total - count))} left` : ''
    const status = `${count}/${this.#total}, ${rate(count, seconds)}${left}`
    if (!this.#terminal.interactive) {
      if (count % this.#every === 0 || count === this.#total) this.#terminal.err(`scrawl read: ${status}\n`)
      return
    }
    const now = performance.now()
    if (now - this.#lastDraw < REDRAW_INTERVAL_MS && count < this.#total) return
    this.#lastDraw = now
    const filled = this.#total === 0 ? BAR_WIDTH : Math.round((count / this.#total) * BAR_WIDTH)
    this.#terminal.err(`\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${status}`)
    this.#drawn = true
  }

  /** Clears the bar, so that what follows starts on a clean line. */
  finish(): void {
    if (this.#drawn) this.#terminal.err('\r\x1b[2K')
    this.#drawn = false
  }
}

/** Images per second. */
function rate(count: number, seconds: number): string {
  return `${seconds > 0 ? (count / seconds).toFixed(count / seconds < 10 ? 2 : 1) : '0'} images/s`
}

/** Seconds as `1h 02m`, `3m 05s` or `12s`. */
export function duration(seconds: number): string {
  const whole = Math.round(seconds)
  const h = Math.floor(whole / 3600),
    m = Math.floor((whole % 3600) / 60),
    s = whole % 60
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`
  return `${s}s`
}
