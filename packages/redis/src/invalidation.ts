import type { InvalidationBus } from "@keyward/core";
import { type Keyspace, keyspace, resolvePrefix } from "./keyspace.js";
import type { RedisClient } from "./scripts/runner.js";

/** Options of {@link redisInvalidation}. */
export interface RedisInvalidationOptions {
  /** The client that publishes. Not closed by keyward. */
  client: RedisClient;
  /** Namespace; the channel is `<prefix>:invalidate`. @defaultValue "keyward" */
  prefix?: string;
  /**
   * A connection for SUBSCRIBE (a subscribed connection can run nothing else). Not closed by
   * keyward. @defaultValue `client.duplicate()`, opened on the first subscribe and closed by `close()`
   */
  subscriber?: RedisClient;
}

/** An invalidation bus that also releases the connection it opened. */
export interface RedisInvalidationBus extends InvalidationBus {
  /** Unsubscribes everyone and quits the duplicated connection (not a given `subscriber`). */
  close(): Promise<void>;
}

/** Waits until a connection can take commands, starting it when it was created lazily. */
async function ready(connection: RedisClient): Promise<void> {
  if (connection.status === "ready") return;
  if (connection.status === "wait") {
    await connection.connect();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const onReady = () => {
      connection.off("end", onEnd);
      resolve();
    };
    const onEnd = () => {
      connection.off("ready", onReady);
      reject(new Error("keyward: the Redis subscriber connection ended before it was ready"));
    };
    connection.once("ready", onReady);
    connection.once("end", onEnd);
  });
}

/** @internal The bus over an already resolved keyspace (shared with `redisStore`). */
export function createInvalidation(
  client: RedisClient,
  keys: Keyspace,
  givenSubscriber?: RedisClient,
): RedisInvalidationBus {
  const channel = keys.channel();
  const listeners = new Set<(keyId: string) => void>();
  let subscriber: RedisClient | undefined = givenSubscriber;
  let owned = false;
  let subscribed: Promise<void> | undefined;

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

  const start = (): Promise<void> => {
    if (!subscriber) {
      // ioredis resubscribes a duplicated connection after every reconnect (autoResubscribe).
      subscriber = client.duplicate() as RedisClient;
      owned = true;
      subscriber.on("error", () => {
        // Reconnection is automatic; errors are reported by the main client's calls.
      });
    }
    const connection = subscriber;
    connection.on("message", onMessage);
    return ready(connection).then(async () => {
      await connection.subscribe(channel);
    });
  };

  const stop = async (): Promise<void> => {
    const connection = subscriber;
    const pending = subscribed;
    subscribed = undefined;
    if (!connection || !pending) return;
    connection.off("message", onMessage);
    await pending.catch(() => undefined);
    if (owned) {
      subscriber = undefined;
      owned = false;
      connection.disconnect();
    } else if (connection.status === "ready") {
      await connection.unsubscribe(channel).catch(() => undefined);
    }
  };

  return {
    async publish(keyId: string): Promise<void> {
      await client.publish(channel, keyId);
    },
    async subscribe(listener: (keyId: string) => void): Promise<() => Promise<void>> {
      listeners.add(listener);
      if (!subscribed) {
        subscribed = start();
        subscribed.catch(() => {
          subscribed = undefined;
        });
      }
      try {
        await subscribed;
      } catch (error) {
        listeners.delete(listener);
        throw error;
      }
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
 * `subscriber` is given), which ioredis re-subscribes after every reconnect. Messages sent
 * while a subscriber is disconnected are lost; the verified-key cache TTL bounds how long
 * such an instance may serve a stale key.
 *
 * @example
 * const invalidation = redisInvalidation({ client: redis });
 * const stop = await invalidation.subscribe((keyId) => cache.delete(keyId));
 */
export function redisInvalidation(options: RedisInvalidationOptions): RedisInvalidationBus {
  if (!options || typeof options.client?.publish !== "function") {
    throw new TypeError('redisInvalidation: option "client" must be an ioredis client (Redis or Cluster)');
  }
  const prefix = resolvePrefix(options.prefix, "redisInvalidation");
  return createInvalidation(options.client, keyspace(prefix), options.subscriber);
}
