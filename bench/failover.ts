/**
 * Replicas behind the gateway lose nothing when replicas die, and what the replica count buys.
 *
 * 1. Failover: three replicas of the built server (`dist/bin/server.js`, WORKERS=1 each) on
 *    loopback ports behind Debian's nginx running deploy/nginx/scrawl.conf rendered for them.
 *    300 requests of real photos (the samples and fixtures/notes) from 8 concurrent clients; after
 *    100 answers one replica is killed with SIGKILL while it holds a request, after 170 another
 *    gets SIGTERM while it holds one; each starts again on its port 2 s after it ended (a restart
 *    policy, a rolling update). Every request must be answered 200 with the text a replica
 *    reads for that photo when nothing goes wrong, and each request id must appear with a 200 in
 *    exactly one replica's log: none lost, none answered twice. (A request that a replica answers
 *    503 for running past REQUEST_TIMEOUT_MS, which happens only when other work starves the
 *    machine of CPU, is sent again after Retry-After, as a client does, and shown in the output.)
 * 2. Throughput through the gateway with 1, 2 and 3 replicas (and one replica without the
 *    gateway), 8 clients, {@link THROUGHPUT_MS} each, in {@link THROUGHPUT_ROUNDS} rounds.
 *
 *   npm run build && npx tsx bench/failover.ts      (.ci/run runs it under CI=true)
 *   THROUGHPUT_ROUNDS=3 npx tsx bench/failover.ts  (the README's figures: 3 interleaved rounds)
 *
 * Loopback only, bounded in count and time, stops by itself (about two minutes on 2 CPUs);
 * exits 1 when any request was lost, failed, read wrongly or answered twice.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { basename, join } from 'node:path'
import { addCounts, characterAccuracy, compareTexts } from '../src/evaluation/metrics.js'
import { repoRoot, samplesDir, skipUnlessPresent } from '../test/helpers/data.js'
import { skipUnlessNginx, startGateway, type RunningGateway } from '../test/helpers/nginx.js'
import { startServer, type RunningServer } from '../test/helpers/server.js'
import { median, percentile } from './lib/stats.js'

const REPLICAS = 3
const REQUESTS = 300
const CLIENTS = 8
/** Answers after which the first replica gets SIGKILL, and the second SIGTERM. */
const SIGKILL_AFTER = 100
const SIGTERM_AFTER = 170
/** How long a stopped replica stays away before it starts again on its port. */
const RESTART_DELAY_MS = 2_000
/** How often a client sends a request again after a replica's 503 for its time limit. */
const TIMEOUT_RETRIES = 2
/** Load per replica count in the throughput part, after a short warm-up (THROUGHPUT_SECONDS overrides). */
const THROUGHPUT_MS = Number(process.env.THROUGHPUT_SECONDS ?? 10) * 1000
/** Rounds of all rows (THROUGHPUT_ROUNDS overrides); each row's figure is its median round. */
const THROUGHPUT_ROUNDS = Number(process.env.THROUGHPUT_ROUNDS ?? 1)
const WARMUP_MS = 2_000
/**
 * One worker per replica, so that N replicas are N workers. The queue has room for all 8 clients
 * on the last replica standing: this run is about losing nothing while replicas die, not about
 * overload (a full queue's 503s are test/server/load.test.ts's subject).
 */
const REPLICA_ENV = { WORKERS: '1', QUEUE_LIMIT: String(CLIENTS), LOG_LEVEL: 'info' }

interface Photo {
  readonly name: string
  readonly bytes: Uint8Array
  readonly contentType: string
  readonly truth: string
}

/** The samples (when ../shared/data is there) and the fixtures, with their truth. */
function loadPhotos(): Photo[] {
  const fromFolder = (dir: string, label: string): Photo[] => {
    const truth: Record<string, string[]> = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'))
    return readdirSync(dir)
      .filter((file) => /\.(jpe?g|png)$/i.test(file) && truth[file])
      .sort()
      .map((file) => ({
        name: `${label}/${file}`,
        bytes: readFileSync(join(dir, file)),
        contentType: /\.png$/i.test(file) ? 'image/png' : 'image/jpeg',
        truth: truth[file].join('\n'),
      }))
  }
  const skipSamples = skipUnlessPresent(samplesDir)
  if (skipSamples) console.error(skipSamples)
  return [...(skipSamples ? [] : fromFolder(samplesDir, 'samples')), ...fromFolder(join(repoRoot, 'fixtures', 'notes'), 'fixtures')]
}

