import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sign } from '@hookguard/core'
import type { Inbox, InboxStore } from '@hookguard/inbox'
import { postgresStore } from '@hookguard/inbox/postgres'
import { sqliteStore } from '@hookguard/inbox/sqlite'
import { DATABASE_URL } from '@hookguard/testkit'
import pg from 'pg'

export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

/** A real HTTP server on 127.0.0.1:0 that hands every request to `inbox.handle` (what an adapter does). */
export async function serve(inbox: Pick<Inbox, 'handle'>): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const result = await inbox.handle({ method: req.method, headers: req.headers, body: req })
    res.writeHead(result.status, result.headers).end(result.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** Sends one signed Standard Webhooks delivery with `fetch`. */
export async function deliver(url: string, id: string, type: string, data: unknown = {}, secret = SECRET) {
  const body = JSON.stringify({ type, data })
  const headers = await sign({ scheme: 'standard-webhooks', secret, body, id })
  const response = await fetch(url, { method: 'POST', headers, body })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

/** A run-unique name so parallel runs (and leftovers of crashed ones) never meet. */
export const uniqueName = (label: string) => `hg_${label}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`

export function tempSqlite(): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'hookguard-inbox-'))
  return { path: join(dir, 'inbox.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export interface StoreKind {
  name: 'sqlite' | 'postgres'
  /** A migrated store on fresh storage, a way to open the same storage again, and a cleanup. */
  create(): Promise<{ store: InboxStore; reopen: () => InboxStore; destroy: () => Promise<void> }>
}

export const sqliteKind: StoreKind = {
  name: 'sqlite',
  async create() {
    const { path, cleanup } = tempSqlite()
    const store = sqliteStore({ path })
    await store.migrate()
    return {
      store,
      reopen: () => sqliteStore({ path }),
      destroy: async () => {
        await store.close()
        cleanup()
      },
    }
  },
}

export const postgresKind: StoreKind = {
  name: 'postgres',
  async create() {
    const schema = uniqueName('inbox')
    const store = postgresStore({ connectionString: DATABASE_URL, schema, max: 4 })
    await store.migrate()
    return {
      store,
      reopen: () => postgresStore({ connectionString: DATABASE_URL, schema, max: 4 }),
      destroy: async () => {
        await store.close()
        await dropSchema(schema)
      },
    }
  },
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  } finally {
    await client.end()
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls until `check` is true (real workers run on real timers); fails with `what` after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}
