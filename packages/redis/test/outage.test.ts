import { REDIS_URL, requireService } from '@hookguard/testkit'
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  adminClient,
  deleteKeys,
  deliver,
  type Instance,
  type Response,
  runsFile,
  sleep,
  startInstance,
  startRedisProxy,
  uniquePrefix,
} from './helpers'

const available = await requireService('Redis', REDIS_URL)
const TIMEOUT_MS = 300
const PER_WINDOW = 20

/** What a provider does: retry every id until it gets a 2xx, spreading retries over the instances. */
async function retryUntilAccepted(instances: Instance[], ids: string[]): Promise<Map<string, Response[]>> {
  const seen = new Map<string, Response[]>(ids.map((id) => [id, []]))
  let pending = [...ids]
  for (let round = 0; pending.length > 0 && round < 60; round++) {
    if (round > 0) await sleep(250)
    const answers = await Promise.all(pending.map((id, i) => deliver((instances[(i + round) % instances.length] as Instance).url, id)))
    answers.forEach((answer, i) => {
      seen.get(pending[i] as string)?.push(answer)
    })
    pending = pending.filter((_, i) => answers[i]?.status !== 200)
  }
  expect(pending, 'ids never accepted').toEqual([])
  return seen
}

describe.skipIf(!available)('Redis outages under running receivers', () => {
  const prefix = uniquePrefix('outage')
  const runs = runsFile()
  let admin: Redis
  let proxy: Awaited<ReturnType<typeof startRedisProxy>>
  let instances: Instance[] = []

  beforeAll(async () => {
    admin = adminClient()
    proxy = await startRedisProxy()
    // Default 60 s lease: a claim stranded by the outage would block its retries for a minute.
    instances = await Promise.all(
      (['ioredis', 'node-redis'] as const).map((client) =>
        startInstance({ client, prefix, runsFile: runs.path, redisUrl: proxy.url, commandTimeoutMs: TIMEOUT_MS }),
      ),
    )
  })
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()))
    await proxy.cut()
    await deleteKeys(admin, prefix)
    await admin.quit()
    runs.remove()
  })

  const windowIds = (label: string) => Array.from({ length: PER_WINDOW }, (_, i) => `msg_${label}_${i}`)
  const sendDuringOutage = (ids: string[]) => Promise.all(ids.map((id, i) => deliver((instances[i % 2] as Instance).url, id)))

  function expectStoreUnavailable(responses: Response[]) {
    for (const r of responses) {
      expect(r.status).toBe(503)
      expect(r.body.error.code).toBe('store_unavailable')
    }
  }

  function expectExactlyOnce(ids: string[], seen: Map<string, Response[]>) {
    const counts = runs.runs()
    expect(ids.map((id) => counts.get(id))).toEqual(ids.map(() => 1))
    for (const [id, answers] of seen) {
      // 503 while Redis is away, 409 while a late claim is handed back, then one 200 that ran it.
      expect(
        answers.every((r) => [200, 409, 503].includes(r.status)),
        id,
      ).toBe(true)
      expect(answers.filter((r) => r.status === 200 && typeof r.body.handledBy === 'number')).toHaveLength(1)
    }
  }

  it('a hung Redis (CLIENT PAUSE): 503 store_unavailable within the timeout, no handler runs, retries run exactly once', async () => {
    const before = windowIds('pause_before')
    expect((await sendDuringOutage(before)).every((r) => r.status === 200)).toBe(true)

    const ids = windowIds('paused')
    // Scripts write, so WRITE mode holds every claim; readers of the shared server are not held.
    await admin.call('CLIENT', 'PAUSE', '1500', 'WRITE')
    expectStoreUnavailable(await sendDuringOutage(ids))
    expect(ids.filter((id) => runs.runs().has(id))).toEqual([])

    await sleep(1500)
    const seen = await retryUntilAccepted(instances, ids)
    expectExactlyOnce([...before, ...ids], seen)
    // Nothing doubled on the next round of retries either.
    expect((await sendDuringOutage(ids)).every((r) => r.status === 200 && r.body.duplicate === true)).toBe(true)
    expectExactlyOnce(ids, seen)
  })

  it('a lost connection (Redis gone, connection refused): 503, no handler runs; once it returns, retries run exactly once', async () => {
    const ids = windowIds('cut')
    await proxy.cut()
    expectStoreUnavailable(await sendDuringOutage(ids))
    expectStoreUnavailable(await sendDuringOutage(ids)) // the provider's early retries fare no better
    expect(ids.filter((id) => runs.runs().has(id))).toEqual([])

    await proxy.restore()
    const seen = await retryUntilAccepted(instances, ids)
    expectExactlyOnce(ids, seen)
    expect((await sendDuringOutage(ids)).every((r) => r.status === 200 && r.body.duplicate === true)).toBe(true)
  })

  it('failOpen: the handler runs anyway while Redis is gone (the documented risk of a double)', async () => {
    const open = await startInstance({
      client: 'ioredis',
      prefix,
      runsFile: runs.path,
      redisUrl: proxy.url,
      commandTimeoutMs: TIMEOUT_MS,
      failOpen: true,
    })
    try {
      await proxy.cut()
      const id = 'msg_fail_open'
      expect((await deliver(open.url, id)).status).toBe(200)
      expect((await deliver(open.url, id)).status).toBe(200)
      expect(runs.runs().get(id)).toBe(2)
    } finally {
      await proxy.restore()
      await open.stop()
    }
  })
})
