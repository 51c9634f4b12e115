import { REDIS_URL, requireService } from '@hookguard/testkit'
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  adminClient,
  deleteKeys,
  deliver,
  type Instance,
  listKeys,
  mapLimit,
  type Response,
  runsFile,
  startInstance,
  uniquePrefix,
} from './helpers'

const available = await requireService('Redis', REDIS_URL)
const IDS = 2_000
const COPIES = 3
const CONCURRENT_IDS = 16 // × 3 copies ≈ 50 requests in flight

describe.skipIf(!available)('four receiver processes sharing one Redis', () => {
  const prefix = uniquePrefix('multi')
  const runs = runsFile()
  let admin: Redis
  let instances: Instance[] = []

  beforeAll(async () => {
    admin = adminClient()
    // Two processes on each client: they share keys, so the two clients must agree on the format.
    instances = await Promise.all(
      (['ioredis', 'node-redis', 'ioredis', 'node-redis'] as const).map((client) => startInstance({ client, prefix, runsFile: runs.path })),
    )
  })
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()))
    await deleteKeys(admin, prefix)
    await admin.quit()
    runs.remove()
  })

  it(`runs each of ${IDS} deliveries exactly once when every id arrives ${COPIES}× at different instances at once`, async () => {
    const ids = Array.from({ length: IDS }, (_, i) => `msg_multi_${i}`)
    const responses = await mapLimit(ids, CONCURRENT_IDS, (id) => {
      const first = Number(id.slice(10)) % instances.length
      return Promise.all(
        Array.from({ length: COPIES }, (_, copy) =>
          deliver((instances[(first + copy) % instances.length] as Instance).url, id, { sleepMs: 2 }),
        ),
      )
    })

    // The semantics table: the one claimer runs the handler (200 with its reply); a copy that
    // arrives while it runs is 409 in_flight with Retry-After; one that arrives after is an
    // acknowledged duplicate (200 { duplicate: true }). Nothing else.
    const kinds = { handled: 0, in_flight: 0, duplicate: 0 }
    const retry: string[] = []
    responses.forEach((copies, i) => {
      const handled = copies.filter((r) => r.status === 200 && typeof r.body?.handledBy === 'number')
      expect(handled, `id ${ids[i]}`).toHaveLength(1)
      for (const r of copies) {
        if (r.status === 200 && r.body?.handledBy) kinds.handled++
        else if (r.status === 409 && r.body?.error?.code === 'in_flight' && Number(r.retryAfter) > 0) {
          kinds.in_flight++
          retry.push(ids[i] as string)
        } else if (r.status === 200 && r.body?.duplicate === true) kinds.duplicate++
        else expect.unreachable(`id ${ids[i]}: unexpected response ${JSON.stringify(r)}`)
      }
    })
    expect(kinds.handled).toBe(IDS)
    expect(kinds.in_flight + kinds.duplicate).toBe(IDS * (COPIES - 1))
    console.info(`[hookguard/redis] ${IDS * COPIES} requests over 4 processes:`, kinds)

    // Each handler run appended one line: exactly one per id, across all four processes.
    const counts = runs.runs()
    expect(counts.size).toBe(IDS)
    expect([...counts.values()].every((n) => n === 1)).toBe(true)

    // The provider retries the 409s later: each is now an acknowledged duplicate, and nothing runs twice.
    const retried: Response[] = await mapLimit(retry, 48, (id) => deliver((instances[0] as Instance).url, id))
    expect(retried.every((r) => r.status === 200 && r.body?.duplicate === true)).toBe(true)
    expect(runs.runs().size).toBe(IDS)
    expect([...runs.runs().values()].every((n) => n === 1)).toBe(true)

    // Every key carries a TTL: Redis never grows without bound.
    const keys = await listKeys(admin, prefix)
    expect(keys).toHaveLength(IDS)
    const ttls = await Promise.all(keys.slice(0, 200).map((key) => admin.pttl(key)))
    expect(ttls.every((ttl) => ttl > 0)).toBe(true)
  }, 120_000) // ~10 s alone; more on a busy 2-core CI machine
})