interface Answer {
  readonly status: number
  readonly text: string
  readonly requestId: string | null
  readonly retryAfter: string | null
}

const isTimeout = (answer: Answer): boolean =>
  answer.status === 503 && answer.retryAfter !== null && answer.text.includes('urn:scrawl:problem:timeout')

async function read(url: string, photo: Photo, requestId?: string): Promise<Answer> {
  const response = await fetch(`${url}/ocr?format=text`, {
    method: 'POST',
    body: photo.bytes as Uint8Array<ArrayBuffer>,
    headers: { 'content-type': photo.contentType, ...(requestId ? { 'x-request-id': requestId } : {}) },
  })
  const text = await response.text()
  return { status: response.status, text, requestId: response.headers.get('x-request-id'), retryAfter: response.headers.get('retry-after') }
}

/** A pino line of a replica's log, as far as it is read here. */
interface LogLine {
  requestId?: string
  msg?: string
  res?: { statusCode: number }
}

function parseLog(lines: readonly string[]): LogLine[] {
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as LogLine]
    } catch {
      return []
    }
  })
}

/** Request ids a replica has received but not answered yet, by its log. */
function inFlight(replica: RunningServer): string[] {
  const open = new Set<string>()
  for (const line of parseLog(replica.logs)) {
    if (!line.requestId?.startsWith('failover-')) continue
    if (line.msg === 'incoming request') open.add(line.requestId)
    if (line.msg === 'request completed') open.delete(line.requestId)
  }
  return [...open]
}

const until = async (condition: () => boolean, timeoutMs: number): Promise<boolean> => {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 5))) if (condition()) return true
  return condition()
}

interface FailoverResult {
  readonly problems: string[]
  readonly answered200: number
  readonly attempts: number
  readonly retriedByGateway: number
  readonly heldByKilled: number
  readonly heldByStopped: number
  readonly stoppedExit: number | null
  readonly wallMs: number
  /** Ids sent again by the client after a replica's own 503 for running past REQUEST_TIMEOUT_MS. */
  readonly timeoutRetries: readonly string[]
  /** Requests answered 200 by the replicas that came back. */
  readonly servedByReturned: number
  /** Each photo's text when nothing goes wrong. */
  readonly expected: ReadonlyMap<string, string>
}

