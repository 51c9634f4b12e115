import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { postgresStore } from '@hookguard/inbox/postgres'
import { DATABASE_URL, requireService } from '@hookguard/testkit'
import { afterAll, describe, expect, it } from 'vitest'
import { type AppProcess, startApp } from './fixtures/spawn'
import { dropSchema, SECRET, tempSqlite, uniqueName, waitFor } from './helpers'

const pgUp = await requireService('PostgreSQL', DATABASE_URL)
const TOTAL = 10_000
const WORKERS = 4

describe.skipIf(!pgUp)('scale-out on one PostgreSQL queue', () => {
  const schema = uniqueName('scale')
  const { path, cleanup } = tempSqlite()
  const dir = join(path, '..')
  const apps: AppProcess[] = []
  afterAll(async () => {
    for (const app of apps) {
      app.child.kill('SIGKILL')
      await app.exited
    }
    cleanup()
    await dropSchema(schema)
  })

  it(`${WORKERS} worker processes handle ${TOTAL} deliveries, each exactly once`, async () => {
    const store = postgresStore({ connectionString: DATABASE_URL, schema, max: 2 })
    try {
      await store.migrate()
      const logs = Array.from({ length: WORKERS }, (_, i) => join(dir, `worker-${i}.log`))
      for (const log of logs) writeFileSync(log, '')
      apps.push(
        ...(await Promise.all(
          logs.map((log, i) =>
            startApp({
              INBOX_DB: `${DATABASE_URL}?schema=${schema}`,
              SECRET,
              RUN_LOG: log,
              LABEL: `w${i}`,
              HTTP: '0',
              CONCURRENCY: '16',
              POLL_MS: '20',
            }),
          ),
        )),
      )
      // Enqueue in one batch (the intake path is covered elsewhere); rows exactly as enqueue() writes them.
      const started = Date.now()
      await store.pool.query(
        `INSERT INTO "${schema}"."hookguard_inbox" (id, scheme, type, event_id, headers, body, received_at, status, attempts, due_at, updated_at)
         SELECT 'standard-webhooks:scale_' || g, 'standard-webhooks', 'order.paid', 'scale_' || g, '{"content-type":"application/json"}'::jsonb,
                convert_to('{"n":' || g || '}', 'UTF8'), $1::bigint + g, 'pending', 0, $1::bigint, $1::bigint
         FROM generate_series(1, $2::int) AS g`,
        [started, TOTAL],
      )
      await waitFor(async () => (await store.stats(Date.now())).done === TOTAL, 'every delivery to be done', 120_000)
      const seconds = (Date.now() - started) / 1000
      console.info(
        `[inbox scale-out] ${TOTAL} deliveries, ${WORKERS} processes × 16: ${seconds.toFixed(2)} s, ${Math.round(TOTAL / seconds)} deliveries/s`,
      )

      const perWorker = logs.map((log) =>
        readFileSync(log, 'utf8')
          .split('\n')
          .filter((line) => line.startsWith('start '))
          .map((line) => line.split(' ')[2] as string),
      )
      const all = perWorker.flat()
      expect(all).toHaveLength(TOTAL)
      expect(new Set(all).size).toBe(TOTAL)
      // The queue was shared, not drained by whoever came first.
      for (const handled of perWorker) expect(handled.length).toBeGreaterThan(TOTAL / WORKERS / 4)
      expect(await store.stats(Date.now())).toMatchObject({ pending: 0, running: 0, failed: 0, dead: 0, done: TOTAL })
    } finally {
      await store.close()
    }
  }, 150_000)
})
