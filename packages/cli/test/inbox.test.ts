import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createWebhookHandler, sign } from '@hookguard/core'
import { createInbox, type InboxStore } from '@hookguard/inbox'
import { postgresStore } from '@hookguard/inbox/postgres'
import { sqliteStore } from '@hookguard/inbox/sqlite'
import { DATABASE_URL, requireService } from '@hookguard/testkit'
import { Command, CommanderError } from 'commander'
import { afterAll, describe, expect, it } from 'vitest'
import { inboxCommand } from '../src/commands/inbox'
import { UsageError } from '../src/lib/errors'
import { cli } from './helpers'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

/** Runs `hookguard inbox …` in-process (the command as program.ts mounts it) and captures its output. */
async function hookguard(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const program = new Command('hookguard').addCommand(inboxCommand())
  const configure = (c: Command) => {
    c.exitOverride().configureOutput({
      writeOut: (s) => {
        stdout += s
      },
      writeErr: (s) => {
        stderr += s
      },
    })
    for (const sub of c.commands) configure(sub)
  }
  let stdout = ''
  let stderr = ''
  configure(program)
  const out = process.stdout.write.bind(process.stdout)
  const err = process.stderr.write.bind(process.stderr)
  process.stdout.write = ((chunk: string) => {
    stdout += chunk
    return true
  }) as typeof process.stdout.write
  process.stderr.write = ((chunk: string) => {
    stderr += chunk
    return true
  }) as typeof process.stderr.write
  process.exitCode = undefined
  try {
    await program.parseAsync(args, { from: 'user' })
    // picocolors colours under CI=true; the assertions read the text.
    return { code: typeof process.exitCode === 'number' ? process.exitCode : 0, stdout: plain(stdout), stderr: plain(stderr) }
  } catch (error) {
    if (error instanceof CommanderError) return { code: error.exitCode === 0 ? 0 : 2, stdout, stderr }
    if (error instanceof UsageError) return { code: 2, stdout, stderr: stderr + error.message }
    throw error
  } finally {
    process.stdout.write = out
    process.stderr.write = err
    process.exitCode = undefined
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '')

const dir = mkdtempSync(join(tmpdir(), 'hookguard-cli-inbox-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A real inbox with one poison delivery dead-lettered and one done, on `db`. */
async function poisonedInbox(store: InboxStore) {
  await store.migrate()
  let poisoned = true
  const inbox = createInbox({
    store,
    handlers: createWebhookHandler({ scheme: 'standard-webhooks', secret: SECRET, replay: false }),
    maxAttempts: 2,
    retryDelay: () => 0,
  })
  inbox.on('*', (event) => {
    if (poisoned && event.type === 'poison.pill') throw new Error('Cannot read properties of undefined (reading "sku")')
  })
  const send = async (id: string, type: string) => {
    const body = JSON.stringify({ type, data: { id } })
    const headers = await sign({ scheme: 'standard-webhooks', secret: SECRET, body, id })
    const response = await inbox.fetch(new Request('http://receiver/webhooks', { method: 'POST', headers, body }))
    expect(response.status).toBe(202)
  }
  await send('msg_good', 'order.paid')
  await send('msg_poison', 'poison.pill')
  await inbox.drain()
  const cure = () => {
    poisoned = false
  }
  return { inbox, cure }
}

describe('hookguard inbox (SQLite)', () => {
  const path = join(dir, 'inbox.db')
  const db = `sqlite:${path}`

  it('shows a dead letter in list, stats and show; retry revives it; purge removes finished rows', async () => {
    const store = sqliteStore(path)
    const { inbox, cure } = await poisonedInbox(store)
    try {
      const listed = await hookguard(['inbox', 'list', '--db', db])
      expect(listed.code, listed.stderr).toBe(0)
      expect(listed.stdout).toMatch(/standard-webhooks:msg_poison\s.*poison\.pill.*dead\s.*2\s.*Error: Cannot read properties/)
      expect(listed.stdout).toMatch(/standard-webhooks:msg_good\s.*order\.paid.*done/)
      expect(listed.stdout).toMatch(/0 pending · 0 running · 0 failed · .*1 dead.* · 1 done/)

      const dead = JSON.parse((await hookguard(['inbox', 'list', '--db', db, '--status', 'dead', '--json'])).stdout)
      expect(dead.stats).toMatchObject({ dead: 1, done: 1 })
      expect(dead.deliveries).toMatchObject([
        { id: 'standard-webhooks:msg_poison', status: 'dead', attempts: 2, lastError: expect.stringContaining('sku') },
      ])

      const stats = JSON.parse((await hookguard(['inbox', 'stats', '--db', db, '--json'])).stdout)
      expect(stats).toMatchObject({ pending: 0, running: 0, failed: 0, dead: 1, done: 1 })

      const shown = await hookguard(['inbox', 'show', 'standard-webhooks:msg_poison', '--db', db])
      expect(shown.code).toBe(0)
      expect(shown.stdout).toContain('"type":"poison.pill"')
      expect(shown.stdout).toMatch(/webhook-id\s.*msg_poison/)
      expect(shown.stdout).not.toMatch(/webhook-signature/)
      const json = JSON.parse((await hookguard(['inbox', 'show', 'standard-webhooks:msg_poison', '--db', db, '--json'])).stdout)
      expect(json).toMatchObject({ status: 'dead', encoding: 'utf8', body: '{"type":"poison.pill","data":{"id":"msg_poison"}}' })
      expect((await hookguard(['inbox', 'show', 'standard-webhooks:nope', '--db', db])).code).toBe(1)

      const retried = await hookguard(['inbox', 'retry', 'standard-webhooks:msg_poison', '--db', db])
      expect(retried).toMatchObject({ code: 0, stdout: '1 delivery re-queued\n' })
      expect((await hookguard(['inbox', 'retry', 'standard-webhooks:msg_good', '--db', db])).code).toBe(1)
      cure()
      expect(await inbox.drain()).toBe(1)
      expect((await store.get('standard-webhooks:msg_poison'))?.status).toBe('done')

      const purged = JSON.parse((await hookguard(['inbox', 'purge', '--older-than', '0s', '--db', db, '--json'])).stdout)
      expect(purged).toEqual({ purged: 2 })
      expect((await store.stats(Date.now())).done).toBe(0)
    } finally {
      await store.close()
    }
  })

  it('retry --dead re-queues every dead letter', async () => {
    const path2 = join(dir, 'many.db')
    const store = sqliteStore(path2)
    await store.migrate()
    const inbox = createInbox({
      store,
      handlers: createWebhookHandler({ scheme: 'standard-webhooks', secret: SECRET, replay: false }),
      maxAttempts: 1,
    })
    inbox.on('*', () => {
      throw new Error('down')
    })
    for (const id of ['a', 'b', 'c']) {
      const body = JSON.stringify({ type: 't' })
      const headers = await sign({ scheme: 'standard-webhooks', secret: SECRET, body, id })
      await inbox.fetch(new Request('http://r/', { method: 'POST', headers, body }))
    }
    await inbox.drain()
    try {
      expect(JSON.parse((await hookguard(['inbox', 'retry', '--dead', '--db', `sqlite:${path2}`, '--json'])).stdout)).toEqual({
        retried: 3,
      })
      expect(await store.stats(Date.now())).toMatchObject({ pending: 3, dead: 0 })
    } finally {
      await store.close()
    }
  })

  it('refuses bad usage with exit code 2 and a clear message', async () => {
    expect((await hookguard(['inbox', 'list'])).code).toBe(2)
    const both = await hookguard(['inbox', 'retry', 'x:1', '--dead', '--db', db])
    expect(both).toMatchObject({ code: 2, stderr: expect.stringContaining('one delivery id or --dead') })
    const duration = await hookguard(['inbox', 'purge', '--older-than', 'soon', '--db', db])
    expect(duration).toMatchObject({ code: 2, stderr: expect.stringContaining('duration') })
    const url = await hookguard(['inbox', 'stats', '--db', 'mysql://x'])
    expect(url).toMatchObject({ code: 2, stderr: expect.stringContaining('sqlite:path or postgres://') })
    expect((await hookguard(['inbox', 'list', '--db', db, '--status', 'lost'])).code).toBe(2)
  })

  it('answers in one line, exit 1, for a missing file, a store never migrated, or an unreachable database', async () => {
    const absent = await hookguard(['inbox', 'list', '--db', `sqlite:${join(dir, 'absent.db')}`])
    expect(absent).toMatchObject({ code: 1, stderr: expect.stringContaining('no SQLite inbox at') })
    const empty = sqliteStore(join(dir, 'empty.db'))
    await empty.close()
    const unmigrated = await hookguard(['inbox', 'stats', '--db', `sqlite:${join(dir, 'empty.db')}`])
    expect(unmigrated).toMatchObject({ code: 1, stderr: expect.stringContaining('has the app run store.migrate()?') })
    const down = await hookguard(['inbox', 'stats', '--db', 'postgres://app:s3cret@127.0.0.1:1/app'])
    expect(down.code).toBe(1)
    expect(down.stderr.trim().split('\n')).toHaveLength(1)
    expect(down.stderr).toContain('app:***@127.0.0.1')
    expect(down.stderr).not.toContain('s3cret')
  })

  it('runs as the hookguard bin, with the store from HOOKGUARD_INBOX_DB', async () => {
    const own = join(dir, 'bin.db')
    const store = sqliteStore(own)
    await store.migrate()
    await store.close()
    const run = await cli(['inbox', 'stats', '--json'], { env: { HOOKGUARD_INBOX_DB: `sqlite:${own}` } })
    expect(run.code, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual({ pending: 0, running: 0, failed: 0, dead: 0, done: 0, oldestAgeMs: 0 })
  })
})

const pgUp = await requireService('PostgreSQL', DATABASE_URL)

describe.skipIf(!pgUp)('hookguard inbox (PostgreSQL)', () => {
  const schema = `hg_cli_${process.pid}_${Date.now().toString(36)}`
  const db = `${DATABASE_URL}?schema=${schema}`
  afterAll(async () => {
    const admin = postgresStore({ connectionString: DATABASE_URL, max: 1 })
    await admin.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await admin.close()
  })

  it('lists, retries and purges on a postgres:// URL with ?schema=', async () => {
    const { openStore } = await import('@hookguard/inbox')
    const store = await openStore(db)
    const { inbox, cure } = await poisonedInbox(store)
    try {
      const listed = await hookguard(['inbox', 'list', '--db', db, '--status', 'dead'])
      expect(listed.code, listed.stderr).toBe(0)
      expect(listed.stdout).toContain('standard-webhooks:msg_poison')
      expect(listed.stdout).not.toContain('msg_good')
      expect(JSON.parse((await hookguard(['inbox', 'retry', '--dead', '--db', db, '--json'])).stdout)).toEqual({ retried: 1 })
      cure()
      await inbox.drain()
      expect(JSON.parse((await hookguard(['inbox', 'stats', '--db', db, '--json'])).stdout)).toMatchObject({ dead: 0, done: 2 })
      expect(JSON.parse((await hookguard(['inbox', 'purge', '--older-than', '0s', '--db', db, '--json'])).stdout)).toEqual({ purged: 2 })
    } finally {
      await store.close()
    }
  })
})