async function failover(photos: readonly Photo[]): Promise<FailoverResult> {
  const replicas: RunningServer[] = await Promise.all(Array.from({ length: REPLICAS }, () => startServer(REPLICA_ENV)))
  let gateway: RunningGateway | undefined
  const comebacks: Promise<RunningServer>[] = []
  try {
    // What each photo reads as when nothing goes wrong: the pipeline is deterministic, so every
    // answer during the run must be exactly this.
    const expected = new Map<string, string>()
    for (const photo of photos) {
      const answer = await read(replicas[2].url, photo, `reference-${basename(photo.name)}`)
      if (answer.status !== 200) throw new Error(`reference reading of ${photo.name}: ${answer.status} ${answer.text}`)
      expected.set(photo.name, answer.text)
    }
    gateway = await startGateway(replicas.map((r) => new URL(r.url).host))
    const [killed, stopped] = [replicas[0], replicas[1]]
    const results: (Answer & { id: string; photo: Photo })[] = []
    const problems: string[] = []
    let next = 0,
      answered = 0,
      heldByKilled = 0,
      heldByStopped = 0
    const timeoutRetries: string[] = []
    let killing: Promise<void> | undefined, stopping: Promise<void> | undefined
    // Each stopped replica comes back on its port after a moment, as a restart policy or a rolling
    // update would bring it back; the gateway sends it requests again once its fail_timeout is over.
    const comeBack = (replica: RunningServer): void => {
      comebacks.push(
        replica.exited
          .then(() => new Promise((r) => setTimeout(r, RESTART_DELAY_MS)))
          .then(() => startServer({ ...REPLICA_ENV, PORT: new URL(replica.url).port })),
      )
    }
    const started = performance.now()
    const client = async (): Promise<void> => {
      for (let index = next++; index < REQUESTS; index = next++) {
        const photo = photos[index % photos.length]
        const id = `failover-${index}`
        try {
          let answer = await read(gateway!.url, photo, id)
          // A replica answers 503 itself when a request has waited and run past REQUEST_TIMEOUT_MS
          // (only on a machine starved of CPU by other work). A client sends that again after
          // Retry-After, with the same id; it is counted and shown, and any other failure fails.
          for (let retry = 0; retry < TIMEOUT_RETRIES && isTimeout(answer); retry++) {
            timeoutRetries.push(id)
            await new Promise((r) => setTimeout(r, Number(answer.retryAfter) * 1000))
            answer = await read(gateway!.url, photo, id)
          }
          results.push({ ...answer, id, photo })
        } catch (error) {
          problems.push(`${id} (${photo.name}): no answer: ${String(error)}`)
        }
        answered++
        // Each signal waits until its replica holds a request, so that it always hits one in flight.
        if (answered === SIGKILL_AFTER)
          killing = until(() => inFlight(killed).length > 0, 5_000).then(() => {
            heldByKilled = inFlight(killed).length
            killed.process.kill('SIGKILL')
            comeBack(killed)
          })
        if (answered === SIGTERM_AFTER)
          stopping = until(() => inFlight(stopped).length > 0, 5_000).then(() => {
            heldByStopped = inFlight(stopped).length
            stopped.process.kill('SIGTERM')
            comeBack(stopped)
          })
      }
    }
    await Promise.all(Array.from({ length: CLIENTS }, client))
    await Promise.all([killing, stopping])
    const wallMs = performance.now() - started
    const stoppedExit = await stopped.exited
    const returned = await Promise.all(comebacks)
    replicas.push(...returned)

    for (const r of results) {
      if (r.status !== 200) problems.push(`${r.id} (${r.photo.name}): status ${r.status}: ${r.text.slice(0, 200)}`)
      else if (r.text !== expected.get(r.photo.name)) {
        problems.push(`${r.id} (${r.photo.name}): read ${JSON.stringify(r.text)}, expected ${JSON.stringify(expected.get(r.photo.name))}`)
      }
      if (r.requestId !== r.id) problems.push(`${r.id}: answered with X-Request-Id ${r.requestId}`)
    }
    if (results.length !== REQUESTS) problems.push(`${REQUESTS - results.length} of ${REQUESTS} requests got no answer`)

    // In the replicas' own logs: each id answered 200 exactly once, by one replica. A replica writes
    // its log line just after the answer, so give the last lines a moment to arrive through the pipe.
    const tally = (): { served: Map<string, number>; attempts: number } => {
      const served = new Map<string, number>()
      let attempts = 0
      for (const replica of replicas) {
        for (const line of parseLog(replica.logs)) {
          if (!line.requestId?.startsWith('failover-')) continue
          if (line.msg === 'incoming request') attempts++
          if (line.msg !== 'request completed' || line.res?.statusCode !== 200) continue
          served.set(line.requestId, (served.get(line.requestId) ?? 0) + 1)
        }
      }
      return { served, attempts }
    }
    await until(() => {
      const { served } = tally()
      return results.every((r) => r.status !== 200 || served.has(r.id))
    }, 5_000)
    const { served, attempts } = tally()
    for (let index = 0; index < REQUESTS; index++) {
      const times = served.get(`failover-${index}`) ?? 0
      if (times !== 1) problems.push(`failover-${index}: answered 200 by the replicas ${times} times, not once`)
    }
    if (served.size !== REQUESTS) problems.push(`${served.size} distinct ids answered 200 in the logs, not ${REQUESTS}`)
    if (heldByKilled === 0) problems.push('the SIGKILL hit no request in flight: failover was not exercised')
    if (heldByStopped === 0) problems.push('the SIGTERM hit no request in flight: draining was not exercised')
    if (stoppedExit !== 0) {
      problems.push(`the replica sent SIGTERM exited with ${stoppedExit} (signal ${stopped.process.signalCode}), not 0; its last lines:`)
      problems.push(...stopped.logs.slice(-8).map((line) => `    ${line.slice(0, 300)}`))
    }

    // A request without an id gets one from the gateway, and the replica logs that same id.
    const anonymous = await read(gateway.url, photos[0])
    const generatedId = anonymous.requestId ?? ''
    const logged = (): boolean => replicas.some((r) => r.logs.some((l) => l.includes(`"requestId":"${generatedId}"`)))
    if (anonymous.status !== 200 || !/^[0-9a-f]{32}$/.test(generatedId)) {
      problems.push(`a request without X-Request-Id: ${anonymous.status}, id ${generatedId}`)
    } else if (!(await until(logged, 2_000))) {
      problems.push(`the generated id ${generatedId} is not in the log`)
    }

    const servedByReturned = returned.reduce(
      (sum, replica) =>
        sum +
        parseLog(replica.logs).filter(
          (l) => l.requestId?.startsWith('failover-') && l.msg === 'request completed' && l.res?.statusCode === 200,
        ).length,
      0,
    )
    const retriedByGateway = gateway.accessLog().filter((line) => line.startsWith('failover-') && line.split(' ')[2].includes(',')).length
    const answered200 = results.filter((r) => r.status === 200).length
    return {
      problems,
      answered200,
      attempts,
      retriedByGateway,
      heldByKilled,
      heldByStopped,
      stoppedExit,
      wallMs,
      expected,
      servedByReturned,
      timeoutRetries,
    }
  } finally {
    await gateway?.stop()
    const returned = (await Promise.allSettled(comebacks)).flatMap((c) => (c.status === 'fulfilled' ? [c.value] : []))
    await Promise.all([...replicas, ...returned].map((r) => r.stop()))
  }
}

