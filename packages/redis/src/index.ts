/**
 * @keyward/redis — the Redis store for keyward (ioredis): atomic Lua rate limits and quotas on
 * Redis's clock, Cluster-safe keys, pub/sub invalidation across instances.
 * @module
 */
export { createRedisClient, RECOMMENDED_CLIENT_OPTIONS } from "./client.js";
export type {
  AnyRedisClient,
  NodeRedisClient,
  NodeRedisCluster,
  NodeRedisStandalone,
} from "./clients/node-redis.js";
export { type RedisCountersOptions, redisCounters } from "./counters.js";
export {
  type RedisInvalidationBus,
  type RedisInvalidationOptions,
  redisInvalidation,
} from "./invalidation.js";
export type { RedisClient } from "./scripts/runner.js";
export { type RedisStoreOptions, redisStore } from "./store.js";
