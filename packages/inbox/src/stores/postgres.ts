import { randomUUID } from 'node:crypto'
import type { ClaimResult, ReplayStore } from '@hookguard/core'
import pg from 'pg'
import type { InboxStore, ListOptions, NewDelivery, RetryTarget } from '../store'
import { replaySql, SWEEP_EVERY } from './replay-sql'
import { checkIdentifier, type DeliveryRow, STATS_COLUMNS, type StatsRow, toClaimed, toDelivery, toStats } from './row'

const PKG = '@hookguard/inbox/postgres'

/** The part of a `pg.Pool` (or `pg.Client`) the store uses, so pg's types are not part of ours. */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>
}

/** Options for {@link postgresStore}. */
export interface PostgresStoreOptions {
  /** A `postgres://` URL; the store opens (and on `close()` ends) its own `pg.Pool`. */
  connectionString?: string
  /** An existing `pg.Pool` instead; the store never ends it. */
  pool?: PgQueryable
  /** Pool size when the store opens its own pool. @default 10 */
  max?: number
  /** The table name. @default 'hookguard_inbox' */
  table?: string
  /** A schema to hold the table; `migrate()` creates it. @default the search_path's (usually `public`) */
  schema?: string
}

function open(options: PostgresStoreOptions, defaultTable: string) {
  if (!options || (!options.pool && !options.connectionString)) throw new TypeError(`${PKG}: pass a connectionString or a pg Pool`)
  const name = checkIdentifier(options.table ?? defaultTable, 'table', PKG)
  const schema = options.schema === undefined ? undefined : checkIdentifier(options.schema, 'schema', PKG)
  const table = schema ? `"${schema}"."${name}"` : `"${name}"`
  const owned = !options.pool
  const pool: PgQueryable =
    options.pool ?? (new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10 }) as unknown as PgQueryable)
  // An idle client's network error must not crash the process; the next query reports it.
  if (owned) (pool as unknown as pg.Pool).on('error', () => {})
  return { name, schema, table, owned, pool }
}

/**
 * The inbox store for many processes on many machines: one PostgreSQL table that workers claim from
 * with `FOR UPDATE SKIP LOCKED`, so they never wait on each other's rows nor take the same one.
 * @example
 * const store = postgresStore({ connectionString: process.env.DATABASE_URL })
 * await store.migrate()
 */
