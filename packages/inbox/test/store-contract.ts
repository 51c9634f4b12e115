import type { InboxStore, NewDelivery } from '@hookguard/inbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

export interface InboxStoreContractOptions {
  /** A fresh, migrated, empty store and its cleanup (drop the table or file). */
  create: () => Promise<{ store: InboxStore; destroy: () => Promise<void> }>
  /** A second handle on the same data (another pool or connection), to race two claimers. */
  reopen: () => Promise<InboxStore>
  skip?: boolean
}

let counter = 0
export function newDelivery(overrides: Partial<NewDelivery> = {}): NewDelivery {
  const n = counter++
  return {
    id: `test:evt_${process.pid}_${n}`,
    scheme: 'test',
    type: 'invoice.paid',
    eventId: `evt_${process.pid}_${n}`,
    timestamp: 1_700_000_000 + n,
    headers: { 'content-type': 'application/json', 'webhook-id': `evt_${n}` },
    body: new TextEncoder().encode(JSON.stringify({ n, text: 'héllo' })),
    receivedAt: 1_000 + n,
    ...overrides,
  }
}

/**
 * The contract every InboxStore passes (SQLite and PostgreSQL): de-duplication on the id, claims
 * that never overlap, leases that lapse, token-checked settling, retry scheduling, dead letters,
 * stats, list, retry and purge. Times are explicit numbers, so nothing here sleeps.
 */
