import { randomUUID } from 'node:crypto'
import type { ClaimResult, ReplayStore } from '@hookguard/core'
import Database from 'better-sqlite3'
import type { InboxStore, ListOptions, NewDelivery, RetryTarget } from '../store'
import { numbered, replaySql, SWEEP_EVERY } from './replay-sql'
import { checkIdentifier, type DeliveryRow, STATS_COLUMNS, type StatsRow, toClaimed, toDelivery, toStats } from './row'

const PKG = '@hookguard/inbox/sqlite'

/** The part of a better-sqlite3 `Database` the store uses (so its types are not part of ours). */
export interface SqliteDatabaseLike {
  prepare(sql: string): {
    run(...params: unknown[]): { changes: number }
    get(...params: unknown[]): unknown
    all(...params: unknown[]): unknown[]
  }
  exec(sql: string): unknown
  pragma(source: string, options?: { simple?: boolean }): unknown
  close(): unknown
}

/** Options for {@link sqliteStore}. */
export interface SqliteStoreOptions {
  /** A database file (created if missing), or `':memory:'` (one process, gone on exit). */
  path?: string
  /** An open better-sqlite3 database instead of `path`; the store leaves its pragmas and its closing to you. */
  database?: SqliteDatabaseLike
  /** The table name. @default 'hookguard_inbox' */
  table?: string
  /**
   * SQLite `synchronous` for intake: `full` fsyncs every delivery before it is acknowledged (survives
   * power loss); `normal` survives a process crash but may lose the last acknowledged deliveries on
   * power loss. Worker bookkeeping (claims, done marks) always runs at `normal`: losing it to a power
   * cut means a delivery runs again, never that one is lost.
   * @default 'full'
   */
  synchronous?: 'full' | 'normal'
  /** How long a writer waits for another process's lock before failing (ms). @default 5000 */
  busyTimeoutMs?: number
  /** Fail (SQLITE_CANTOPEN) instead of creating a missing file: for tools that inspect an existing inbox. @default false */
  fileMustExist?: boolean
}

