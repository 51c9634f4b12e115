import { createServer, type Server, type Socket } from 'node:net'
import { type RedisCommandSender, type RedisStoreClient, redisStore } from '@hookguard/redis'
import { REDIS_URL, requireService } from '@hookguard/testkit'
import { Redis } from 'ioredis'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminClient, deleteKeys, sleep, uniquePrefix } from './helpers'

const available = await requireService('Redis', REDIS_URL)
const prefix = uniquePrefix('store')
let admin: Redis
let io: Redis
let counter = 0
const key = (label: string) => `standard-webhooks:${label}-${counter++}`

beforeAll(() => {
  if (!available) return
  admin = adminClient()
  io = new Redis(REDIS_URL)
})
afterAll(async () => {
  if (!available) return
  await deleteKeys(admin, prefix)
  await Promise.all([admin.quit(), io.quit()])
})

describe.skipIf(!available)('redisStore on a real Redis', () => {
  it('keeps one namespaced, hash-tagged key per delivery, always with a TTL', async () => {
    const store = redisStore({ client: io, prefix })
    const k = key('layout')
    const redisKey = `${prefix}{${k}}`
    expect(await store.claim(k, 5_000.4, 'tok-1')).toBe('claimed')
    expect(await admin.get(redisKey)).toBe('inflight:tok-1')
    const leasePttl = await admin.pttl(redisKey)
    expect(leasePttl).toBeGreaterThan(0)
    expect(leasePttl).toBeLessThanOrEqual(5_001)

    await store.complete(k, 600_000, 'tok-1')
    expect(await admin.get(redisKey)).toBe('done')
    const donePttl = await admin.pttl(redisKey)
    expect(donePttl).toBeGreaterThan(5_001)
    expect(donePttl).toBeLessThanOrEqual(600_000)

    const released = key('released')
    await store.claim(released, 5_000, 'tok-2')
    await store.release(released, 'tok-2')
    expect(await admin.exists(`${prefix}{${released}}`)).toBe(0)
  })

  it('records a completion when the lapsed claim was never taken over (the handler did succeed)', async () => {
    const store = redisStore({ client: io, prefix })
    const k = key('lapsed')
    expect(await store.claim(k, 30, 'slow')).toBe('claimed')
    await sleep(80)
    await store.complete(k, 60_000, 'slow')
    expect(await store.claim(k, 60_000, 'retry')).toBe('duplicate')
  })

  it('measures the memory one delivery takes in Redis (README: "Memory per delivery")', async () => {
    const store = redisStore({ client: io })
    // Ids shaped like real ones (Svix/Standard Webhooks `msg_` + 27, Stripe `evt_` + 24) under the default prefix.
    const random = (n: number) =>
      Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 36)]).join('')
    for (const k of [`standard-webhooks:msg_${random(27)}`, `stripe:evt_${random(24)}`]) {
      const redisKey = `hookguard:{${k}}`
      try {
        const token = globalThis.crypto.randomUUID()
        await store.claim(k, 60_000, token)
        const inflightBytes = Number(await admin.call('MEMORY', 'USAGE', redisKey, 'SAMPLES', '0'))
        await store.complete(k, 86_400_000, token)
        const doneBytes = Number(await admin.call('MEMORY', 'USAGE', redisKey, 'SAMPLES', '0'))
        console.info(
          `[hookguard/redis] MEMORY USAGE ${redisKey} (${redisKey.length} chars): in flight ${inflightBytes} B, completed ${doneBytes} B`,
        )
        expect(doneBytes).toBeGreaterThan(0)
        expect(doneBytes).toBeLessThan(200)
        expect(inflightBytes).toBeLessThan(250)
      } finally {
        await admin.del(redisKey)
      }
    }
  })

  it('falls back to EVAL when the server does not know the script (NOSCRIPT), then keeps working', async () => {
    const sent: string[] = []
    let evalshas = 0
    // The real server answers NOSCRIPT for a SHA it has never seen: point the first EVALSHA at one.
    const client: RedisCommandSender = {
      send: (args) => {
        sent.push(args[0] as string)
        if (args[0] === 'EVALSHA' && evalshas++ === 0) args = ['EVALSHA', '0'.repeat(40), ...args.slice(2)]
        return io.call(args[0] as string, ...args.slice(1))
      },
    }
    const store = redisStore({ client, prefix })
    const k = key('noscript')
    expect(await store.claim(k, 5_000, 'a')).toBe('claimed')
    expect(await store.claim(k, 5_000, 'b')).toBe('in_flight')
    expect(sent).toEqual(['EVALSHA', 'EVAL', 'EVALSHA'])
  })

  it('throws (so the handler answers 503) when Redis answers with an error', async () => {
    const store = redisStore({ client: io, prefix })
    const k = key('wrongtype')
    await admin.hset(`${prefix}{${k}}`, 'f', 'v')
    await admin.pexpire(`${prefix}{${k}}`, 60_000)
    await expect(store.claim(k, 5_000, 'a')).rejects.toThrow(/@hookguard\/redis: claim failed: WRONGTYPE/)
  })

  it('throws on a reply that is not one of the three outcomes', async () => {
    const store = redisStore({ client: { send: async () => 'OK' }, prefix })
    await expect(store.claim(key('odd'), 5_000, 'a')).rejects.toThrow(/unexpected reply to claim: OK/)
  })

  describe('a Redis that does not answer', () => {
    let blackHole: Server
    const sockets: Socket[] = []
    let url = ''
    beforeAll(async () => {
      // Accepts connections and never replies: what a hung server or a dead network path looks like.
      blackHole = createServer((socket) => void sockets.push(socket))
      await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve))
      url = `redis://127.0.0.1:${(blackHole.address() as { port: number }).port}`
    })
    afterAll(async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => blackHole.close(resolve))
    })

    it('ioredis: every operation throws after commandTimeoutMs instead of hanging', async () => {
      const hung = new Redis(url, { maxRetriesPerRequest: null })
      hung.on('error', () => {})
      const store = redisStore({ client: hung, prefix, commandTimeoutMs: 100 })
      await expect(store.claim('k', 5_000, 'a')).rejects.toThrow('@hookguard/redis: Redis did not answer claim within 100 ms')
      await expect(store.complete('k', 5_000, 'a')).rejects.toThrow('did not answer complete within 100 ms')
      await expect(store.release('k', 'a')).rejects.toThrow('did not answer release within 100 ms')
      hung.disconnect()
    })

    it('node-redis: every operation throws after commandTimeoutMs instead of hanging', async () => {
      const hung = createClient({ url, socket: { reconnectStrategy: false } })
      hung.on('error', () => {})
      void hung.connect().catch(() => {})
      const store = redisStore({ client: hung, prefix, commandTimeoutMs: 100 })
      await expect(store.claim('k', 5_000, 'a')).rejects.toThrow('did not answer claim within 100 ms')
      await expect(store.complete('k', 5_000, 'a')).rejects.toThrow('did not answer complete within 100 ms')
      hung.destroy()
    })
  })

  it('throws when nothing listens at the address (connection refused)', async () => {
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const port = (probe.address() as { port: number }).port
    await new Promise((resolve) => probe.close(resolve))
    const refused = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 0 })
    refused.on('error', () => {})
    const store = redisStore({ client: refused, prefix, commandTimeoutMs: 1_000 })
    await expect(store.claim('k', 5_000, 'a')).rejects.toThrow(/@hookguard\/redis: /)
    refused.disconnect()
  })

  // CLIENT PAUSE … WRITE holds every script (they write) on the shared server for a moment, as a
  // stalled primary would; reads by other users of the server go on.
  const lateClients: Array<[string, () => Promise<{ client: RedisStoreClient; close: () => Promise<unknown> }>]> = [
    [
      'ioredis',
      async () => {
        const client = new Redis(REDIS_URL)
        return { client, close: () => client.quit() }
      },
    ],
    [
      'node-redis',
      async () => {
        const client = await createClient({ url: REDIS_URL }).connect()
        return { client, close: () => client.close() }
      },
    ],
  ]
  for (const [name, connect] of lateClients) {
    it(`${name}: a claim that times out but lands later is given back, so the retry is not blocked for a lease`, async () => {
      const { client, close } = await connect()
      const store = redisStore({ client, prefix, commandTimeoutMs: 100 })
      const k = key(`late-${name}`)
      await admin.call('CLIENT', 'PAUSE', '400', 'WRITE')
      await expect(store.claim(k, 60_000, 'abandoned')).rejects.toThrow('did not answer claim within 100 ms')
      await sleep(700) // the pause ends; the queued claim runs, then its release
      expect(await admin.exists(`${prefix}{${k}}`)).toBe(0)
      expect(await store.claim(k, 60_000, 'retry')).toBe('claimed')
      await close()
    })
  }
})

