import type { ReplayStore } from '@hookguard/core'
import { afterAll, describe, expect, it } from 'vitest'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const SHORT_MS = 150
const PAST_SHORT_MS = 300

export interface ReplayStoreContractOptions {
  /** A fresh store (and its cleanup). Keys are unique per test, so stores may be shared. */
  create: () =>
    | Promise<{ store: ReplayStore; close?: () => Promise<void> | void }>
    | { store: ReplayStore; close?: () => Promise<void> | void }
  /** Skip the whole suite (service unreachable). */
  skip?: boolean
}

let counter = 0
const uniqueKey = (label: string) => `contract:${label}:${process.pid}:${Date.now()}:${counter++}`

/**
 * The one contract every ReplayStore passes: memoryStore, @hookguard/redis (ioredis and node-redis),
 * and the inbox stores. Real clocks, short leases.
 */
export function describeReplayStoreContract(name: string, options: ReplayStoreContractOptions): void {
  describe.skipIf(options.skip === true)(`ReplayStore contract: ${name}`, () => {
    const closers: Array<() => Promise<void> | void> = []
    const make = async () => {
      const made = await options.create()
      if (made.close) closers.push(made.close)
      return made.store
    }
    afterAll(async () => {
      for (const close of closers) await close()
    })

    it('claims a new key once, then reports it in flight', async () => {
      const store = await make()
      const key = uniqueKey('new')
      expect(await store.claim(key, 10_000, 'a')).toBe('claimed')
      expect(await store.claim(key, 10_000, 'b')).toBe('in_flight')
    })

    it('reports a completed key as duplicate, and release does not undo a completion', async () => {
      const store = await make()
      const key = uniqueKey('complete')
      expect(await store.claim(key, 10_000, 'a')).toBe('claimed')
      await store.complete(key, 10_000, 'a')
      expect(await store.claim(key, 10_000, 'b')).toBe('duplicate')
      await store.release(key, 'a')
      expect(await store.claim(key, 10_000, 'c')).toBe('duplicate')
    })

    it('lets the retry claim again after a release (a failure never turns a retry into a replay)', async () => {
      const store = await make()
      const key = uniqueKey('release')
      expect(await store.claim(key, 10_000, 'a')).toBe('claimed')
      await store.release(key, 'a')
      expect(await store.claim(key, 10_000, 'b')).toBe('claimed')
    })

    it('lets a retry take over once a lease expires (the owner died)', async () => {
      const store = await make()
      const key = uniqueKey('lease')
      // Leases long enough that a loaded CI machine does not expire them between two calls.
      expect(await store.claim(key, SHORT_MS, 'a')).toBe('claimed')
      expect(await store.claim(key, SHORT_MS, 'b')).toBe('in_flight')
      await sleep(PAST_SHORT_MS)
      expect(await store.claim(key, 10_000, 'c')).toBe('claimed')
    })

    it('forgets a completed key after its ttl', async () => {
      const store = await make()
      const key = uniqueKey('ttl')
      expect(await store.claim(key, 10_000, 'a')).toBe('claimed')
      await store.complete(key, SHORT_MS, 'a')
      expect(await store.claim(key, 10_000, 'b')).toBe('duplicate')
      await sleep(PAST_SHORT_MS)
      expect(await store.claim(key, 10_000, 'c')).toBe('claimed')
    })

    it('never lets a slow owner whose lease expired complete or release the new owner’s claim', async () => {
      const store = await make()
      const key = uniqueKey('slow-owner')
      expect(await store.claim(key, 60, 'slow')).toBe('claimed')
      await sleep(150)
      expect(await store.claim(key, 10_000, 'new')).toBe('claimed')
      await store.release(key, 'slow')
      expect(await store.claim(key, 10_000, 'third')).toBe('in_flight')
      await store.complete(key, 10_000, 'slow')
      // Still the new owner's in-flight claim: the slow owner's completion was ignored…
      expect(await store.claim(key, 10_000, 'third')).toBe('in_flight')
      // …and the new owner can still release it for a retry.
      await store.release(key, 'new')
      expect(await store.claim(key, 10_000, 'fourth')).toBe('claimed')
      await store.complete(key, 10_000, 'fourth')
      expect(await store.claim(key, 10_000, 'fifth')).toBe('duplicate')
    })

    it('grants exactly one of 200 concurrent claims of one key', async () => {
      const store = await make()
      const key = uniqueKey('race')
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => store.claim(key, 10_000, `t${i}`)))
      expect(results.filter((r) => r === 'claimed')).toHaveLength(1)
      expect(results.filter((r) => r === 'in_flight')).toHaveLength(199)
    })

    it('ignores release and complete from a token that does not hold the key', async () => {
      const store = await make()
      const key = uniqueKey('foreign-token')
      expect(await store.claim(key, 10_000, 'owner')).toBe('claimed')
      await store.release(key, 'stranger')
      expect(await store.claim(key, 10_000, 'retry')).toBe('in_flight')
      await store.complete(key, 10_000, 'stranger')
      expect(await store.claim(key, 10_000, 'retry')).toBe('in_flight')
      await store.release(key, 'owner')
      expect(await store.claim(key, 10_000, 'retry')).toBe('claimed')
    })

    it('treats settling twice, and releasing an unknown key, as harmless', async () => {
      const store = await make()
      const key = uniqueKey('twice')
      await store.release(uniqueKey('never-claimed'), 'nobody')
      expect(await store.claim(key, 10_000, 'a')).toBe('claimed')
      await store.complete(key, 10_000, 'a')
      await store.complete(key, 10_000, 'a')
      await store.release(key, 'a')
      expect(await store.claim(key, 10_000, 'b')).toBe('duplicate')
      const other = uniqueKey('released-twice')
      expect(await store.claim(other, 10_000, 'a')).toBe('claimed')
      await store.release(other, 'a')
      await store.release(other, 'a')
      expect(await store.claim(other, 10_000, 'b')).toBe('claimed')
    })

    it('answers duplicate to every one of 100 concurrent claims of a completed key', async () => {
      const store = await make()
      const key = uniqueKey('completed-race')
      expect(await store.claim(key, 10_000, 'a')).toBe('claimed')
      await store.complete(key, 10_000, 'a')
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => store.claim(key, 10_000, `t${i}`)))
      expect(new Set(results)).toEqual(new Set(['duplicate']))
    })

    it('grants exactly one of 100 concurrent claims once a lease expired', async () => {
      const store = await make()
      const key = uniqueKey('takeover-race')
      expect(await store.claim(key, 60, 'dead')).toBe('claimed')
      await sleep(150)
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => store.claim(key, 10_000, `t${i}`)))
      expect(results.filter((r) => r === 'claimed')).toHaveLength(1)
      expect(results.filter((r) => r === 'in_flight')).toHaveLength(99)
    })

    it('keeps keys independent', async () => {
      const store = await make()
      const a = uniqueKey('a')
      const b = uniqueKey('b')
      expect(await store.claim(a, 10_000, 'x')).toBe('claimed')
      expect(await store.claim(b, 10_000, 'x')).toBe('claimed')
      await store.complete(a, 10_000, 'x')
      expect(await store.claim(b, 10_000, 'y')).toBe('in_flight')
    })
  })
}
