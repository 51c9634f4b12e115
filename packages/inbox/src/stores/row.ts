import type { ClaimedDelivery, DeliveryStatus, StoredDelivery } from '../store'

/** A row as both drivers return it (PostgreSQL's bigints arrive as strings, its jsonb parsed). */
export interface DeliveryRow {
  id: string
  scheme: string
  type: string
  event_id: string | null
  event_timestamp: number | string | null
  headers: string | Record<string, string>
  body: Uint8Array
  received_at: number | string
  status: string
  attempts: number | string
  due_at: number | string
  lease_token: string | null
  last_error: string | null
  updated_at: number | string
}

/** Table and schema names go into SQL text, so only plain identifiers are allowed. */
export function checkIdentifier(value: string, what: string, pkg: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,50}$/.test(value))
    throw new TypeError(`${pkg}: ${what} must be a plain SQL identifier, got ${JSON.stringify(value)}`)
  return value
}

export function toDelivery(row: DeliveryRow): StoredDelivery {
  return {
    id: row.id,
    scheme: row.scheme,
    type: row.type,
    eventId: row.event_id ?? undefined,
    timestamp: row.event_timestamp === null ? undefined : Number(row.event_timestamp),
    headers: typeof row.headers === 'string' ? (JSON.parse(row.headers) as Record<string, string>) : row.headers,
    // Drivers hand back Buffers; callers get plain bytes, like core's rawBody.
    body: new Uint8Array(row.body.buffer, row.body.byteOffset, row.body.byteLength),
    receivedAt: Number(row.received_at),
    status: row.status as DeliveryStatus,
    attempts: Number(row.attempts),
    dueAt: Number(row.due_at),
    lastError: row.last_error ?? undefined,
    updatedAt: Number(row.updated_at),
  }
}

export function toClaimed(row: DeliveryRow): ClaimedDelivery {
  return { ...toDelivery(row), token: row.lease_token as string }
}

export interface StatsRow {
  pending: number | string | null
  running: number | string | null
  failed: number | string | null
  dead: number | string | null
  done: number | string | null
  oldest: number | string | null
}

/** The one stats query both dialects run (FILTER is in SQLite ≥ 3.30 and PostgreSQL ≥ 9.4). */
export const STATS_COLUMNS = `
  count(*) FILTER (WHERE status = 'pending' AND attempts = 0) AS pending,
  count(*) FILTER (WHERE status = 'running') AS running,
  count(*) FILTER (WHERE status = 'pending' AND attempts > 0) AS failed,
  count(*) FILTER (WHERE status = 'dead') AS dead,
  count(*) FILTER (WHERE status = 'done') AS done,
  min(received_at) FILTER (WHERE status IN ('pending', 'running')) AS oldest`

export function toStats(row: StatsRow | undefined, now: number) {
  const n = (v: number | string | null | undefined) => Number(v ?? 0)
  const oldest = row?.oldest
  return {
    pending: n(row?.pending),
    running: n(row?.running),
    failed: n(row?.failed),
    dead: n(row?.dead),
    done: n(row?.done),
    oldestAgeMs: oldest === null || oldest === undefined ? 0 : Math.max(0, now - Number(oldest)),
  }
}