function open(options: SqliteStoreOptions | string, defaultTable: string) {
  const opts = typeof options === 'string' ? { path: options } : options
  const table = `"${checkIdentifier(opts.table ?? defaultTable, 'table', PKG)}"`
  if (!opts.database && !opts.path) throw new TypeError(`${PKG}: pass a file path (or ':memory:') or an open database`)
  const owned = !opts.database
  const db: SqliteDatabaseLike =
    opts.database ?? (new Database(opts.path as string, { fileMustExist: opts.fileMustExist === true }) as unknown as SqliteDatabaseLike)
  if (owned) {
    db.pragma('journal_mode = WAL')
    db.pragma(`synchronous = ${opts.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`)
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(opts.busyTimeoutMs ?? 5000))}`)
  }
  return { db, owned, table, fsyncIntake: owned && opts.synchronous !== 'normal' }
}

/**
 * The embedded inbox store: one SQLite file in WAL mode, via better-sqlite3 (synchronous calls that
 * take microseconds, so there is no pool to size). Several processes on one machine may share the file.
 * @example
 * const store = sqliteStore({ path: 'var/inbox.db' })
 * await store.migrate()
 */
export function sqliteStore(options: SqliteStoreOptions | string = {}): InboxStore & { readonly database: SqliteDatabaseLike } {
  const { db, owned, table, fsyncIntake } = open(options, 'hookguard_inbox')
  // One connection, synchronous calls: switching the pragma around a statement cannot interleave.
  // In WAL mode a FULL commit fsyncs the log, and with it every earlier (NORMAL) commit.
  let level = fsyncIntake ? 'FULL' : ''
  const sync = (wanted: 'FULL' | 'NORMAL') => {
    if (!fsyncIntake || level === wanted) return
    db.pragma(`synchronous = ${wanted}`)
    level = wanted
  }
  // Statements are prepared on first use: preparing before migrate() would fail on a fresh file.
  const cache = new Map<string, ReturnType<SqliteDatabaseLike['prepare']>>()
  const sql = (text: string) => {
    let statement = cache.get(text)
    if (!statement) {
      statement = db.prepare(text.replaceAll('$t', table))
      cache.set(text, statement)
    }
    return statement
  }
  const indexName = (suffix: string) => `"${table.slice(1, -1)}_${suffix}"`

  // Group commit: the deliveries that arrive within one turn of the event loop share one
  // transaction, so one fsync acknowledges all of them (SQLite has no group commit of its own,
  // and a FULL commit per request would cap intake at one fsync per delivery). Each caller's
  // promise settles only after the COMMIT, so nothing is acknowledged before it is durable.
  let intake: Array<{ d: NewDelivery; now: number; resolve: (r: 'enqueued' | 'duplicate') => void; reject: (e: unknown) => void }> = []
  const insertOne = (d: NewDelivery, now: number): 'enqueued' | 'duplicate' =>
    // The primary key is the de-duplication (a repeat within the same batch included).
    sql(
      `INSERT INTO $t (id, scheme, type, event_id, event_timestamp, headers, body, received_at, status, attempts, due_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (id) DO NOTHING`,
    ).run(d.id, d.scheme, d.type, d.eventId ?? null, d.timestamp ?? null, JSON.stringify(d.headers), d.body, d.receivedAt, now, now)
      .changes === 1
      ? 'enqueued'
      : 'duplicate'
  const commit = (batch: typeof intake) => {
    db.exec('BEGIN IMMEDIATE')
    try {
      const results = batch.map(({ d, now }) => insertOne(d, now))
      db.exec('COMMIT')
      return results
    } catch (error) {
      try {
        db.exec('ROLLBACK')
      } catch {
        // SQLite already rolled back (e.g. SQLITE_FULL); nothing was committed either way.
      }
      throw error
    }
  }
  function flushIntake() {
    const batch = intake
    intake = []
    sync('FULL')
    try {
      const results = commit(batch)
      for (const [i, item] of batch.entries()) item.resolve(results[i] as 'enqueued' | 'duplicate')
    } catch (error) {
      if (batch.length === 1) return batch[0]?.reject(error)
      // One bad row must not refuse its neighbours: retry each in its own transaction.
      for (const item of batch) {
        try {
          item.resolve((commit([item]) as ['enqueued' | 'duplicate'])[0])
        } catch (rowError) {
          item.reject(rowError)
        }
      }
    }
  }

  return {
    database: db,
    async migrate() {
      db.exec(`
        CREATE TABLE IF NOT EXISTS ${table} (
          id TEXT PRIMARY KEY,
          scheme TEXT NOT NULL,
          type TEXT NOT NULL,
          event_id TEXT,
          event_timestamp INTEGER,
          headers TEXT NOT NULL,
          body BLOB NOT NULL,
          received_at INTEGER NOT NULL,
          status TEXT NOT NULL DEFAULT 'pending',
          attempts INTEGER NOT NULL DEFAULT 0,
          due_at INTEGER NOT NULL,
          lease_token TEXT,
          last_error TEXT,
          updated_at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ${indexName('due')} ON ${table} (due_at, received_at) WHERE status IN ('pending', 'running');
        CREATE INDEX IF NOT EXISTS ${indexName('status')} ON ${table} (status, updated_at);`)
    },
    enqueue(d: NewDelivery, now: number) {
      return new Promise<'enqueued' | 'duplicate'>((resolve, reject) => {
        intake.push({ d, now, resolve, reject })
        if (intake.length === 1) setImmediate(flushIntake)
      })
    },
    async claim(limit, leaseMs, now) {
      sync('NORMAL')
      const token = randomUUID()
      // One UPDATE … RETURNING takes SQLite's write lock, so concurrent claimers (threads or processes) never share a row.
      const rows = sql(
        `UPDATE $t SET status = 'running', attempts = attempts + 1, lease_token = ?, due_at = ?, updated_at = ?
         WHERE id IN (SELECT id FROM $t WHERE status IN ('pending', 'running') AND due_at <= ? ORDER BY due_at, received_at LIMIT ?)
         RETURNING *`,
      ).all(token, now + leaseMs, now, now, limit) as DeliveryRow[]
      return rows.map(toClaimed).sort((a, b) => a.receivedAt - b.receivedAt)
    },
    async extend(id, token, until, now) {
      sync('NORMAL')
      return (
        sql(`UPDATE $t SET due_at = ?, updated_at = ? WHERE id = ? AND lease_token = ? AND status = 'running'`).run(until, now, id, token)
          .changes === 1
      )
    },
    async complete(id, token, now) {
      sync('NORMAL')
      return (
        sql(
          `UPDATE $t SET status = 'done', lease_token = NULL, updated_at = ? WHERE id = ? AND lease_token = ? AND status = 'running'`,
        ).run(now, id, token).changes === 1
      )
    },
    async fail(id, token, error, retryAt, now) {
      sync('NORMAL')
      const status = retryAt === undefined ? 'dead' : 'pending'
      return (
        sql(
          `UPDATE $t SET status = ?, due_at = ?, last_error = ?, lease_token = NULL, updated_at = ? WHERE id = ? AND lease_token = ? AND status = 'running'`,
        ).run(status, retryAt ?? now, error, now, id, token).changes === 1
      )
    },
    async release(id, token, now) {
      sync('NORMAL')
      return (
        sql(
          `UPDATE $t SET status = 'pending', attempts = max(attempts - 1, 0), due_at = ?, lease_token = NULL, updated_at = ?
           WHERE id = ? AND lease_token = ? AND status = 'running'`,
        ).run(now, now, id, token).changes === 1
      )
    },
    async stats(now) {
      return toStats(sql(`SELECT ${STATS_COLUMNS} FROM $t`).get() as StatsRow | undefined, now)
    },
    async get(id) {
      const row = sql('SELECT * FROM $t WHERE id = ?').get(id) as DeliveryRow | undefined
      return row ? toDelivery(row) : undefined
    },
    async list(options: ListOptions = {}) {
      const limit = options.limit ?? 50
      const status = options.status
      const rows = (
        status === undefined
          ? sql('SELECT * FROM $t ORDER BY received_at DESC, id LIMIT ?').all(limit)
          : status === 'failed'
            ? sql(`SELECT * FROM $t WHERE status = 'pending' AND attempts > 0 ORDER BY received_at DESC, id LIMIT ?`).all(limit)
            : sql('SELECT * FROM $t WHERE status = ? ORDER BY received_at DESC, id LIMIT ?').all(status, limit)
      ) as DeliveryRow[]
      return rows.map(toDelivery)
    },
    async retry(target: RetryTarget, now) {
      sync('NORMAL')
      const set = `SET status = 'pending', attempts = 0, due_at = ?, lease_token = NULL, updated_at = ?`
      if ('dead' in target) return sql(`UPDATE $t ${set} WHERE status = 'dead'`).run(now, now).changes
      return sql(`UPDATE $t ${set} WHERE id = ? AND status IN ('dead', 'pending')`).run(now, now, target.id).changes
    },
    async purge(before) {
      sync('NORMAL')
      return sql(`DELETE FROM $t WHERE status IN ('done', 'dead') AND updated_at < ?`).run(before).changes
    },
    async close() {
      cache.clear()
      if (owned) db.close()
    },
  }
}

/**
 * A core `ReplayStore` on SQLite, for running handlers in the request (`createWebhookHandler({ replay })`)
 * with ids remembered across restarts and across the processes of one machine. Not needed with the
 * inbox, whose own key de-duplicates. Table `hookguard_replay` by default; call `migrate()` first.
 * @example
 * const replay = sqliteReplayStore('var/replay.db')
 * await replay.migrate()
 * const hooks = createWebhookHandler({ scheme: 'github', secret, replay })
 */
export function sqliteReplayStore(
  options: (SqliteStoreOptions & { now?: () => number }) | string = {},
): ReplayStore & { migrate(): Promise<void>; close(): Promise<void>; readonly database: SqliteDatabaseLike } {
  const { db, owned, table } = open(options, 'hookguard_replay')
  const now = (typeof options === 'object' && options.now) || Date.now
  const statements = new Map<string, ReturnType<SqliteDatabaseLike['prepare']>>()
  const sql = (key: Exclude<keyof typeof replaySql, 'create'>) => {
    let statement = statements.get(key)
    if (!statement) {
      statement = db.prepare(numbered(replaySql[key](table)))
      statements.set(key, statement)
    }
    return statement
  }
  let claims = 0
  return {
    database: db,
    async migrate() {
      db.exec(replaySql.create(table, `"${table.slice(1, -1)}_expires"`))
    },
    async claim(key, leaseMs, token): Promise<ClaimResult> {
      const time = now()
      if (++claims % SWEEP_EVERY === 0) sql('sweep').run(time)
      if (sql('claim').get(key, token, time + leaseMs, time)) return 'claimed'
      const row = sql('state').get(key) as { done: number } | undefined
      return row?.done === 1 ? 'duplicate' : 'in_flight'
    },
    async complete(key, ttlMs, token) {
      sql('complete').run(key, token, now() + ttlMs)
    },
    async release(key, token) {
      sql('release').run(key, token)
    },
    async close() {
      statements.clear()
      if (owned) db.close()
    },
  }
}
