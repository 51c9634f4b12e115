// Shared by the pipeline tests: a real HTTP server on 127.0.0.1:0 in front of a handler, reached
// with `fetch`, in the two ways adapters use core: `hooks.handle()` with the Node request stream,
// and `hooks.fetch()` with a WHATWG Request built from it.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { type SignOptions, sign, type WebhookHandler } from '@hookguard/core'

export type Entry = 'handle' | 'fetch'
export const ENTRIES: readonly Entry[] = ['handle', 'fetch']

export interface TestServer {
  url: string
  close(): Promise<void>
}

function toRequest(req: IncomingMessage, url: string): Request {
  const headers = new Headers()
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string)
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  return new Request(url, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : null,
    duplex: 'half',
  } as RequestInit)
}

/** Serves `hooks` through `handle()` or `fetch()` on a real port. */
export async function serve(hooks: WebhookHandler<any>, entry: Entry): Promise<TestServer> {
  const server: Server = createServer(async (req, res) => {
    try {
      if (entry === 'handle') {
        const result = await hooks.handle({ method: req.method, headers: req.headers, body: req })
        res.writeHead(result.status, result.headers).end(result.body)
      } else {
        const response = await hooks.fetch(toRequest(req, `http://${req.headers.host}${req.url}`))
        res.writeHead(response.status, Object.fromEntries(response.headers)).end(Buffer.from(await response.arrayBuffer()))
      }
    } catch (error) {
      // The pipeline must never throw: make a crash visible as a status no test expects.
      res.writeHead(599).end(String(error))
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export interface Answer {
  status: number
  headers: Headers
  body: any
  text: string
}

/** POSTs `body` signed by `sign()` (override any header with `headers`). */
export async function send(
  url: string,
  signOptions: SignOptions & { body: string },
  init: { headers?: Record<string, string | undefined>; method?: string; body?: string } = {},
): Promise<Answer> {
  const signed = await sign(signOptions)
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries({ ...signed, ...init.headers })) if (v !== undefined) headers[k] = v
  const method = init.method ?? 'POST'
  const response = await fetch(url, {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' ? undefined : (init.body ?? signOptions.body),
  })
  const text = await response.text()
  let body: any
  try {
    body = JSON.parse(text)
  } catch {
    body = text
  }
  return { status: response.status, headers: response.headers, body, text }
}

/** A result of `hooks.handle()` with its JSON body parsed. */
export function parsed(result: { status: number; headers: Record<string, string>; body: string }) {
  return { ...result, json: JSON.parse(result.body) }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A deferred promise, to hold a handler open while other deliveries arrive. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}
