import type { KeywardStore } from "@keyward/core";
import { checkOptionNames } from "@keyward/core/store";
import { type AnyRedisClient, withStoreClients } from "./clients/node-redis.js";
import { createCounters } from "./counters.js";
import { createInvalidation } from "./invalidation.js";
import { createKeyStore } from "./key-store.js";
import { keyspace, resolvePrefix } from "./keyspace.js";
import { createOutbox } from "./outbox.js";

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /**
   * An ioredis client, standalone (`new Redis(url)`) or `new Cluster(nodes)`, or a connected
   * node-redis client (`createClient()` or `createCluster()`, `redis` v5+). keyward never
   * closes it. See `RECOMMENDED_CLIENT_OPTIONS` for fail-fast settings.
   */
  client: AnyRedisClient;
  /** Namespace of every Redis key and of the pub/sub channel. No braces or whitespace. @defaultValue "keyward" */
  prefix?: string;
  /**
   * The connection for SUBSCRIBE (pub/sub invalidation). Not closed by keyward.
   * @defaultValue `client.duplicate()`, opened on first subscribe, closed by `close()`
   */
  subscriber?: AnyRedisClient;
}

/**
 * The whole keyward store in Redis: keys, secrets, rate limits, quotas and cross-instance
 * invalidation. A verification of a cached key is one round trip (one `EVALSHA` for every
 * limit and the quota); an uncached key adds one `HMGET`. Every command and script touches
 * one hash tag, so it runs on Redis Cluster unchanged. Scripts read Redis's clock (`TIME`),
 * so instances with skewed clocks agree on windows.
 *
 * `store.outbox` is the durable outbox of lifecycle events (keys `<prefix>:{outbox}:*`, one
 * slot); its `atomicWrites` is false: core appends a write's events right after it.
 *
 * @example
 * import { createKeyward } from "@keyward/core";
 * import { createRedisClient, redisStore } from "@keyward/redis";
 *
 * const redis = await createRedisClient(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
 * const keyward = createKeyward({ store: redisStore({ client: redis, prefix: "myapp" }) });
 */
export function redisStore(given: RedisStoreOptions): KeywardStore {
  const options = withStoreClients(given);
  if (!options || typeof options.client?.evalsha !== "function") {
    throw new TypeError('redisStore: option "client" must be an ioredis client (Redis or Cluster)');
  }
  if (options.subscriber !== undefined && typeof options.subscriber?.subscribe !== "function") {
    throw new TypeError('redisStore: option "subscriber" must be an ioredis client');
  }
  checkOptionNames(options, ["client", "prefix", "subscriber"], "redisStore()");
  const keys = keyspace(resolvePrefix(options.prefix, "redisStore"));
  const keyStore = createKeyStore(options.client, keys);
  const counters = createCounters(options.client, keys);
  const invalidation = createInvalidation(options.client, keys, options.subscriber);
  return {
    kind: "redis",
    invalidation: { publish: invalidation.publish, subscribe: invalidation.subscribe },
    ...keyStore,
    ...counters,
    outbox: createOutbox(options.client, keys),
    close: () => invalidation.close(),
  };
}
