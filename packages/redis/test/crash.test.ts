import { REDIS_URL, requireService } from '@hookguard/testkit'
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminClient, deleteKeys, deliver, type Instance, runsFile, sleep, startInstance, uniquePrefix } from './helpers'

const available = await requireService('Redis', REDIS_URL)
const LEASE_MS = 500
const HELD = 10

describe.skipIf(!available)('an instance killed while its handlers hold claims', () => {
  const prefix = uniquePrefix('crash')
  const runs = runsFile()
  let admin: Redis
  let doomed: Instance
  let survivors: Instance[] = []

  beforeAll(async () => {
    admin = adminClient()
    ;[doomed, ...survivors] = (await Promise.all([
      startInstance({ client: 'ioredis', prefix, runsFile: runs.path, leaseMs: LEASE_MS }),
      startInstance({ client: 'node-redis', prefix, runsFile: runs.path, leaseMs: LEASE_MS }),
      startInstance({ client: 'ioredis', prefix, runsFile: runs.path, leaseMs: LEASE_MS }),
    ])) as [Instance, ...Instance[]]
  })
  afterAll(async () => {
    await Promise.all([doomed, ...survivors].map((instance) => instance?.stop()))
    await deleteKeys(admin, prefix)
    await admin.quit()
    runs.remove()
  })

  it('lets the retries of its deliveries run exactly once elsewhere after the lease expires', async () => {
    const ids = Array.from({ length: HELD }, (_, i) => `msg_crash_${i}`)
    const [a, b] = survivors as [Instance, Instance]
    // The doomed process claims each id and blocks in the handler; its connections die with it.
    const sentAt = Date.now()
    const lost = ids.map((id) => deliver(doomed.url, id, { block: true }))
    while (doomed.blocking.length < HELD) await sleep(10)
    await doomed.stop() // SIGKILL: no release, no cleanup, the claims stay in Redis

    expect((await Promise.all(lost)).every((r) => r.status === 0)).toBe(true)
    expect(runs.runs('started').size).toBe(HELD)

    // Retried while the dead owner's lease still holds: in flight, nothing runs.
    const early = await Promise.all(ids.map((id) => deliver(a.url, id)))
    if (Date.now() - sentAt < LEASE_MS) {
      expect(early.every((r) => r.status === 409 && r.body.error.code === 'in_flight')).toBe(true)
      expect(runs.runs().size).toBe(0)
    } else {
      console.warn('[hookguard/redis] crash test: the machine was too slow to retry within the lease; the in-flight check was skipped')
    }

    // After the lease: the provider's retries land on two instances at once; each id runs once.
    await sleep(LEASE_MS + 100)
    const retries = await Promise.all(ids.flatMap((id) => [deliver(a.url, id, { sleepMs: 20 }), deliver(b.url, id, { sleepMs: 20 })]))
    expect(retries.every((r) => r.status === 200 || (r.status === 409 && r.body.error.code === 'in_flight'))).toBe(true)
    const counts = runs.runs()
    expect([...ids].map((id) => counts.get(id))).toEqual(ids.map(() => 1))

    // And later retries are duplicates: still exactly once.
    const late = await Promise.all(ids.map((id) => deliver(b.url, id)))
    expect(late.every((r) => r.status === 200 && r.body.duplicate === true)).toBe(true)
    expect([...ids].map((id) => runs.runs().get(id))).toEqual(ids.map(() => 1))
  })
})
