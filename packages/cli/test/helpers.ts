import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createWebhookHandler, type SchemeName } from '@hookguard/core'
import { afterAll } from 'vitest'

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url))

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs `node dist/bin.js …` as a subprocess, the way a user or a script runs `hookguard`. */
export function cli(args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...options.env }, timeout: 25_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
        resolve({ code, stdout, stderr })
      },
    )
    if (options.input !== undefined) child.stdin?.end(options.input)
    else child.stdin?.end()
  })
}

/** A temporary folder for the test file, removed after it. */
export async function tempDir(): Promise<(name: string, content: string | Uint8Array) => Promise<string>> {
  const dir = await mkdtemp(join(tmpdir(), 'hookguard-cli-'))
  afterAll(() => rm(dir, { recursive: true, force: true }))
  return async (name, content) => {
    const path = join(dir, name)
    await writeFile(path, content)
    return path
  }
}

/** A real HTTP server on 127.0.0.1, port 0; closed after the test file. */
export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`, server }
}

/** A hookguard receiver (core on node:http) that records what its handler saw. */
export async function receiver(options: { scheme: SchemeName; secret: string; replay?: false; onDuplicate?: 'acknowledge' | 'reject' }) {
  const handled: Array<{ id: string | undefined; type: string; payload: unknown }> = []
  const hooks = createWebhookHandler({
    scheme: options.scheme,
    secret: options.secret,
    ...(options.replay === false ? { replay: false } : {}),
    ...(options.onDuplicate ? { onDuplicate: options.onDuplicate } : {}),
  })
  hooks.on('*', (event) => {
    handled.push({ id: event.id, type: event.type, payload: event.payload })
  })
  const { url } = await listen(async (req, res) => {
    const result = await hooks.handle({ method: req.method, headers: req.headers, body: req })
    res.writeHead(result.status, result.headers).end(result.body)
  })
  return { url, handled }
}
