import { checkOptionNames, type InvalidationBus } from "@keyward/core/store";
import { type AnyRedisClient, withStoreClients } from "./clients/node-redis.js";
import { type Keyspace, keyspace, resolvePrefix } from "./keyspace.js";
import type { RedisClient } from "./scripts/runner.js";

/** Options of {@link redisInvalidation}. */
export interface RedisInvalidationOptions {
  /** The client that publishes (ioredis or node-redis). Not closed by keyward. */
  client: AnyRedisClient;
  /** Namespace; the channel is `<prefix>:invalidate`. @defaultValue "keyward" */
  prefix?: string;
  /**
   * A connection for SUBSCRIBE (a subscribed connection can run nothing else). Not closed by
   * keyward. @defaultValue `client.duplicate()`, opened on the first subscribe and closed by `close()`
   */
  subscriber?: AnyRedisClient;
}

/** An invalidation bus that also releases the connection it opened. */
export interface RedisInvalidationBus extends InvalidationBus {
  /** Unsubscribes everyone and quits the duplicated connection (not a given `subscriber`). */
  close(): Promise<void>;
}

/** How long `subscribe()` waits for the first SUBSCRIBE before resolving anyway. */
const FIRST_SUBSCRIBE_WAIT = 2_000;

/** @internal The bus over an already resolved keyspace (shared with `redisStore`). */
export function createInvalidation(
  client: RedisClient,
  keys: Keyspace,
  givenSubscriber?: RedisClient,
): RedisInvalidationBus {
  const channel = keys.channel();
  const listeners = new Set<(keyId: string) => void>();
  let connection: RedisClient | undefined;
  let subscribed: Promise<void> | undefined;
  let onReady: (() => void) | undefined;

  const onMessage = (from: string, message: string) => {
    if (from !== channel) return;
    for (const listener of listeners) {
      try {
        listener(message);
      } catch {
        // A listener's failure must not stop the others.
      }
    }
  };

  /**
   * Opens the subscriber connection and subscribes on every "ready" (the first connect and
   * each reconnect, beside ioredis' own autoResubscribe). Resolves at the first successful
   * SUBSCRIBE, or after FIRST_SUBSCRIBE_WAIT when Redis is away: listening then starts as
   * soon as it is back, and until then the cache TTL bounds staleness.
   */
  const start = (): Promise<void> => {
    // ioredis 6 types Redis#duplicate and Cluster#duplicate so that their union is not callable.
    const c = givenSubscriber ?? (client.duplicate as () => RedisClient).call(client);
    if (!givenSubscriber) {
      c.on("error", () => {
        // Reconnection is automatic; failures surface on the main client's calls.
      });
    }
    connection = c;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, FIRST_SUBSCRIBE_WAIT);
      timer.unref?.();
      const attempt = () => {
        c.subscribe(channel).then(
          () => {
            clearTimeout(timer);
            resolve();
          },
          () => {},
        );
      };
      onReady = attempt;
      c.on("message", onMessage);
      c.on("ready", attempt);
      if (c.status === "ready") attempt();
      else if (c.status === "wait") c.connect().catch(() => {});
    });
  };

  const stop = async (): Promise<void> => {
    const c = connection;
    const pending = subscribed;
    connection = undefined;
    subscribed = undefined;
    if (!c || !pending) return;
    await pending;
    c.off("message", onMessage);
    if (onReady) c.off("ready", onReady);
    if (!givenSubscriber) c.disconnect();
    else if (c.status === "ready") await c.unsubscribe(channel).catch(() => undefined);
  };

  return {
    async publish(keyId: string): Promise<void> {
      await client.publish(channel, keyId);
    },
    async subscribe(listener: (keyId: string) => void): Promise<() => Promise<void>> {
      if (client.status === "end") throw new Error("keyward: the Redis client is closed");
      listeners.add(listener);
      subscribed ??= start();
      await subscribed;
      return async () => {
        listeners.delete(listener);
        if (listeners.size === 0) await stop();
      };
    },
    close: async () => {
      listeners.clear();
      await stop();
    },
  };
}

/**
 * Cross-instance cache invalidation over Redis pub/sub, for use beside another key store
 * (core's `composeStores`). `publish` is a PUBLISH on `<prefix>:invalidate` carrying the key
 * id only; `subscribe` listens on a second connection (`client.duplicate()` unless
 * `subscriber` is given), which ioredis re-subscribes after every reconnect. When Redis is
 * away, `subscribe` resolves after at most 2 s and subscribes once it is back. Messages sent
 * while a subscriber is disconnected are lost; the verified-key cache TTL bounds how long
 * such an instance may serve a stale key.
 *
 * @example
 * const invalidation = redisInvalidation({ client: redis });
 * const stop = await invalidation.subscribe((keyId) => cache.delete(keyId));
 */
export function redisInvalidation(given: RedisInvalidationOptions): RedisInvalidationBus {
  const options = withStoreClients(given);
  if (!options || typeof options.client?.publish !== "function") {
    throw new TypeError('redisInvalidation: option "client" must be an ioredis client (Redis or Cluster)');
  }
  checkOptionNames(options, ["client", "prefix", "subscriber"], "redisInvalidation()");
  const prefix = resolvePrefix(options.prefix, "redisInvalidation");
  return createInvalidation(options.client, keyspace(prefix), options.subscriber);
}
