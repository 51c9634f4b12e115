import type { ClaimResult, ReplayStore, ReplayStoreEvent } from './store'

/** Options for {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Most records kept. Past it the oldest record is dropped; if it was still live, the observer
   * hears `replay_window_opened` (a replay of that id would no longer be caught).
   * @default 100_000
   */
  maxEntries?: number
  /** The clock, in ms. @default Date.now */
  now?: () => number
}

/** An in-flight claim. A completed record is stored as its bare expiry time (a number): no token, no object. */
interface Lease {
  expires: number
  token: string
}
type Entry = Lease | number

const expiryOf = (entry: Entry): number => (typeof entry === 'number' ? entry : entry.expires)

/**
 * The embedded replay store: one process, O(1) operations, no timers (nothing keeps the process
 * alive), bounded memory (about 200 bytes per record with its key; measured by
 * `scripts/memory-store-bytes.mjs`). Expired records are swept a few at a time on each claim.
 * Use `@hookguard/redis` when more than one process receives deliveries.
 */
export function memoryStore(options: MemoryStoreOptions = {}): ReplayStore & { readonly size: number } {
  const maxEntries = options.maxEntries ?? 100_000
  if (!Number.isInteger(maxEntries) || maxEntries < 1)
    throw new TypeError('@hookguard/core: memoryStore maxEntries must be a positive integer')
  const now = options.now ?? Date.now
  if (typeof now !== 'function') throw new TypeError('@hookguard/core: memoryStore now must be a function returning milliseconds')
  // Map iteration is insertion order; every write re-inserts, so the head holds the oldest writes,
  // which (with one lease and one ttl per handler) are the first to expire.
  const entries = new Map<string, Entry>()
  const listeners: Array<(event: ReplayStoreEvent) => void> = []

  const sweep = (time: number) => {
    let budget = 4
    for (const [key, entry] of entries) {
      if (budget-- === 0 || expiryOf(entry) > time) break
      entries.delete(key)
    }
  }

  const put = (key: string, entry: Entry, time: number) => {
    entries.delete(key)
    entries.set(key, entry)
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next().value as string
      const remainingMs = expiryOf(entries.get(oldest) as Entry) - time
      entries.delete(oldest)
      // Dropping a live record weakens protection: say so instead of doing it silently.
      if (remainingMs > 0 && listeners.length > 0) {
        const event: ReplayStoreEvent = { type: 'replay_window_opened', key: oldest, remainingMs, reason: 'max_entries' }
        for (const listener of listeners) {
          try {
            listener(event)
          } catch {
            // A listener must not break the store.
          }
        }
      }
    }
  }

  return {
    get size() {
      return entries.size
    },
    claim(key, leaseMs, token): ClaimResult {
      const time = now()
      sweep(time)
      const entry = entries.get(key)
      if (entry !== undefined && expiryOf(entry) > time) return typeof entry === 'number' ? 'duplicate' : 'in_flight'
      put(key, { expires: time + leaseMs, token }, time)
      return 'claimed'
    },
    complete(key, ttlMs, token) {
      const entry = entries.get(key)
      // Completed already, or another claim holds the key now (our lease lapsed): not ours to touch.
      if (typeof entry === 'number' || (entry !== undefined && entry.token !== token)) return
      // Ours, or our lapsed lease was swept and nobody claimed since: record it as done.
      const time = now()
      put(key, time + ttlMs, time)
    },
    release(key, token) {
      const entry = entries.get(key)
      if (entry !== undefined && typeof entry !== 'number' && entry.token === token) entries.delete(key)
    },
    observe(listener) {
      listeners.push(listener)
    },
  }
}