/** One replica count's load, over every round. */
interface Level {
  readonly label: string
  readonly requests: number
  readonly ok: number
  readonly other: number
  /** Latencies of the 200 answers, ms. */
  readonly latencies: number[]
  /** 200 answers per second, one figure per round. */
  readonly rates: number[]
}

/** What one row's load in one round came to. */
interface LoadRound {
  readonly requests: number
  readonly other: number
  readonly latencies: number[]
  readonly rate: number
}

/** 8 clients POST the photos in turn to `url` for `durationMs`. */
async function load(url: string, photos: readonly Photo[], durationMs: number): Promise<LoadRound> {
  const end = Date.now() + durationMs
  const latencies: number[] = []
  let requests = 0,
    other = 0,
    turn = 0
  const client = async (): Promise<void> => {
    while (Date.now() < end) {
      const photo = photos[turn++ % photos.length]
      const startedAt = performance.now()
      const answer = await read(url, photo).catch(() => undefined)
      requests++
      if (answer?.status === 200) latencies.push(performance.now() - startedAt)
      else other++
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: CLIENTS }, client))
  return { requests, other, latencies, rate: latencies.length / ((performance.now() - started) / 1000) }
}

/**
 * {@link THROUGHPUT_ROUNDS} rounds of: one replica without the gateway, then 1, 2 and 3 replicas
 * behind it. Rounds interleave the rows, so that a burst of other work on a shared machine falls
 * on every row alike rather than on one.
 */
async function throughput(photos: readonly Photo[]): Promise<Level[]> {
  const replicas = await Promise.all(Array.from({ length: REPLICAS }, () => startServer({ ...REPLICA_ENV, LOG_LEVEL: 'warn' })))
  const levels = new Map<string, Level>()
  try {
    const measure = async (label: string, url: string, round: number): Promise<void> => {
      console.error(`throughput: round ${round + 1}/${THROUGHPUT_ROUNDS}, ${label}, ${THROUGHPUT_MS / 1000} s`)
      await load(url, photos, WARMUP_MS)
      const result = await load(url, photos, THROUGHPUT_MS)
      const level = levels.get(label) ?? { label, requests: 0, ok: 0, other: 0, latencies: [], rates: [] }
      levels.set(label, {
        label,
        requests: level.requests + result.requests,
        ok: level.ok + result.latencies.length,
        other: level.other + result.other,
        latencies: [...level.latencies, ...result.latencies],
        rates: [...level.rates, result.rate],
      })
    }
    for (let round = 0; round < THROUGHPUT_ROUNDS; round++) {
      await measure('1, no gateway', replicas[0].url, round)
      for (let count = 1; count <= REPLICAS; count++) {
        const gateway = await startGateway(replicas.slice(0, count).map((r) => new URL(r.url).host))
        try {
          await measure(`${count} behind nginx`, gateway.url, round)
        } finally {
          await gateway.stop()
        }
      }
    }
    return [...levels.values()]
  } finally {
    await Promise.all(replicas.map((r) => r.stop()))
  }
}

const percent = (value: number): string => `${(100 * value).toFixed(1)} %`
const ms = (value: number): string => (Number.isNaN(value) ? '–' : `${Math.round(value)} ms`)

