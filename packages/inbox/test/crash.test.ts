import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type InboxStore, openStore } from '@hookguard/inbox'
import { DATABASE_URL, requireService } from '@hookguard/testkit'
import { afterAll, describe, expect, it } from 'vitest'
import { startApp } from './fixtures/spawn'
import { deliver, dropSchema, SECRET, tempSqlite, uniqueName, waitFor } from './helpers'

const pgUp = await requireService('PostgreSQL', DATABASE_URL)
const TOTAL = 500
const CONCURRENCY = 4

interface Run {
  phase: 'start' | 'end' | 'done'
  id: string
  attempt: number
}
const readRuns = (file: string): Run[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [phase, , id, attempt] = line.split(' ')
      return { phase: phase as Run['phase'], id: id as string, attempt: Number(attempt) }
    })
const ids = (runs: Run[], phase: Run['phase']) => new Set(runs.filter((r) => r.phase === phase).map((r) => r.id))

async function sendAll(url: string, prefix: string): Promise<number[]> {
  const statuses: number[] = []
  const queue = Array.from({ length: TOTAL }, (_, i) => `${prefix}_${i}`)
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        statuses.push((await deliver(url, id, 'order.paid', { id })).status)
      }
    }),
  )
  return statuses
}

const kinds = [
  {
    name: 'SQLite file',
    skip: false,
    make: () => {
      const { path, cleanup } = tempSqlite()
      return { db: `sqlite:${path}`, dir: join(path, '..'), cleanup: async () => cleanup() }
    },
  },
  {
    name: 'PostgreSQL',
    skip: !pgUp,
    make: () => {
      const schema = uniqueName('crash')
      const { path, cleanup } = tempSqlite()
      return {
        db: `${DATABASE_URL}?schema=${schema}`,
        dir: join(path, '..'),
        cleanup: async () => {
          cleanup()
          await dropSchema(schema)
        },
      }
    },
  },
]

describe.each(kinds)('crash recovery on $name', ({ skip, make }) => {
  const cleanups: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup()
  })

  it.skipIf(skip)(
    `a SIGKILLed process loses none of ${TOTAL} acknowledged deliveries; a new process finishes them, re-running only those that were mid-handler`,
    async () => {
      const { db, dir, cleanup } = make()
      cleanups.push(cleanup)
      const log1 = join(dir, 'first.log')
      const log2 = join(dir, 'second.log')
      writeFileSync(log1, '')
      writeFileSync(log2, '')
      const common = { INBOX_DB: db, SECRET, LEASE_MS: '1500', CONCURRENCY: String(CONCURRENCY), HANDLER_MS: '15' }

      const first = await startApp({ ...common, RUN_LOG: log1, LABEL: 'first' })
      const statuses = await sendAll(`http://127.0.0.1:${first.port}/webhooks`, uniqueName('d'))
      expect(statuses).toEqual(Array(TOTAL).fill(202))
      // Let it get properly into the work, then pull the plug.
      await waitFor(() => ids(readRuns(log1), 'done').size >= 40, 'the first process to complete some deliveries')
      first.child.kill('SIGKILL')
      expect((await first.exited).signal).toBe('SIGKILL')

      const runs1 = readRuns(log1)
      const started1 = ids(runs1, 'start')
      const ended1 = ids(runs1, 'end')
      const done1 = ids(runs1, 'done')
      // Mid-handler at the kill: started, not finished. Unconfirmed: not known to be marked done
      // (the handler may have finished, and even the row been marked done, just before the kill).
      const midHandler = new Set([...started1].filter((id) => !ended1.has(id)))
      const unconfirmed = new Set([...started1].filter((id) => !done1.has(id)))
      expect(done1.size).toBeLessThan(TOTAL)
      expect(unconfirmed.size).toBeLessThanOrEqual(CONCURRENCY)

      const second = await startApp({ ...common, RUN_LOG: log2, LABEL: 'second', HTTP: '0' })
      let store: InboxStore | undefined
      try {
        store = await openStore(db)
        const probe = store
        await waitFor(async () => (await probe.stats(Date.now())).done === TOTAL, 'the second process to finish every delivery', 45_000)
        expect(await store.stats(Date.now())).toMatchObject({ pending: 0, running: 0, failed: 0, dead: 0, done: TOTAL })
      } finally {
        second.child.kill('SIGTERM')
        // Graceful: stop() and close, then exit 0.
        expect((await second.exited).code).toBe(0)
        await store?.close()
      }

      const runs2 = readRuns(log2)
      const started2 = ids(runs2, 'start')
      // None lost: every acknowledged delivery's handler ran to its end (and the store says done, above).
      const ends = new Map<string, number>()
      for (const r of [...runs1, ...runs2]) if (r.phase === 'end') ends.set(r.id, (ends.get(r.id) ?? 0) + 1)
      expect(ends.size).toBe(TOTAL)
      // Nothing the first process had completed ran again…
      expect([...started2].filter((id) => done1.has(id))).toEqual([])
      // …every delivery it was in the middle of did run again, as attempt 2…
      const twice = new Set([...started2].filter((id) => started1.has(id)))
      for (const id of midHandler) expect(twice.has(id)).toBe(true)
      expect(runs2.filter((r) => r.phase === 'start' && twice.has(r.id)).every((r) => r.attempt === 2)).toBe(true)
      // …and those (at most one per worker slot) are the only duplicates.
      for (const id of twice) expect(unconfirmed.has(id)).toBe(true)
      expect([...ends].filter(([id, n]) => n > 1 && !twice.has(id))).toEqual([])
      expect(twice.size).toBeLessThanOrEqual(CONCURRENCY)
    },
    90_000,
  )
})
