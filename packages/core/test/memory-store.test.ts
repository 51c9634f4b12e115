import { memoryStore, type ReplayStoreEvent } from '@hookguard/core'
import { describeReplayStoreContract } from '@hookguard/testkit'
import { describe, expect, it } from 'vitest'

describeReplayStoreContract('memoryStore', { create: () => ({ store: memoryStore() }) })

describe('memoryStore bounds', () => {
  it('reports a live record dropped for maxEntries as a replay window, and keeps its size bounded', () => {
    const events: ReplayStoreEvent[] = []
    const store = memoryStore({ maxEntries: 3 })
    store.observe?.((e) => events.push(e))
    for (const key of ['a', 'b', 'c', 'd']) store.claim(key, 60_000, key)
    expect(store.size).toBe(3)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ type: 'replay_window_opened', key: 'a', reason: 'max_entries' })
    // 'a' was forgotten: it can be claimed again (which is exactly what the event warns about).
    expect(store.claim('a', 60_000, 'x')).toBe('claimed')
  })

  it('drops expired records silently', () => {
    let time = 0
    const events: ReplayStoreEvent[] = []
    const store = memoryStore({ maxEntries: 2, now: () => time })
    store.observe?.((e) => events.push(e))
    store.claim('a', 10, 'a')
    store.claim('b', 10, 'b')
    time = 100
    store.claim('c', 10, 'c')
    store.claim('d', 10, 'd')
    expect(events).toHaveLength(0)
    expect(store.size).toBeLessThanOrEqual(2)
  })
})
