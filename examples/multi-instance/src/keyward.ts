/**
 * One app instance's keyward: its own connection, its own verified-key cache, and a store
 * shared with every other instance — PostgreSQL (LISTEN/NOTIFY) or Redis (pub/sub). The cache
 * keeps keys for five minutes, so a revocation that reaches another instance within a second
 * does so through the store's invalidation messages, not because an entry expired.
 */
import { createKeyward, type Keyward } from "@keyward/core";

/** Which shared store the instances use. */
export type SharedStore = "postgres" | "redis";

interface OpenOptions {
  store: SharedStore;
  /** @defaultValue process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test" */
  databaseUrl?: string | undefined;
  /** @defaultValue process.env.REDIS_URL ?? "redis://127.0.0.1:6379" */
  redisUrl?: string | undefined;
  /** PostgreSQL schema, or Redis key prefix, that the instances share. @defaultValue "keyward_multi" */
  namespace?: string;
}

export interface Instance {
  keyward: Keyward;
  /** Closes keyward, the store's subscriptions, and the connection. */
  close(): Promise<void>;
}

const settings = {
  prefix: "sk_test",
  rateLimit: { limit: 100, window: "1m" },
  cache: { ttl: "5m" },
} as const;

/**
 * Opens one instance on the shared store (creating PostgreSQL's tables when missing).
 *
 * @example
 * const a = await openInstance({ store: "redis" });
 * const b = await openInstance({ store: "redis" }); // another connection, another cache
 */
export async function openInstance(options: OpenOptions): Promise<Instance> {
  const namespace = options.namespace ?? "keyward_multi";
  if (options.store === "postgres") {
    const [{ default: pg }, { migrate, postgresStore }] = await Promise.all([
      import("pg"),
      import("@keyward/postgres"),
    ]);
    const url = options.databaseUrl ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    try {
      await migrate(pool, { schema: namespace });
    } catch (error) {
      await pool.end();
      throw error;
    }
    const store = postgresStore({ client: pool, schema: namespace });
    const keyward = createKeyward({ ...settings, store });
    return {
      keyward,
      async close() {
        await keyward.close();
        await store.close();
        await pool.end();
      },
    };
  }
  const { createRedisClient, redisStore } = await import("@keyward/redis");
  const client = await createRedisClient(
    options.redisUrl ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  );
  const store = redisStore({ client, prefix: namespace });
  const keyward = createKeyward({ ...settings, store });
  return {
    keyward,
    async close() {
      await keyward.close();
      await store.close?.();
      await client.quit();
    },
  };
}
