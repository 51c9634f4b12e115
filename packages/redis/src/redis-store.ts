import type { ClaimResult, ReplayStore } from '@hookguard/core'
import { type RedisStoreClient, toCommandSender } from './client'
import { withDeadline } from './deadline'
import { CLAIM, COMPLETE, RELEASE, runScript } from './scripts'

/** Options for {@link redisStore}. */
export interface RedisStoreOptions {
  /**
   * A connected client: ioredis `Redis` / `Cluster`, node-redis `createClient()` / `createCluster()` /
   * `createClientPool()`, or any `{ send(args, key) }`. The store never connects or closes it.
   * @example
   * redisStore({ client: new Redis(process.env.REDIS_URL) })
   */
  client: RedisStoreClient
  /**
   * Put in front of every key, so several apps can share one Redis. No braces: the delivery key is
   * wrapped in a `{hash tag}` and a brace in the prefix would pin every key to one cluster slot.
   * @default 'hookguard:'
   */
  prefix?: string
  /**
   * Longest wait for one store operation. Past it the operation throws, and the handler answers
   * 503 `store_unavailable` (or processes anyway with `failOpen`), so the provider retries later.
   * @default 2000
   */
  commandTimeoutMs?: number
}

const CLAIM_RESULTS: Record<number, ClaimResult> = { 1: 'claimed', 2: 'duplicate', 3: 'in_flight' }
const INFLIGHT = 'inflight:'

// PX takes a whole number of ms ≥ 1; the handler's lease and retention are positive but may be fractional.
const px = (ms: number) => String(Math.max(1, Math.ceil(ms)))

/**
 * A {@link ReplayStore} on Redis, shared by every instance that receives deliveries. Each
 * operation is one atomic Lua script; `complete` and `release` act only while the caller's token
 * holds the key, so a slow instance whose lease expired never settles another instance's claim.
 * Errors and timeouts throw (fail closed).
 * @example
 * const hooks = createWebhookHandler({ scheme: 'stripe', secret, replay: redisStore({ client: redis }) })
 */
export function redisStore(options: RedisStoreOptions): ReplayStore {
  if (!options || typeof options !== 'object') throw new TypeError('@hookguard/redis: redisStore needs an options object with a client')
  const sender = toCommandSender(options.client)
  const prefix = options.prefix ?? 'hookguard:'
  if (typeof prefix !== 'string' || /[{}]/.test(prefix))
    throw new TypeError('@hookguard/redis: prefix must be a string without { or } (the key itself is the cluster hash tag)')
  const timeoutMs = options.commandTimeoutMs ?? 2000
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new TypeError('@hookguard/redis: commandTimeoutMs must be a positive number')

  // One hash tag per delivery: every key the store touches for a delivery lives in one slot.
  const redisKey = (key: string) => `${prefix}{${key}}`

  const release = async (key: string, token: string): Promise<void> => {
    await withDeadline(runScript(sender, RELEASE, redisKey(key), [INFLIGHT + token]), timeoutMs, 'release')
  }

  return {
    async claim(key, leaseMs, token) {
      const work = runScript(sender, CLAIM, redisKey(key), [INFLIGHT + token, px(leaseMs)])
      // A claim that lands after we gave up (and answered 503) would block the provider's retry for
      // a whole lease: give it back as soon as its answer arrives. RELEASE checks the token, so this
      // can only ever drop our own abandoned claim.
      const reply = await withDeadline(work, timeoutMs, 'claim', (late) => {
        if (Number(late) === 1) release(key, token).catch(() => {})
      })
      const result = CLAIM_RESULTS[Number(reply)]
      if (!result) throw new Error(`@hookguard/redis: unexpected reply to claim: ${String(reply)}`)
      return result
    },
    async complete(key, ttlMs, token) {
      await withDeadline(runScript(sender, COMPLETE, redisKey(key), [INFLIGHT + token, px(ttlMs)]), timeoutMs, 'complete')
    },
    release,
  }
}
