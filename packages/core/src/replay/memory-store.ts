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

interface Entry {
  done: boolean
  expires: number
  token: string
}

/**
 * The embedded replay store: one process, O(1) operations, no timers (nothing keeps the process
 * alive), bounded memory. Expired records are swept a few at a time on each claim.
 * Use `@hookguard/redis` when more than one process receives deliveries.
 */
export function memoryStore(options: MemoryStoreOptions = {}): ReplayStore & { readonly size: number } {
  const maxEntries = options.maxEntries ?? 100_000
  if (!Number.isInteger(maxEntries) || maxEntries < 1)
    throw new TypeError('@hookguard/core: memoryStore maxEntries must be a positive integer')
  const now = options.now ?? Date.now
  const entries = new Map<string, Entry>()
  const listeners: Array<(event: ReplayStoreEvent) => void> = []

  const sweep = (time: number) => {
    // Map iteration is insertion order, which is close to expiry order: drop expired heads.
    let budget = 4
    for (const [key, entry] of entries) {
      if (budget-- === 0 || entry.expires > time) break
      entries.delete(key)
    }
  }

  const put = (key: string, entry: Entry, time: number) => {
    entries.delete(key)
    entries.set(key, entry)
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next().value as string
      const dropped = entries.get(oldest) as Entry
      entries.delete(oldest)
      if (dropped.expires > time) {
        const event: ReplayStoreEvent = {
          type: 'replay_window_opened',
          key: oldest,
          remainingMs: dropped.expires - time,
          reason: 'max_entries',
        }
        for (const listener of listeners) listener(event)
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
      if (entry && entry.expires > time) return entry.done ? 'duplicate' : 'in_flight'
      put(key, { done: false, expires: time + leaseMs, token }, time)
      return 'claimed'
    },
    complete(key, ttlMs, token) {
      const entry = entries.get(key)
      // Nobody else holds the key (or our lapsed lease was swept): record it as done.
      if (entry && (entry.token !== token || entry.done)) return
      const time = now()
      put(key, { done: true, expires: time + ttlMs, token }, time)
    },
    release(key, token) {
      const entry = entries.get(key)
      if (entry && entry.token === token && !entry.done) entries.delete(key)
    },
    observe(listener) {
      listeners.push(listener)
    },
  }
}