describe('redisStore options', () => {
  const client = { send: async () => 1 }
  it('refuses what is not a Redis client', () => {
    expect(() => redisStore({ client: {} as never })).toThrow(TypeError)
    expect(() => redisStore({ client: null as never })).toThrow(/must be a connected ioredis or node-redis client/)
    expect(() => redisStore(undefined as never)).toThrow(TypeError)
  })
  it('refuses a prefix with braces (it would pin every key to one cluster slot) and a bad timeout', () => {
    expect(() => redisStore({ client, prefix: 'app:{x}:' })).toThrow(/without \{ or \}/)
    expect(() => redisStore({ client, commandTimeoutMs: 0 })).toThrow(/commandTimeoutMs/)
    expect(() => redisStore({ client, commandTimeoutMs: Number.NaN })).toThrow(TypeError)
  })
  it('recognises each client by shape', async () => {
    const calls: unknown[][] = []
    const recorder =
      (name: string, reply: number) =>
      async (...args: unknown[]) => {
        calls.push([name, ...args])
        return reply
      }
    const ioLike = { call: recorder('call', 1) }
    const nodeLike = { sendCommand: recorder('sendCommand', 2) }
    const clusterLike = { sendCommand: recorder('cluster', 3), getSlotMaster: () => undefined }
    expect(await redisStore({ client: ioLike as never }).claim('a', 1, 't')).toBe('claimed')
    expect(await redisStore({ client: nodeLike }).claim('a', 1, 't')).toBe('duplicate')
    expect(await redisStore({ client: clusterLike }).claim('a', 1, 't')).toBe('in_flight')
    expect(calls.map((c) => c[0])).toEqual(['call', 'sendCommand', 'cluster'])
    // The cluster routes by the hash-tagged key.
    expect(calls[2]?.slice(1, 3)).toEqual(['hookguard:{a}', false])
    expect(calls[1]?.[1]).toEqual(expect.arrayContaining(['EVALSHA', '1', 'hookguard:{a}', 'inflight:t', '1']))
  })
})
