import { type ChildProcess, fork } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sign } from '@hookguard/core'
import { REDIS_URL } from '@hookguard/testkit'
import { Redis } from 'ioredis'

export const SECRET = `whsec_${Buffer.from('hookguard-redis-test-secret-32by').toString('base64')}`
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A key prefix no other run (or engineer) shares. */
export const uniquePrefix = (label: string) => `hookguard-test:${label}:${process.pid}:${Date.now().toString(36)}:`

/** Deletes every key under `prefix`. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
    cursor = next
    if (keys.length > 0) await redis.unlink(...keys)
  } while (cursor !== '0')
}

/** Every key under `prefix` (to check TTLs). */
export async function listKeys(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = []
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
    cursor = next
    found.push(...keys)
  } while (cursor !== '0')
  return found
}

export interface Instance {
  url: string
  child: ChildProcess
  /** Ids whose handler is blocking right now (block: true). */
  blocking: string[]
  stop(): Promise<void>
}

export interface InstanceOptions {
  prefix: string
  runsFile: string
  client?: 'ioredis' | 'node-redis'
  redisUrl?: string
  leaseMs?: number
  commandTimeoutMs?: number
  failOpen?: boolean
}

const fixture = fileURLToPath(new URL('./fixtures/server.mjs', import.meta.url))

/** Forks one receiver process (test/fixtures/server.mjs) and waits for its port. */
export function startInstance(options: InstanceOptions): Promise<Instance> {
  const child = fork(fixture, [], {
    env: {
      ...process.env,
      CLIENT: options.client ?? 'ioredis',
      REDIS_URL: options.redisUrl ?? REDIS_URL,
      PREFIX: options.prefix,
      RUNS_FILE: options.runsFile,
      SECRET,
      LEASE_MS: String(options.leaseMs ?? 60_000),
      COMMAND_TIMEOUT_MS: String(options.commandTimeoutMs ?? 2000),
      FAIL_OPEN: options.failOpen ? '1' : '0',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const blocking: string[] = []
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`fixture exited early (${code})`)))
    child.on('message', (message: { port?: number; blocking?: string }) => {
      if (message.blocking) blocking.push(message.blocking)
      if (message.port)
        resolve({
          url: `http://127.0.0.1:${message.port}/`,
          child,
          blocking,
          stop: () => stopChild(child),
        })
    })
  })
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
}

export interface DeliveryData {
  sleepMs?: number
  block?: boolean
  fail?: boolean
}

export interface Response {
  status: number
  body: any
  retryAfter?: string | null
}

/** Signs a Standard Webhooks delivery and POSTs it, as a provider would. Network errors resolve as status 0. */
export async function deliver(url: string, id: string, data: DeliveryData = {}): Promise<Response> {
  const body = JSON.stringify({ type: 'test.event', data })
  const headers = await sign({ scheme: 'standard-webhooks', secret: SECRET, body, id })
  try {
    const response = await fetch(url, { method: 'POST', headers, body })
    const text = await response.text()
    return { status: response.status, body: text ? JSON.parse(text) : undefined, retryAfter: response.headers.get('retry-after') }
  } catch {
    return { status: 0, body: undefined }
  }
}

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function mapLimit<TItem, TResult>(items: TItem[], limit: number, fn: (item: TItem) => Promise<TResult>): Promise<TResult[]> {
  const results: TResult[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index] as TItem)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/** An append-only file the fixtures write one line per handler run to. */
export function runsFile(): { path: string; runs(kind?: 'ran' | 'started'): Map<string, number>; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'hookguard-redis-'))
  const path = join(dir, 'runs.log')
  writeFileSync(path, '')
  return {
    path,
    runs(kind = 'ran') {
      const counts = new Map<string, number>()
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        const [what, id] = line.split(' ')
        if (what === kind && id) counts.set(id, (counts.get(id) ?? 0) + 1)
      }
      return counts
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** An admin connection for setup, inspection and cleanup (separate from the stores under test). */
export const adminClient = () => new Redis(REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 })

/**
 * A TCP proxy in front of Redis that the test can cut and restore: a connection loss (and a Redis
 * that is gone, connection refused) for the clients behind it, without touching the shared server.
 */
export async function startRedisProxy(target = REDIS_URL) {
  const { hostname, port: targetPort } = new URL(target)
  const sockets = new Set<Socket>()
  let server: Server | undefined
  let port = 0
  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
  }
  const listen = () =>
    new Promise<void>((resolve) => {
      if (server?.listening) return resolve()
      server = createServer((downstream) => {
        const upstream = connect(Number(targetPort || 6379), hostname)
        track(downstream)
        track(upstream)
        downstream.on('close', () => upstream.destroy())
        upstream.on('close', () => downstream.destroy())
        downstream.pipe(upstream).pipe(downstream)
      })
      const listening = server
      listening.listen(port, '127.0.0.1', () => {
        port = (listening.address() as { port: number }).port
        resolve()
      })
    })
  await listen()
  return {
    url: `redis://127.0.0.1:${port}`,
    /** Drops every connection and refuses new ones. */
    cut: () =>
      new Promise<void>((resolve) => {
        if (server?.listening) server.close(() => resolve())
        else resolve()
        for (const socket of sockets) socket.destroy()
      }),
    /** Accepts connections again, on the same port. */
    restore: listen,
  }
}
