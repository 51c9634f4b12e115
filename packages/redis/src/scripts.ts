import { createHash } from 'node:crypto'
import type { RedisCommandSender } from './client'

/** A Lua script and its SHA1, for EVALSHA. */
export interface Script {
  source: string
  sha: string
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') }
}

// Values: `inflight:<token>` while a claim is held, `done` once completed. Every write sets a TTL
// (the lease or the retention), so no key outlives its purpose. A script runs atomically, and
// Redis freezes the clock for its duration, so expiry cannot change between the GET and the SET.

/** ARGV: in-flight value, lease ms. → 1 claimed, 2 duplicate, 3 in flight. */
export const CLAIM: Script = script(`local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if v == 'done' then return 2 end
return 3`)

/**
 * ARGV: the owner's in-flight value, ttl ms. Completes only the caller's own claim, or a key nobody
 * holds any more (the handler did succeed, so remembering it prevents a later double). A key that
 * another token holds is left alone: that is the slow owner whose lease expired.
 */
export const COMPLETE: Script = script(`local v = redis.call('GET', KEYS[1])
if v == false or v == ARGV[1] then
  redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2])
  return 1
end
return 0`)

/** ARGV: the owner's in-flight value. Deletes the key only while that token still holds it. */
export const RELEASE: Script = script(`if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`)

function isNoScript(error: unknown): boolean {
  const message = (error as { message?: unknown } | null)?.message
  return typeof message === 'string' && message.startsWith('NOSCRIPT')
}

/**
 * EVALSHA, and EVAL once when the server does not have the script yet (a restart, a failover, a
 * new cluster node, `SCRIPT FLUSH`); EVAL caches it for the next EVALSHA.
 */
export async function runScript(sender: RedisCommandSender, { sha, source }: Script, key: string, args: string[]): Promise<unknown> {
  try {
    return await sender.send(['EVALSHA', sha, '1', key, ...args], key)
  } catch (error) {
    if (!isNoScript(error)) throw error
    return await sender.send(['EVAL', source, '1', key, ...args], key)
  }
}
