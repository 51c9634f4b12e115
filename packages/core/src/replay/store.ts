/** The outcome of {@link ReplayStore.claim}. */
export type ClaimResult = 'claimed' | 'duplicate' | 'in_flight'

/** Something a store reports that weakens protection (for the observer). */
export interface ReplayStoreEvent {
  type: 'replay_window_opened'
  /** The key whose record was dropped before its time. */
  key: string
  /** How long the record still had to live, in ms. */
  remainingMs: number
  reason: 'max_entries'
}

/**
 * Where handled delivery ids live. Three atomic operations; every implementation passes the same
 * contract suite (`@hookguard/core` memory, `@hookguard/redis`, `@hookguard/inbox`).
 *
 * `token` is unique per claim attempt: `complete` and `release` must only act when the key is
 * still held by that token, so a slow instance whose lease expired can never settle a claim that
 * another instance now holds.
 */
export interface ReplayStore {
  /**
   * Atomically: no record (or an expired lease) → record an in-flight claim for `leaseMs` and
   * answer `claimed`; a completed record → `duplicate`; a live lease → `in_flight`.
   */
  claim(key: string, leaseMs: number, token: string): Promise<ClaimResult> | ClaimResult
  /** Marks the claim held by `token` completed, remembered for `ttlMs`. */
  complete(key: string, ttlMs: number, token: string): Promise<void> | void
  /** Drops the claim held by `token`, so the provider's retry is processed. */
  release(key: string, token: string): Promise<void> | void
  /** Optional: the handler subscribes here to hear of weakened protection. */
  observe?(listener: (event: ReplayStoreEvent) => void): void
}
