import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from './data.js'
import { freePort } from './server.js'

/** The nginx binary: `$NGINX`, else Debian's. */
export const NGINX_BINARY = process.env.NGINX ?? '/usr/sbin/nginx'

/** The project's gateway configuration template (`deploy/nginx/scrawl.conf`). */
export const NGINX_TEMPLATE_PATH = join(repoRoot, 'deploy', 'nginx', 'scrawl.conf')

/** How long nginx may take to answer after it starts. */
const START_TIMEOUT_MS = 10_000

/**
 * Fills in the template's `${SCRAWL_LISTEN}` and `${SCRAWL_UPSTREAM_SERVERS}`, as `envsubst` with
 * those two names does, and nothing else (nginx's own `$variables` stay).
 *
 * @param listen what nginx's `listen` takes, e.g. `127.0.0.1:8080`
 * @param servers one `host:port` per replica
 * @throws when the template names another `${SCRAWL_...}` that this render does not know
 */
export function renderNginxConf(template: string, listen: string, servers: readonly string[]): string {
  const values: Record<string, string> = {
    SCRAWL_LISTEN: listen,
    SCRAWL_UPSTREAM_SERVERS: servers.map((address) => `server ${address};`).join(' '),
  }
  const rendered = template.replace(/\$\{(SCRAWL_\w+)\}/g, (whole, name: string) => {
    if (!(name in values)) throw new Error(`${NGINX_TEMPLATE_PATH} names \${${name}}, which the render step does not fill in`)
    return values[name]
  })
  return rendered
}

/** Whether nginx is installed; else a skip message (under `CI=true` its absence is an error). */
export function skipUnlessNginx(): string | false {
  if (existsSync(NGINX_BINARY)) return false
  if (process.env.CI === 'true') throw new Error(`${NGINX_BINARY} is missing, and CI=true requires it (.ci/run installs nginx-light).`)
  return `${NGINX_BINARY} is absent (apt-get install nginx-light): skipping`
}

/** An nginx gateway in a child process, with every file it writes in a temporary folder. */
export interface RunningGateway {
  readonly url: string
  readonly process: ChildProcess
  /** The folder with the configuration, logs and temporary files. */
  readonly dir: string
  /** Access log lines so far: `request_id status upstream_addr upstream_status`, space-separated. */
  accessLog(): string[]
  /** nginx's error log so far. */
  errorLog(): string
  /** Stops nginx (graceful SIGQUIT) and removes its folder. */
  stop(): Promise<void>
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/**
 * Starts nginx, not as a daemon and as one process (no master/worker split, so a test running as
 * root needs no `user`), with `deploy/nginx/scrawl.conf` rendered for `servers` on a free loopback
 * port. Resolves once the gateway accepts connections.
 *
 * @param servers one `host:port` per replica
 */
export async function startGateway(servers: readonly string[]): Promise<RunningGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'scrawl-nginx-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  for (const sub of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub))
  writeFileSync(join(dir, 'scrawl.conf'), renderNginxConf(readFileSync(NGINX_TEMPLATE_PATH, 'utf8'), `127.0.0.1:${port}`, servers))
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'master_process off;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'error.log')} warn;`,
      'events { worker_connections 512; }',
      'http {',
      "  log_format scrawl '$scrawl_request_id $status $upstream_addr $upstream_status';",
      `  access_log ${join(dir, 'access.log')} scrawl;`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((sub) => `  ${sub}_temp_path ${join(dir, sub)};`),
      `  include ${join(dir, 'scrawl.conf')};`,
      '}',
      '',
    ].join('\n'),
  )
  const args = ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')]
  const child = spawn(NGINX_BINARY, args, { stdio: ['ignore', 'inherit', 'inherit'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const readLog = (name: string): string => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '')
  const deadline = Date.now() + START_TIMEOUT_MS
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}:\n${readLog('error.log')}`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`nginx did not answer in ${START_TIMEOUT_MS} ms:\n${readLog('error.log')}`)
    }
    // A TCP connection, not a request: the replicas see no traffic from the gateway's start.
    if (await canConnect(port)) break
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    url,
    process: child,
    dir,
    accessLog: () => readLog('access.log').split('\n').filter(Boolean),
    errorLog: () => readLog('error.log'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
