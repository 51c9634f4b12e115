// pnpm bench (in packages/inbox): how fast the inbox acknowledges over HTTP and how fast workers
// drain it, on SQLite and PostgreSQL. Real servers, real processes; figures for scale, not targets.
// Writes bench/RESULTS.md. `--smoke` runs tiny sizes (CI checks the bench still works).
import { writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { createWebhookHandler, sign } from '@hookguard/core'
import { DATABASE_URL, requireService } from '@hookguard/testkit'
import { createInbox } from '../src/index'
import { postgresStore } from '../src/postgres'
import { sqliteStore } from '../src/sqlite'
import type { InboxStore } from '../src/store'
import { startApp } from '../test/fixtures/spawn'
import { dropSchema, SECRET, serve, tempSqlite, uniqueName, waitFor } from '../test/helpers'

const smoke = process.argv.includes('--smoke')
const INTAKE = smoke ? 200 : 3_000
const DRAIN = smoke ? 500 : 10_000
const rows: string[][] = []

async function intake(name: string, store: InboxStore) {
  await store.migrate()
  const inbox = createInbox({ store, handlers: createWebhookHandler({ scheme: 'standard-webhooks', secret: SECRET, replay: false }) })
  const server = await serve(inbox)
  // Sign first, so the figure is the receiver's (verify + durable insert + answer), not the sender's.
  const requests = await Promise.all(
    Array.from({ length: INTAKE }, async (_, i) => {
      const body = JSON.stringify({ type: 'order.paid', data: { i, pad: 'x'.repeat(600) } })
      return { body, headers: await sign({ scheme: 'standard-webhooks', secret: SECRET, body, id: `bench_${i}` }) }
    }),
  )
  const started = performance.now()
  let accepted = 0
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (let r = requests.pop(); r; r = requests.pop()) {
        const response = await fetch(server.url, { method: 'POST', headers: r.headers, body: r.body })
        await response.arrayBuffer()
        if (response.status === 202) accepted++
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  await server.close()
  if (accepted !== INTAKE) throw new Error(`${name}: ${accepted}/${INTAKE} accepted`)
  rows.push([`intake over HTTP, ${name}`, `${INTAKE} deliveries, 32 concurrent`, `${Math.round(INTAKE / seconds)} /s`])
}

async function drainSqlite() {
  const { path, cleanup } = tempSqlite()
  const store = sqliteStore(path)
  await store.migrate()
  const t = Date.now()
  const body = new TextEncoder().encode('{"type":"order.paid"}')
  for (let i = 0; i < DRAIN; i++) {
    await store.enqueue(
      {
        id: `b:${i}`,
        scheme: 'b',
        type: 'order.paid',
        eventId: String(i),
        timestamp: undefined,
        headers: { 'content-type': 'application/json' },
        body,
        receivedAt: t,
      },
      t,
    )
  }
  const hooks = createWebhookHandler({ scheme: 'standard-webhooks', secret: SECRET, replay: false })
  const inbox = createInbox({ store, handlers: hooks })
  let handled = 0
  hooks.on('*', () => {
    handled++
  })
  const started = performance.now()
  await inbox.drain({ concurrency: 16 })
  const seconds = (performance.now() - started) / 1000
  await store.close()
  cleanup()
  if (handled !== DRAIN) throw new Error(`sqlite drain: ${handled}/${DRAIN}`)
  rows.push(['workers, SQLite file (1 process × 16)', `${DRAIN} deliveries, no-op handler`, `${Math.round(DRAIN / seconds)} /s`])
}

async function drainPostgres() {
  const schema = uniqueName('bench')
  const store = postgresStore({ connectionString: DATABASE_URL, schema, max: 2 })
  const { path, cleanup } = tempSqlite()
  const apps: Awaited<ReturnType<typeof startApp>>[] = []
  try {
    await store.migrate()
    for (let i = 0; i < 4; i++) {
      apps.push(
        await startApp({
          INBOX_DB: `${DATABASE_URL}?schema=${schema}`,
          SECRET,
          RUN_LOG: `${path}.${i}.log`,
          HTTP: '0',
          CONCURRENCY: '16',
          POLL_MS: '20',
        }),
      )
    }
    const started = Date.now()
    await store.pool.query(
      `INSERT INTO "${schema}"."hookguard_inbox" (id, scheme, type, event_id, headers, body, received_at, status, attempts, due_at, updated_at)
       SELECT 'b:' || g, 'b', 'order.paid', g::text, '{"content-type":"application/json"}'::jsonb, convert_to('{}', 'UTF8'),
              $1::bigint, 'pending', 0, $1::bigint, $1::bigint FROM generate_series(1, $2::int) AS g`,
      [started, DRAIN],
    )
    await waitFor(async () => (await store.stats(Date.now())).done === DRAIN, 'the drain', 300_000)
    const seconds = (Date.now() - started) / 1000
    rows.push([
      'workers, PostgreSQL (4 processes × 16)',
      `${DRAIN} deliveries, handler appends a line`,
      `${Math.round(DRAIN / seconds)} /s`,
    ])
  } finally {
    for (const app of apps) {
      app.child.kill('SIGKILL')
      await app.exited
    }
    await store.close()
    await dropSchema(schema)
    cleanup()
  }
}

const pgUp = await requireService('PostgreSQL', DATABASE_URL)
{
  const { path, cleanup } = tempSqlite()
  const store = sqliteStore(path)
  await intake('SQLite file (synchronous=FULL)', store)
  await store.close()
  cleanup()
}
if (pgUp) {
  const schema = uniqueName('bench')
  const store = postgresStore({ connectionString: DATABASE_URL, schema })
  try {
    await intake('PostgreSQL', store)
  } finally {
    await store.close()
    await dropSchema(schema)
  }
}
await drainSqlite()
if (pgUp) await drainPostgres()

const table = ['| what | size | throughput |', '|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')
const machine = `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`
console.info(`\n@hookguard/inbox throughput (${machine})\n\n${table}\n`)
if (!smoke) {
  writeFileSync(
    fileURLToPath(new URL('./RESULTS.md', import.meta.url)),
    `# @hookguard/inbox throughput\n\n${new Date().toISOString().slice(0, 10)}, ${machine}. \`pnpm bench\` in packages/inbox; one run, for scale.\n\n${table}\n`,
  )
}
