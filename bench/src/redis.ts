// 5. The Redis replay store: one delivery's claim + complete vs one bare `SET key 1 NX PX` on the
// same ioredis connection, awaited one at a time (the round trip is the cost), plus the same with
// 32 deliveries in flight (ioredis pipelines them on the one connection).
import { randomUUID } from 'node:crypto'
import type { ReplayStore } from '@hookguard/core'
import { type Candidate, compare } from './harness'
import type { BenchContext, ComparisonGroup, SectionResult } from './types'

export const BARE_SET = 'bare SET NX PX (ioredis)'
export const CLAIM_COMPLETE = 'redisStore claim + complete'
const LEASE_MS = 60_000
const TTL_MS = 660_000

export async function run(ctx: BenchContext): Promise<SectionResult> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
  let redisStore: (options: { client: unknown; prefix?: string }) => ReplayStore
  try {
    ;({ redisStore } = (await import('@hookguard/redis')) as never)
  } catch (error) {
    return { section: 'redis', notes: [`skipped — @hookguard/redis is not importable (${(error as Error).message.split('\n')[0]})`] }
  }
  const { Redis } = await import('ioredis')
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000, enableOfflineQueue: false })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.ping()
  } catch (error) {
    client.disconnect()
    return { section: 'redis', notes: [`skipped — no Redis answers at ${url} (${(error as Error).message})`] }
  }
  const prefix = `hookguard-bench:${process.pid}:${Date.now()}:`
  const store = redisStore({ client, prefix })
  let n = 0
  const nextKey = () => `standard-webhooks:msg_${(++n).toString(36)}`
  const claimComplete = async (key: string) => {
    const token = randomUUID()
    if ((await store.claim(key, LEASE_MS, token)) !== 'claimed') throw new Error('claim did not succeed')
    await store.complete(key, TTL_MS, token)
  }
  const bareSet = async (key: string) => {
    if ((await client.set(`${prefix}bare:${key}`, '1', 'PX', LEASE_MS, 'NX')) !== 'OK') throw new Error('SET NX did not succeed')
  }
  const inFlight = 32
  const batch = (fn: (key: string) => Promise<void>) => async () => {
    const all: Promise<void>[] = []
    for (let i = 0; i < inFlight; i++) all.push(fn(nextKey()))
    await Promise.all(all)
  }
  const groups: ComparisonGroup[] = []
  try {
    const serial: Candidate[] = [
      { name: BARE_SET, kind: 'limit', arg: nextKey, fn: bareSet },
      { name: CLAIM_COMPLETE, kind: 'hookguard', arg: nextKey, fn: claimComplete },
    ]
    groups.push({
      title: 'redis one at a time',
      baselines: { [CLAIM_COMPLETE]: BARE_SET },
      results: await compare(serial, ctx, { [CLAIM_COMPLETE]: BARE_SET }),
    })
    const concurrent: Candidate[] = [
      { name: `${BARE_SET} ×${inFlight} in flight`, kind: 'limit', fn: batch(bareSet) },
      { name: `${CLAIM_COMPLETE} ×${inFlight} in flight`, kind: 'hookguard', fn: batch(claimComplete) },
    ]
    groups.push({
      title: `redis ${inFlight} in flight`,
      baselines: { [`${CLAIM_COMPLETE} ×${inFlight} in flight`]: `${BARE_SET} ×${inFlight} in flight` },
      results: await compare(concurrent, ctx, { [`${CLAIM_COMPLETE} ×${inFlight} in flight`]: `${BARE_SET} ×${inFlight} in flight` }),
    })
  } finally {
    await deleteByPrefix(client, prefix)
    client.disconnect()
  }
  return { section: 'redis', groups }
}

async function deleteByPrefix(client: import('ioredis').Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
    cursor = next
    if (keys.length) await client.unlink(...keys)
  } while (cursor !== '0')
}
