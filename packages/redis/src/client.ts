/**
 * The one thing the store needs from Redis: send a command, get the reply. Pass an object of this
 * shape as `client` to use a client hookguard does not recognise (or to add tracing, a pool…).
 * `key` is the command's only key, for clients that route by key (cluster).
 * @example
 * redisStore({ client: { send: (args) => myClient.command(args) } })
 */
export interface RedisCommandSender {
  send(args: string[], key: string): Promise<unknown>
}

/** An ioredis `Redis` or `Cluster` (5.x, 6.x): commands go through `call()`. */
export interface IoRedisLike {
  call(command: string, ...args: string[]): Promise<unknown>
}

/** A node-redis client or client pool (`createClient()`, `createClientPool()`; 4.6+, 5.x, 6.x). */
export interface NodeRedisLike {
  sendCommand(args: string[]): Promise<unknown>
}

/** A node-redis cluster (`createCluster()`): raw commands need their routing key. */
export interface NodeRedisClusterLike {
  sendCommand(firstKey: string | undefined, isReadonly: boolean | undefined, args: string[]): Promise<unknown>
  getSlotMaster(slot: number): unknown
}

/** What `redisStore({ client })` accepts: a connected ioredis or node-redis client, or a {@link RedisCommandSender}. */
export type RedisStoreClient = IoRedisLike | NodeRedisLike | NodeRedisClusterLike | RedisCommandSender

type Loose = Record<string, unknown> | null | undefined

/**
 * Recognises the client by shape, never by `instanceof`, so neither client is imported (both are
 * optional peers) and two installed copies of a client both work.
 */
export function toCommandSender(client: RedisStoreClient): RedisCommandSender {
  const c = client as unknown as Loose
  if (c && typeof c.send === 'function') return client as RedisCommandSender
  // ioredis first: it also has a `sendCommand`, but one that takes its own Command objects.
  if (c && typeof c.call === 'function') {
    const io = client as IoRedisLike
    return { send: (args) => io.call(args[0] as string, ...args.slice(1)) }
  }
  if (c && typeof c.sendCommand === 'function') {
    if (typeof c.getSlotMaster === 'function') {
      const cluster = client as NodeRedisClusterLike
      return { send: (args, key) => cluster.sendCommand(key, false, args) }
    }
    const node = client as NodeRedisLike
    return { send: (args) => node.sendCommand(args) }
  }
  throw new TypeError(
    '@hookguard/redis: `client` must be a connected ioredis or node-redis client (or cluster), or an object with send(args, key)',
  )
}