export function postgresStore(options: PostgresStoreOptions): InboxStore & { readonly pool: PgQueryable } {
  const { name, schema, table, owned, pool } = open(options, 'hookguard_inbox')
  const query = async (text: string, values?: unknown[]) => pool.query(text.replaceAll('$t', table), values)
  const changed = (result: { rowCount: number | null }) => (result.rowCount ?? 0) === 1

  return {
    pool,
    async migrate() {
      // One statement batch (one implicit transaction), each part idempotent, run only when the
      // application asks; the advisory lock lets several processes migrate at boot without racing.
      await query(`
        SELECT pg_advisory_xact_lock(hashtext('hookguard_inbox.migrate'));
        ${schema ? `CREATE SCHEMA IF NOT EXISTS "${schema}";` : ''}
        CREATE TABLE IF NOT EXISTS $t (
          id text PRIMARY KEY,
          scheme text NOT NULL,
          type text NOT NULL,
          event_id text,
          event_timestamp bigint,
          headers jsonb NOT NULL,
          body bytea NOT NULL,
          received_at bigint NOT NULL,
          status text NOT NULL DEFAULT 'pending',
          attempts integer NOT NULL DEFAULT 0,
          due_at bigint NOT NULL,
          lease_token text,
          last_error text,
          updated_at bigint NOT NULL
        );
        CREATE INDEX IF NOT EXISTS "${name}_due" ON $t (due_at, received_at) WHERE status IN ('pending', 'running');
        CREATE INDEX IF NOT EXISTS "${name}_status" ON $t (status, updated_at);`)
    },
    async enqueue(d: NewDelivery, now: number) {
      // Autocommit: the INSERT is its own transaction, and with synchronous_commit on (the default)
      // it is flushed to the WAL before the query returns, so the 202 follows a durable write.
      const result = await query(
        `INSERT INTO $t (id, scheme, type, event_id, event_timestamp, headers, body, received_at, status, attempts, due_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $9) ON CONFLICT (id) DO NOTHING`,
        [d.id, d.scheme, d.type, d.eventId ?? null, d.timestamp ?? null, JSON.stringify(d.headers), Buffer.from(d.body), d.receivedAt, now],
      )
      return changed(result) ? 'enqueued' : 'duplicate'
    },
    async claim(limit, leaseMs, now) {
      const result = await query(
        `WITH due AS (
           SELECT id FROM $t WHERE status IN ('pending', 'running') AND due_at <= $1
           ORDER BY due_at, received_at LIMIT $2 FOR UPDATE SKIP LOCKED
         )
         UPDATE $t AS t SET status = 'running', attempts = t.attempts + 1, lease_token = $3, due_at = $4, updated_at = $1
         FROM due WHERE t.id = due.id RETURNING t.*`,
        [now, limit, randomUUID(), now + leaseMs],
      )
      return (result.rows as DeliveryRow[]).map(toClaimed).sort((a, b) => a.receivedAt - b.receivedAt)
    },
    async extend(id, token, until, now) {
      return changed(
        await query(`UPDATE $t SET due_at = $1, updated_at = $2 WHERE id = $3 AND lease_token = $4 AND status = 'running'`, [
          until,
          now,
          id,
          token,
        ]),
      )
    },
    async complete(id, token, now) {
      return changed(
        await query(
          `UPDATE $t SET status = 'done', lease_token = NULL, updated_at = $1 WHERE id = $2 AND lease_token = $3 AND status = 'running'`,
          [now, id, token],
        ),
      )
    },
    async fail(id, token, error, retryAt, now) {
      return changed(
        await query(
          `UPDATE $t SET status = $1, due_at = $2, last_error = $3, lease_token = NULL, updated_at = $4
           WHERE id = $5 AND lease_token = $6 AND status = 'running'`,
          [retryAt === undefined ? 'dead' : 'pending', retryAt ?? now, error, now, id, token],
        ),
      )
    },
    async release(id, token, now) {
      return changed(
        await query(
          `UPDATE $t SET status = 'pending', attempts = greatest(attempts - 1, 0), due_at = $1, lease_token = NULL, updated_at = $1
           WHERE id = $2 AND lease_token = $3 AND status = 'running'`,
          [now, id, token],
        ),
      )
    },
    async stats(now) {
      const result = await query(`SELECT ${STATS_COLUMNS} FROM $t`)
      return toStats(result.rows[0] as StatsRow | undefined, now)
    },
    async get(id) {
      const result = await query('SELECT * FROM $t WHERE id = $1', [id])
      const row = result.rows[0] as DeliveryRow | undefined
      return row ? toDelivery(row) : undefined
    },
    async list(options: ListOptions = {}) {
      const limit = options.limit ?? 50
      const status = options.status
      const result =
        status === undefined
          ? await query('SELECT * FROM $t ORDER BY received_at DESC, id LIMIT $1', [limit])
          : status === 'failed'
            ? await query(`SELECT * FROM $t WHERE status = 'pending' AND attempts > 0 ORDER BY received_at DESC, id LIMIT $1`, [limit])
            : await query('SELECT * FROM $t WHERE status = $1 ORDER BY received_at DESC, id LIMIT $2', [status, limit])
      return (result.rows as DeliveryRow[]).map(toDelivery)
    },
    async retry(target: RetryTarget, now) {
      const set = `SET status = 'pending', attempts = 0, due_at = $1, lease_token = NULL, updated_at = $1`
      const result =
        'dead' in target
          ? await query(`UPDATE $t ${set} WHERE status = 'dead'`, [now])
          : await query(`UPDATE $t ${set} WHERE id = $2 AND status IN ('dead', 'pending')`, [now, target.id])
      return result.rowCount ?? 0
    },
    async purge(before) {
      return (await query(`DELETE FROM $t WHERE status IN ('done', 'dead') AND updated_at < $1`, [before])).rowCount ?? 0
    },
    async close() {
      if (owned) await (pool as unknown as pg.Pool).end()
    },
  }
}

/**
 * A core `ReplayStore` on PostgreSQL, for running handlers in the request (`createWebhookHandler({ replay })`)
 * with one replay memory shared by every machine, without Redis. Not needed with the inbox, whose own
 * key de-duplicates. Table `hookguard_replay` by default; call `migrate()` first.
 * @example
 * const replay = postgresReplayStore({ connectionString: process.env.DATABASE_URL })
 * await replay.migrate()
 * const hooks = createWebhookHandler({ scheme: 'stripe', secret, replay })
 */
export function postgresReplayStore(
  options: PostgresStoreOptions & { now?: () => number },
): ReplayStore & { migrate(): Promise<void>; close(): Promise<void>; readonly pool: PgQueryable } {
  const { name, schema, table, owned, pool } = open(options, 'hookguard_replay')
  const now = options.now ?? Date.now
  let claims = 0
  return {
    pool,
    async migrate() {
      await pool.query(`
        SELECT pg_advisory_xact_lock(hashtext('hookguard_replay.migrate'));
        ${schema ? `CREATE SCHEMA IF NOT EXISTS "${schema}";` : ''}
        ${replaySql.create(table, `"${name}_expires"`)}`)
    },
    async claim(key, leaseMs, token): Promise<ClaimResult> {
      const time = now()
      if (++claims % SWEEP_EVERY === 0) await pool.query(replaySql.sweep(table), [time])
      const claimed = await pool.query(replaySql.claim(table), [key, token, time + leaseMs, time])
      if ((claimed.rowCount ?? 0) === 1) return 'claimed'
      const state = await pool.query(replaySql.state(table), [key])
      return (state.rows[0] as { done: number } | undefined)?.done === 1 ? 'duplicate' : 'in_flight'
    },
    async complete(key, ttlMs, token) {
      await pool.query(replaySql.complete(table), [key, token, now() + ttlMs])
    },
    async release(key, token) {
      await pool.query(replaySql.release(table), [key, token])
    },
    async close() {
      if (owned) await (pool as unknown as pg.Pool).end()
    },
  }
}
