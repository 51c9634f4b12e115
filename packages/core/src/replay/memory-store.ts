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
 * alive), bounded memory (about 210 bytes per completed record with its key; measured by
 * `scripts/memory-store-bytes.mjs`). Expired records are swept a few at a time on each claim.
 * Use `@hookguard/redis` when more than one process receives deliveries.
 */
export function memoryStore(options: MemoryStoreOptions = {}): ReplayStore & { readonly size: number } {
  const maxEntries = options.maxEntries ?? 100_000
  if (!Number.isInteger(maxEntries) || maxEntries < 1)
    throw new TypeError('@hookguard/core: memoryStore maxEntries must be a positive integer')
  const now = options.now ?? Date.now
  if (typeof now !== 'function') throw new TypeError('@hookguard/core: memoryStore now must be a function returning milliseconds')
  const entries = new Map<string, Entry>()
  // Keys in claim order (the oldest first), for sweeping and eviction. Deliberately not the Map's
  // own order: walking a Map from its head skips every deleted slot there, so a full store that
  // drops old records and adds new ones paid ~100 µs per claim. Every key in `entries` has an item
  // at or after `head`; an item whose key is gone is skipped when met.
  let queue: string[] = []
  let head = 0
  const listeners: Array<(event: ReplayStoreEvent) => void> = []

  const shift = (): string => {
    const key = queue[head++] as string
    if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head)
      head = 0
    }
    return key
  }

  const track = (key: string) => {
    queue.push(key)
    // Released claims leave items behind a long-lived head: rebuild from the live keys (in their
    // first-claim order) once they outnumber the records, so the queue stays proportional.
    if (queue.length - head > 2 * maxEntries + 1024) {
      queue = Array.from(entries.keys())
      head = 0
    }
  }

  const sweep = (time: number) => {
    for (let budget = 8; budget > 0 && head < queue.length; budget--) {
      const entry = entries.get(queue[head] as string)
      if (entry !== undefined) {
        if (expiryOf(entry) > time) return
        entries.delete(queue[head] as string)
      }
      shift()
    }
  }

  const evict = (time: number) => {
    while (entries.size > maxEntries && head < queue.length) {
      const key = shift()
      const entry = entries.get(key)
      if (entry === undefined) continue
      entries.delete(key)
      const remainingMs = expiryOf(entry) - time
      // Dropping a live record weakens protection: say so instead of doing it silently.
      if (remainingMs > 0 && listeners.length > 0) {
        const event: ReplayStoreEvent = { type: 'replay_window_opened', key, remainingMs, reason: 'max_entries' }
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

  const put = (key: string, entry: Entry, time: number) => {
    const known = entries.has(key)
    entries.set(key, entry)
    if (!known) {
      track(key)
      if (entries.size > maxEntries) evict(time)
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