export function describeInboxStoreContract(name: string, options: InboxStoreContractOptions): void {
  describe.skipIf(options.skip === true)(`InboxStore contract: ${name}`, () => {
    let store: InboxStore
    let destroy: () => Promise<void>
    const T = 1_000_000

    beforeAll(async () => {
      ;({ store, destroy } = await options.create())
    })
    afterAll(async () => {
      await destroy?.()
    })

    const reset = async () => {
      // Each test works on its own rows: finish everything left over, then purge it.
      for (;;) {
        const left = await store.claim(500, 1, 0 + 10 * T)
        if (left.length === 0) break
        for (const d of left) await store.complete(d.id, d.token, 10 * T)
      }
      await store.retry({ dead: true }, 10 * T)
      for (const d of await store.claim(500, 1, 10 * T)) await store.complete(d.id, d.token, 10 * T)
      await store.purge(Number.MAX_SAFE_INTEGER)
    }

    it('migrate() is idempotent', async () => {
      await store.migrate()
      await store.migrate()
      expect(await store.stats(T)).toEqual({ pending: 0, running: 0, failed: 0, dead: 0, done: 0, oldestAgeMs: 0 })
    })

    it('stores a delivery once: the id is the de-duplication, and every field round-trips', async () => {
      await reset()
      const d = newDelivery({ timestamp: undefined, eventId: undefined })
      expect(await store.enqueue(d, T)).toBe('enqueued')
      expect(await store.enqueue({ ...d, body: new Uint8Array([1]) }, T + 1)).toBe('duplicate')
      const stored = await store.get(d.id)
      expect(stored).toMatchObject({
        id: d.id,
        scheme: 'test',
        type: 'invoice.paid',
        eventId: undefined,
        timestamp: undefined,
        headers: d.headers,
        receivedAt: d.receivedAt,
        status: 'pending',
        attempts: 0,
        dueAt: T,
        lastError: undefined,
      })
      expect(stored?.body).toBeInstanceOf(Uint8Array)
      expect(Array.from(stored?.body ?? [])).toEqual(Array.from(d.body))
      expect(await store.get('test:missing')).toBeUndefined()
    })

    it('keeps arbitrary bytes exactly (the verified body is the record)', async () => {
      await reset()
      const bytes = Uint8Array.from({ length: 256 }, (_, i) => i)
      const d = newDelivery({ body: bytes })
      await store.enqueue(d, T)
      expect(Array.from((await store.get(d.id))?.body ?? [])).toEqual(Array.from(bytes))
    })

    it('claims due deliveries oldest first, counts an attempt, leases them, and skips what is not due', async () => {
      await reset()
      const a = newDelivery({ receivedAt: 1 })
      const b = newDelivery({ receivedAt: 2 })
      const later = newDelivery({ receivedAt: 3 })
      await store.enqueue(a, T)
      await store.enqueue(b, T)
      await store.enqueue(later, T + 5_000)
      const claimed = await store.claim(10, 30_000, T + 1)
      expect(claimed.map((d) => d.id)).toEqual([a.id, b.id])
      expect(claimed.every((d) => d.status === 'running' && d.attempts === 1 && d.dueAt === T + 1 + 30_000)).toBe(true)
      expect(typeof claimed[0]?.token).toBe('string')
      expect(await store.claim(10, 30_000, T + 2)).toEqual([])
      expect((await store.claim(10, 30_000, T + 5_000)).map((d) => d.id)).toEqual([later.id])
    })

    it('respects the claim limit', async () => {
      await reset()
      for (let i = 0; i < 5; i++) await store.enqueue(newDelivery(), T)
      expect(await store.claim(2, 1000, T)).toHaveLength(2)
      expect(await store.claim(10, 1000, T)).toHaveLength(3)
      expect(await store.claim(10, 1000, T)).toHaveLength(0)
    })

    it('never hands one delivery to two concurrent claimers (two connections racing)', async () => {
      await reset()
      const other = await options.reopen()
      try {
        const ids = new Set<string>()
        for (let i = 0; i < 60; i++) {
          const d = newDelivery()
          ids.add(d.id)
          await store.enqueue(d, T)
        }
        const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? store : other).claim(7, 30_000, T + 1)))
        const got = claims.flat().map((d) => d.id)
        expect(new Set(got).size).toBe(got.length)
        // Whatever the race left is still claimable: nothing is lost either.
        const rest = await store.claim(100, 30_000, T + 1)
        expect(new Set([...got, ...rest.map((d) => d.id)])).toEqual(ids)
      } finally {
        await other.close()
      }
    })

    it('gives a lapsed lease to the next claimer, and the old token can no longer settle it', async () => {
      await reset()
      const d = newDelivery()
      await store.enqueue(d, T)
      const [first] = await store.claim(1, 1_000, T)
      expect(await store.claim(1, 1_000, T + 999)).toEqual([])
      const [second] = await store.claim(1, 1_000, T + 1_000)
      expect(second?.id).toBe(d.id)
      expect(second?.attempts).toBe(2)
      expect(second?.token).not.toBe(first?.token)
      expect(await store.complete(d.id, first?.token as string, T + 1_001)).toBe(false)
      expect(await store.fail(d.id, first?.token as string, 'late', T, T + 1_001)).toBe(false)
      expect(await store.release(d.id, first?.token as string, T + 1_001)).toBe(false)
      expect(await store.extend(d.id, first?.token as string, T + 9_000, T + 1_001)).toBe(false)
      expect((await store.get(d.id))?.status).toBe('running')
      expect(await store.complete(d.id, second?.token as string, T + 1_002)).toBe(true)
      expect((await store.get(d.id))?.status).toBe('done')
      expect(await store.complete(d.id, second?.token as string, T + 1_003)).toBe(false)
    })

    it('extends a held lease (heartbeat), so the delivery is not taken over', async () => {
      await reset()
      const d = newDelivery()
      await store.enqueue(d, T)
      const [held] = await store.claim(1, 1_000, T)
      expect(await store.extend(d.id, held?.token as string, T + 5_000, T + 900)).toBe(true)
      expect(await store.claim(1, 1_000, T + 2_000)).toEqual([])
      expect(await store.claim(1, 1_000, T + 5_000)).toHaveLength(1)
    })

    it('schedules a failure for retry with its error, then dead-letters when no retry is given', async () => {
      await reset()
      const d = newDelivery()
      await store.enqueue(d, T)
      const [one] = await store.claim(1, 1_000, T)
      expect(await store.fail(d.id, one?.token as string, 'Error: db down', T + 4_000, T + 10)).toBe(true)
      expect(await store.get(d.id)).toMatchObject({ status: 'pending', attempts: 1, dueAt: T + 4_000, lastError: 'Error: db down' })
      expect(await store.stats(T + 10)).toMatchObject({ pending: 0, failed: 1, running: 0, dead: 0 })
      expect(await store.claim(1, 1_000, T + 3_999)).toEqual([])
      const [two] = await store.claim(1, 1_000, T + 4_000)
      expect(two?.attempts).toBe(2)
      expect(two?.lastError).toBe('Error: db down')
      expect(await store.fail(d.id, two?.token as string, 'Error: still down', undefined, T + 4_010)).toBe(true)
      expect(await store.get(d.id)).toMatchObject({ status: 'dead', attempts: 2, lastError: 'Error: still down' })
      expect(await store.claim(1, 1_000, T + 99_999_999)).toEqual([])
      expect((await store.list({ status: 'dead' })).map((x) => x.id)).toEqual([d.id])
    })

    it('release() hands a delivery back due now without counting the attempt', async () => {
      await reset()
      const d = newDelivery()
      await store.enqueue(d, T)
      const [held] = await store.claim(1, 60_000, T)
      expect(await store.release(d.id, held?.token as string, T + 5)).toBe(true)
      expect(await store.get(d.id)).toMatchObject({ status: 'pending', attempts: 0, dueAt: T + 5 })
      expect(await store.claim(1, 60_000, T + 5)).toHaveLength(1)
    })

    it('retry() re-queues one dead delivery or all of them with a fresh budget, and never a done one', async () => {
      await reset()
      const deads = [newDelivery(), newDelivery(), newDelivery()]
      const done = newDelivery()
      for (const d of [...deads, done]) await store.enqueue(d, T)
      for (const c of await store.claim(10, 1_000, T)) {
        if (c.id === done.id) await store.complete(c.id, c.token, T + 1)
        else await store.fail(c.id, c.token, 'poison', undefined, T + 1)
      }
      expect((await store.stats(T + 2)).dead).toBe(3)
      expect(await store.retry({ id: done.id }, T + 2)).toBe(0)
      expect(await store.retry({ id: 'test:missing' }, T + 2)).toBe(0)
      expect(await store.retry({ id: deads[0]?.id as string }, T + 2)).toBe(1)
      expect(await store.get(deads[0]?.id as string)).toMatchObject({ status: 'pending', attempts: 0, dueAt: T + 2, lastError: 'poison' })
      expect(await store.retry({ dead: true }, T + 3)).toBe(2)
      expect(await store.stats(T + 3)).toMatchObject({ pending: 3, dead: 0, done: 1 })
      expect(await store.claim(10, 1_000, T + 3)).toHaveLength(3)
    })

    it('reports stats per state and the age of the oldest unfinished delivery', async () => {
      await reset()
      const [a, b, c, d, e] = Array.from({ length: 5 }, (_, i) => newDelivery({ receivedAt: T + i * 100 }))
      for (const x of [a, b, c, d, e]) await store.enqueue(x as NewDelivery, T)
      const claimed = await store.claim(3, 1_000, T)
      // a → done, b → failed (retry later), c → dead, d and e pending
      const by = (id: string | undefined) => claimed.find((x) => x.id === id) as (typeof claimed)[number]
      await store.complete(a?.id as string, by(a?.id).token, T)
      await store.fail(b?.id as string, by(b?.id).token, 'x', T + 9_000, T)
      await store.fail(c?.id as string, by(c?.id).token, 'x', undefined, T)
      const [running] = await store.claim(1, 1_000, T)
      expect(running?.id).toBe(d?.id)
      expect(await store.stats(T + 1_000)).toEqual({ pending: 1, running: 1, failed: 1, dead: 1, done: 1, oldestAgeMs: 900 })
    })

    it('lists newest first, filters by state, and limits', async () => {
      await reset()
      const xs = Array.from({ length: 4 }, (_, i) => newDelivery({ receivedAt: T + i }))
      for (const x of xs) await store.enqueue(x, T)
      const [claimed] = await store.claim(1, 1_000, T)
      await store.fail(claimed?.id as string, claimed?.token as string, 'x', T + 50, T)
      expect((await store.list()).map((x) => x.id)).toEqual(xs.map((x) => x.id).reverse())
      expect((await store.list({ limit: 2 })).map((x) => x.id)).toEqual([xs[3]?.id, xs[2]?.id])
      expect((await store.list({ status: 'failed' })).map((x) => x.id)).toEqual([xs[0]?.id])
      expect((await store.list({ status: 'pending' })).map((x) => x.id)).toHaveLength(4)
      expect(await store.list({ status: 'dead' })).toEqual([])
    })

    it('purges only finished deliveries older than the cut-off', async () => {
      await reset()
      const [old, recent, waiting] = [newDelivery(), newDelivery(), newDelivery()]
      for (const x of [old, recent]) await store.enqueue(x, T)
      const claimed = await store.claim(2, 1_000, T)
      await store.complete(old.id, claimed.find((x) => x.id === old.id)?.token as string, T + 10)
      await store.fail(recent.id, claimed.find((x) => x.id === recent.id)?.token as string, 'x', undefined, T + 500)
      await store.enqueue(waiting, T)
      expect(await store.purge(T + 100)).toBe(1)
      expect(await store.get(old.id)).toBeUndefined()
      expect(await store.get(recent.id)).toBeDefined()
      expect(await store.purge(Number.MAX_SAFE_INTEGER)).toBe(1)
      expect((await store.get(waiting.id))?.status).toBe('pending')
      // A purged id is forgotten: the same delivery could be stored again.
      expect(await store.enqueue(old, T + 20)).toBe('enqueued')
    })
  })
}
