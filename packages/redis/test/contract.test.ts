import { type RedisStoreClient, redisStore } from '@hookguard/redis'
import { describeReplayStoreContract, REDIS_URL, requireService } from '@hookguard/testkit'
import { Redis } from 'ioredis'
import { Redis as Redis5 } from 'ioredis5'
import { createClient } from 'redis'
import { createClient as createClient4 } from 'redis4'
import { createClient as createClient5 } from 'redis5'
import { afterAll } from 'vitest'
import { adminClient, deleteKeys, uniquePrefix } from './helpers'

const available = await requireService('Redis', REDIS_URL)
const prefix = uniquePrefix('contract')

afterAll(async () => {
  if (!available) return
  const admin = adminClient()
  await deleteKeys(admin, prefix)
  await admin.quit()
})

// Every client major the peer range names, each held to the one contract every ReplayStore passes.
const clients: Record<string, () => Promise<{ client: RedisStoreClient; close: () => Promise<unknown> }>> = {
  'ioredis 6': async () => {
    const client = new Redis(REDIS_URL)
    return { client, close: () => client.quit() }
  },
  'ioredis 5': async () => {
    const client = new Redis5(REDIS_URL)
    return { client, close: () => client.quit() }
  },
  'node-redis 6': async () => {
    const client = await createClient({ url: REDIS_URL }).connect()
    return { client, close: () => client.close() }
  },
  'node-redis 5': async () => {
    const client = await createClient5({ url: REDIS_URL }).connect()
    return { client, close: () => client.close() }
  },
  'node-redis 4': async () => {
    const client = createClient4({ url: REDIS_URL })
    await client.connect()
    return { client, close: () => client.quit() }
  },
  'a custom { send } over ioredis 6': async () => {
    const io = new Redis(REDIS_URL)
    const client = { send: (args: string[]) => io.call(args[0] as string, ...args.slice(1)) }
    return { client, close: () => io.quit() }
  },
}

for (const [name, connect] of Object.entries(clients)) {
  describeReplayStoreContract(`redisStore (${name})`, {
    skip: !available,
    create: async () => {
      const { client, close } = await connect()
      return { store: redisStore({ client, prefix }), close: async () => void (await close()) }
    },
  })
}
