import { postgresReplayStore, postgresStore } from '@hookguard/inbox/postgres'
import { sqliteReplayStore, sqliteStore } from '@hookguard/inbox/sqlite'
import { DATABASE_URL, describeReplayStoreContract, requireService } from '@hookguard/testkit'
import { describe, expect, it } from 'vitest'
import { dropSchema, postgresKind, sqliteKind, tempSqlite, uniqueName } from './helpers'
import { describeInboxStoreContract, newDelivery } from './store-contract'

const pgUp = await requireService('PostgreSQL', DATABASE_URL)

for (const kind of [sqliteKind, postgresKind]) {
  let reopen: (() => ReturnType<typeof sqliteStore>) | undefined
  describeInboxStoreContract(kind.name, {
    skip: kind.name === 'postgres' && !pgUp,
    async create() {
      const made = await kind.create()
      reopen = made.reopen as typeof reopen
      return made
    },
    reopen: async () => (reopen as NonNullable<typeof reopen>)(),
  })
}

// The same SQL as a core ReplayStore, for handlers run in the request: core's own contract suite.
describeReplayStoreContract('sqliteReplayStore (file)', {
  async create() {
    const { path, cleanup } = tempSqlite()
    const store = sqliteReplayStore(path)
    await store.migrate()
    return {
      store,
      close: async () => {
        await store.close()
        cleanup()
      },
    }
  },
})

describeReplayStoreContract('postgresReplayStore', {
  skip: !pgUp,
  async create() {
    const schema = uniqueName('replay')
    const store = postgresReplayStore({ connectionString: DATABASE_URL, schema, max: 20 })
    await store.migrate()
    return {
      store,
      close: async () => {
        await store.close()
        await dropSchema(schema)
      },
    }
  },
})

describe('replay stores', () => {
  it('sweep expired records as they go, so the table does not grow without bound', async () => {
    let time = 1_000_000
    const store = sqliteReplayStore({ path: ':memory:', now: () => time })
    await store.migrate()
    for (let i = 0; i < 150; i++) {
      await store.claim(`old:${i}`, 10, 't')
      await store.complete(`old:${i}`, 10, 't')
    }
    time += 1_000
    for (let i = 0; i < 250; i++) await store.claim(`new:${i}`, 60_000, 't')
    const { n } = store.database.prepare('SELECT count(*) AS n FROM "hookguard_replay"').get() as { n: number }
    expect(n).toBeLessThan(400)
    expect(await store.claim('new:0', 60_000, 'u')).toBe('in_flight')
    await store.close()
  })
})

describe('sqliteStore', () => {
  it('opens the file in WAL mode with synchronous=FULL, and :memory: works', async () => {
    const { path, cleanup } = tempSqlite()
    const store = sqliteStore(path)
    expect(store.database.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(store.database.pragma('synchronous', { simple: true })).toBe(2)
    await store.close()
    cleanup()
    const memory = sqliteStore(':memory:')
    await memory.migrate()
    expect(await memory.enqueue(newDelivery(), 1)).toBe('enqueued')
    expect((await memory.stats(1)).pending).toBe(1)
    await memory.close()
  })

  it('refuses a table name that is not a plain identifier, and missing options', () => {
    expect(() => sqliteStore({ path: ':memory:', table: 'x; DROP TABLE y' })).toThrow(TypeError)
    expect(() => sqliteStore({})).toThrow(/file path/)
  })

  it('creates nothing before migrate() (no DDL at import or construction)', async () => {
    const store = sqliteStore(':memory:')
    const tables = store.database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()
    expect(tables).toEqual([])
    await expect(store.stats(1)).rejects.toThrow(/no such table/)
    await store.close()
  })
})

describe.skipIf(!pgUp)('postgresStore', () => {
  it('creates its schema and table only in migrate(), and twice is harmless even concurrently', async () => {
    const schema = uniqueName('mig')
    const a = postgresStore({ connectionString: DATABASE_URL, schema })
    const b = postgresStore({ connectionString: DATABASE_URL, schema })
    try {
      const before = await a.pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])
      expect(before.rowCount).toBe(0)
      await Promise.all([a.migrate(), b.migrate(), a.migrate()])
      expect(await b.enqueue(newDelivery(), 1)).toBe('enqueued')
      expect((await a.stats(1)).pending).toBe(1)
    } finally {
      await a.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await a.close()
      await b.close()
    }
  })

  it('refuses bad identifiers and missing connection options', () => {
    expect(() => postgresStore({ connectionString: DATABASE_URL, schema: 'a"b' })).toThrow(TypeError)
    expect(() => postgresStore({} as never)).toThrow(/connectionString/)
  })
})
