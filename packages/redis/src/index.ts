export type { IoRedisLike, NodeRedisClusterLike, NodeRedisLike, RedisCommandSender, RedisStoreClient } from './client'
export { type RedisStoreOptions, redisStore } from './redis-store'
