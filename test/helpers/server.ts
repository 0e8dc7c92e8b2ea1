import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { createInterface } from 'node:readline'
import { repoRoot } from './data.js'

/** A real scrawl server in a child process, on a free loopback port. */
export interface RunningServer {
  readonly url: string
  readonly process: ChildProcess
  /** Log lines (pino JSON) the server wrote so far. */
  readonly logs: string[]
  /** Resident memory of the server process in bytes (Linux). */
  rss(): number
  /** Resolves with the exit code once the process has exited and its output is all in `logs`. */
  readonly exited: Promise<number | null>
  /** Sends SIGTERM (unless already gone) and waits for the exit. */
  stop(): Promise<number | null>
}

/** How long a server may take to load its models and listen. */
const START_TIMEOUT_MS = 60_000
/** Gap between readiness polls while it starts. */
const READY_POLL_MS = 100

/** A TCP port on 127.0.0.1 that is free now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/**
 * Starts `node dist/bin/server.js` (the built server, as `npm start` runs it) with `env` on
 * 127.0.0.1 and a free port (or `env.PORT`), and resolves once `/readyz` answers 200.
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const port = env.PORT ? Number(env.PORT) : await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'bin', 'server.js')], {
    // MALLOC_ARENA_MAX as the Docker image sets it, so that memory figures are the deployed server's.
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), MALLOC_ARENA_MAX: '2', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const logs: string[] = []
  createInterface({ input: child.stdout }).on('line', (line) => logs.push(line))
  createInterface({ input: child.stderr }).on('line', (line) => logs.push(line))
  // 'close', not 'exit': the exit can come before the last lines of its output are read.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
  const deadline = Date.now() + START_TIMEOUT_MS
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before it was ready:\n${logs.join('\n')}`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`server was not ready in ${START_TIMEOUT_MS} ms:\n${logs.join('\n')}`)
    }
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    )
    if (ready) break
    await new Promise((r) => setTimeout(r, READY_POLL_MS))
  }
  return {
    url,
    process: child,
    logs,
    rss: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      return exited
    },
  }
}

/** POSTs an image to `/ocr` and returns status, headers and the parsed body. */
export async function postImage(
  url: string,
  image: Uint8Array,
  contentType = 'image/jpeg',
  query = '',
): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(`${url}/ocr${query}`, {
    method: 'POST',
    body: image as Uint8Array<ArrayBuffer>,
    headers: { 'content-type': contentType },
  })
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    /* not JSON: keep the text for the assertion message */
  }
  return { status: response.status, headers: response.headers, body }
}