async function main(): Promise<void> {
  const skip = skipUnlessNginx()
  if (skip) {
    console.error(skip)
    return
  }
  const photos = loadPhotos()
  console.error(`failover: ${REPLICAS} replicas (WORKERS=1), ${REQUESTS} requests of ${photos.length} photos from ${CLIENTS} clients`)
  const result = await failover(photos)

  // How the expected readings compare with the truth: these are real readings, not echoes.
  const counts = photos.map((p) => compareTexts(result.expected.get(p.name) ?? '', p.truth)).reduce(addCounts)
  console.log(`## Failover: ${REPLICAS} replicas behind nginx, one SIGKILLed and one SIGTERMed mid-run`)
  console.log('')
  console.log(`- ${REQUESTS} requests (${photos.length} photos in turn), ${CLIENTS} clients, ${(result.wallMs / 1000).toFixed(1)} s`)
  const readWrongly = result.problems.filter((p) => p.includes(' read ')).length
  const timeouts = result.timeoutRetries.length === 0 ? 'none' : `${result.timeoutRetries.length} (${result.timeoutRetries.join(', ')})`
  const servedOnce = result.problems.some((p) => p.includes('times, not once')) ? 'NO' : `all ${REQUESTS}`
  console.log(
    '- expected text: each photo as a replica reads it undisturbed' +
      ` (character accuracy against the truth ${percent(characterAccuracy(counts))})`,
  )
  console.log(`- answered 200 with the expected text: ${result.answered200 - readWrongly} of ${REQUESTS}`)
  console.log(
    `- requests in flight on the replica killed with SIGKILL: ${result.heldByKilled};` +
      ` on the one sent SIGTERM: ${result.heldByStopped} (it exited ${result.stoppedExit})`,
  )
  console.log(
    `- both came back on their ports ${RESTART_DELAY_MS / 1000} s after they ended,` +
      ` and then answered ${result.servedByReturned} requests`,
  )
  console.log(
    `- requests the gateway sent on to another replica: ${result.retriedByGateway};` +
      ` requests the replicas received: ${result.attempts}`,
  )
  console.log(`- requests a replica answered 503 for running past REQUEST_TIMEOUT_MS (30 s), sent again after Retry-After: ${timeouts}`)
  console.log(`- ids answered 200 exactly once in the replicas' logs: ${servedOnce}`)
  console.log('')

  const loadBefore = loadavg()[0]
  const levels = await throughput(photos)
  const loadAfter = loadavg()[0]
  const cpuCount = availableParallelism()
  console.log(
    `## Throughput: 8 clients, the ${photos.length} photos in turn, WORKERS=1 per replica, ${cpuCount} CPUs` +
      ` (${cpus()[0]?.model.trim()})`,
  )
  console.log('')
  console.log(
    `${THROUGHPUT_ROUNDS} round(s) of ${THROUGHPUT_MS / 1000} s per row;` +
      " images/s is the median round's (and the range), p50 and p99 over all rounds.",
  )
  console.log('')
  console.log('| replicas | requests | 200 | other | p50 | p99 | images/s |')
  console.log('|---|---:|---:|---:|---:|---:|---:|')
  for (const level of levels) {
    const range = level.rates.length > 1 ? ` (${Math.min(...level.rates).toFixed(2)}–${Math.max(...level.rates).toFixed(2)})` : ''
    const latency = (p: number): string => ms(percentile(level.latencies, p))
    const rate = `${median(level.rates).toFixed(2)}${range}`
    const cells = [level.label, level.requests, level.ok, level.other, latency(50), latency(99), rate]
    console.log(`| ${cells.join(' | ')} |`)
  }
  console.log('')
  // On a shared machine other work takes CPU too: the 1-minute load average says how much.
  console.log(`Load average (1 min) before and after the throughput rows: ${loadBefore.toFixed(1)}, ${loadAfter.toFixed(1)}`)
  console.log('')

  if (result.problems.length > 0) {
    console.log(`FAILOVER FAILED: ${result.problems.length} problems`)
    for (const problem of result.problems.slice(0, 30)) console.log(`  ${problem}`)
    process.exitCode = 1
  } else {
    console.log(`FAILOVER OK: ${REQUESTS}/${REQUESTS} answered 200 with the expected text, each id served once, none lost`)
  }
}

await main()
