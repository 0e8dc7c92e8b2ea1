import { connect, type Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { JSON_CONTENT_TYPE } from '../../src/formats/index.js'
import type { ReadingService, ServiceLoad, ServiceReading } from '../../src/server/service.js'

/** A reading service that answers at once with an empty reading: for tests of the HTTP layer alone. */
export class StubReading implements ReadingService {
  /** Images it was asked to read. */
  readonly seen: Uint8Array[] = []
  async read(image: Uint8Array): Promise<ServiceReading> {
    this.seen.push(image)
    const body = { text: '', lines: [], image: { width: 1, height: 1 }, model: { name: 'stub', version: '0' }, timingsMs: {} }
    return { rendered: { format: 'json', contentType: JSON_CONTENT_TYPE, body }, summary: { characters: 0, timingsMs: {} } }
  }
  async warmUp(): Promise<void> {}
  readonly ready = true
  load(): ServiceLoad {
    return { queued: 0, running: 0, saturated: false, workers: 0 }
  }
  async close(): Promise<void> {}
}

/** Listens on a free port of 127.0.0.1 and returns the port. */
export async function listenLoopback(app: FastifyInstance): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  if (typeof address !== 'object' || address === null) throw new Error('no address')
  return address.port
}

/** A raw HTTP answer as read off the socket. */
export interface RawAnswer {
  readonly status: number
  readonly headers: Record<string, string>
  readonly body: string
  /** Whether the server closed the connection (within the wait). */
  readonly closed: boolean
  /** Everything the server sent. */
  readonly raw: string
}

/** Parses the first HTTP/1.1 response in `raw` (Content-Length bodies only). */
export function parseAnswer(raw: string, closed: boolean): RawAnswer {
  const headerEnd = raw.indexOf('\r\n\r\n')
  const head = headerEnd < 0 ? raw : raw.slice(0, headerEnd)
  const [statusLine, ...lines] = head.split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  const length = Number(headers['content-length'] ?? Number.NaN)
  const rest = headerEnd < 0 ? '' : raw.slice(headerEnd + 4)
  return {
    status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0),
    headers,
    body: Number.isNaN(length) ? rest : rest.slice(0, length),
    closed,
    raw,
  }
}

/** An open raw connection: what it has received so far, and whether the server closed it. */
export interface RawConnection {
  readonly socket: Socket
  received(): string
  readonly closedByServer: Promise<void>
  isClosed(): boolean
  /** Resolves with the first answer once the server closed the connection or `waitMs` passed. */
  answer(waitMs: number): Promise<RawAnswer>
  destroy(): void
}

/** Opens a connection to 127.0.0.1:port and writes `data` (e.g. headers and part of a body). */
export async function openRaw(port: number, data: string | Buffer = ''): Promise<RawConnection> {
  const socket = connect({ host: '127.0.0.1', port })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  const chunks: Buffer[] = []
  let closed = false
  socket.on('data', (chunk: Buffer) => chunks.push(chunk))
  // A reset while we still write is the server refusing the rest of the body: the answer is what counts.
  socket.on('error', () => undefined)
  const closedByServer = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closed = true
      resolve()
    }),
  )
  if (data.length > 0) socket.write(data)
  const received = (): string => Buffer.concat(chunks).toString('latin1')
  return {
    socket,
    received,
    closedByServer,
    isClosed: () => closed,
    async answer(waitMs: number): Promise<RawAnswer> {
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        closedByServer,
        new Promise((r) => {
          timer = setTimeout(r, waitMs)
        }),
      ])
      clearTimeout(timer)
      return parseAnswer(received(), closed)
    },
    destroy: () => socket.destroy(),
  }
}

/** Sends `data` on a new connection and returns the answer once the server closes it (or after `waitMs`). */
export async function rawExchange(port: number, data: string | Buffer, waitMs = 5_000): Promise<RawAnswer> {
  const connection = await openRaw(port, data)
  try {
    return await connection.answer(waitMs)
  } finally {
    connection.destroy()
  }
}
