/** Where a stored delivery is in its life. `pending` includes deliveries waiting for a retry. */
export type DeliveryStatus = 'pending' | 'running' | 'done' | 'dead'

/** What the intake writes: everything a worker needs to rebuild the event later. */
export interface NewDelivery {
  /** The inbox key: `scheme:providerId` (core's replay key), or `scheme:~digest` when the provider sends no id. Unique. */
  id: string
  scheme: string
  type: string
  /** The provider's own delivery id, when it sends one. */
  eventId: string | undefined
  /** The signed Unix timestamp (seconds), when the scheme signs one. */
  timestamp: number | undefined
  /** The headers kept (lower-case names): content type, provider ids and retry counters, never secrets. */
  headers: Record<string, string>
  /** The exact verified bytes. */
  body: Uint8Array
  /** When the request arrived, ms since the epoch. */
  receivedAt: number
}

/** A delivery as stored, with its processing state. */
export interface StoredDelivery extends NewDelivery {
  status: DeliveryStatus
  /** Attempts started so far (a claim counts one). */
  attempts: number
  /** When a pending delivery is due, or when a running delivery's lease ends (ms since the epoch). */
  dueAt: number
  /** The last failure's message, kept after a retry succeeds for the record. */
  lastError: string | undefined
  updatedAt: number
}

/** A delivery a worker holds: `token` proves the claim, so a worker whose lease lapsed cannot settle it. */
export interface ClaimedDelivery extends StoredDelivery {
  token: string
}

/** Counts per state and the age of the oldest unfinished delivery. */
export interface InboxStats {
  /** Waiting for a first attempt. */
  pending: number
  /** Claimed by a worker right now (or by one that died, until its lease ends). */
  running: number
  /** Failed at least once, waiting for a retry. */
  failed: number
  /** Gave up after `maxAttempts`; see `lastError`, retry with `retry()`. */
  dead: number
  done: number
  /** Age in ms of the oldest delivery that is not done (dead ones excluded); 0 when there is none. */
  oldestAgeMs: number
}

/** Options for {@link InboxStore.list}. */
export interface ListOptions {
  /** Only these states. 'failed' means pending after at least one failure. */
  status?: DeliveryStatus | 'failed' | undefined
  /** @default 50 */
  limit?: number | undefined
}

/** What {@link InboxStore.retry} re-queues: one delivery by id, or every dead one. */
export type RetryTarget = { id: string } | { dead: true }

/**
 * The durable side of the inbox. Every operation is one transaction; every implementation passes
 * the same contract suite (`describeInboxStoreContract`). Times are ms since the epoch, from the
 * caller's clock, so keep machines sharing a PostgreSQL queue NTP-synced (leases are minutes, skew is ms).
 */
export interface InboxStore {
  /** Creates the tables and indexes if missing. Idempotent; never run implicitly. */
  migrate(): Promise<void>
  /** Writes a delivery durably unless its id is already stored. Resolves only once the write is durable. */
  enqueue(delivery: NewDelivery, now: number): Promise<'enqueued' | 'duplicate'>
  /**
   * Claims up to `limit` due deliveries (pending and due, or running with a lapsed lease), counts an
   * attempt on each and leases them until `now + leaseMs`. Concurrent claimers never get the same row.
   */
  claim(limit: number, leaseMs: number, now: number): Promise<ClaimedDelivery[]>
  /** Extends a lease the token still holds. False when it lost the lease. */
  extend(id: string, token: string, until: number, now: number): Promise<boolean>
  /** Marks a delivery done. False (and nothing changes) when the token no longer holds it. */
  complete(id: string, token: string, now: number): Promise<boolean>
  /** Records a failure: back to pending, due at `retryAt`, or `dead` when `retryAt` is undefined. */
  fail(id: string, token: string, error: string, retryAt: number | undefined, now: number): Promise<boolean>
  /** Hands a claimed delivery back untouched (graceful shutdown): pending, due now, the attempt not counted. */
  release(id: string, token: string, now: number): Promise<boolean>
  stats(now: number): Promise<InboxStats>
  get(id: string): Promise<StoredDelivery | undefined>
  /** Newest first. */
  list(options?: ListOptions): Promise<StoredDelivery[]>
  /** Makes a dead or waiting delivery (or every dead one) due now with a fresh attempt budget. Returns how many. */
  retry(target: RetryTarget, now: number): Promise<number>
  /** Deletes finished (done and dead) deliveries last updated before `before`. Returns how many. */
  purge(before: number): Promise<number>
  close(): Promise<void>
}

/** The message kept for a failure: bounded, so a huge error cannot bloat the row. */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text
}
