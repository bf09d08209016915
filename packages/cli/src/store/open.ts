import { chmod, mkdir } from "node:fs/promises";
import type { KeywardStore } from "@keyward/core";
import type { Connection } from "../config.js";
import { CliError } from "../errors.js";

/** A store opened by the CLI, with what only the CLI does to it. */
export interface OpenedStore {
  store: KeywardStore;
  /** Applies pending schema migrations and names them; null when the store has none (Redis). */
  migrate(): Promise<string[] | null>;
  /** Closes the store and the client the CLI opened for it. */
  close(): Promise<void>;
}

/** How long the CLI waits for a database server to accept a connection. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Opens the store a connection names: a pg Pool for a PostgreSQL URL, an ioredis client for a
 * Redis URL, and otherwise an embedded PGlite database in a directory. Drivers are loaded
 * lazily, so `--help` never pays for them and a Redis user never loads pg.
 */
export async function openStore(connection: Connection): Promise<OpenedStore> {
  switch (connection.kind) {
    case "postgres":
      return openPostgres(connection);
    case "pglite":
      return openPglite(connection);
    case "redis":
      return openRedis(connection);
  }
}

async function openPostgres(connection: Extract<Connection, { kind: "postgres" }>): Promise<OpenedStore> {
  const [{ default: pg }, { postgresStore, migrate }] = await Promise.all([
    import("pg"),
    import("@keyward/postgres"),
  ]);
  let pool: InstanceType<typeof pg.Pool>;
  try {
    pool = new pg.Pool({
      connectionString: connection.url,
      max: 8,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
  } catch {
    throw new CliError("--database-url is not a valid PostgreSQL connection string", 2);
  }
  // An idle client dropped by the server must not crash the process; the next query reports it.
  pool.on("error", () => {});
  const tables = tableOptions(connection);
  const store = postgresStore({ client: pool, ...tables });
  return {
    store: publishOnly(store),
    async migrate() {
      return (await migrate(pool, tables)).applied;
    },
    async close() {
      await store.close();
      await pool.end();
    },
  };
}

async function openPglite(connection: Extract<Connection, { kind: "pglite" }>): Promise<OpenedStore> {
  const [{ PGlite }, { postgresStore, migrate }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("@keyward/postgres"),
  ]);
  try {
    // Owner only: the directory holds every key hash and the PGlite files inside it are
    // created world-writable, so the directory is what keeps other users out.
    await mkdir(connection.dataDir, { recursive: true, mode: 0o700 });
    await chmod(connection.dataDir, 0o700);
  } catch (error) {
    const code = (error as { code?: string }).code ?? "error";
    throw new CliError(`cannot create the data directory ${connection.dataDir} (${code})`);
  }
  let db: Awaited<ReturnType<typeof PGlite.create>>;
  try {
    db = await PGlite.create(connection.dataDir);
  } catch (error) {
    throw new CliError(`cannot open the embedded database in ${connection.dataDir}`, 1, { cause: error });
  }
  const tables = tableOptions(connection);
  const store = postgresStore({ client: db, ...tables });
  return {
    store: publishOnly(store),
    async migrate() {
      return (await migrate(db, tables)).applied;
    },
    async close() {
      await store.close();
      await db.close();
    },
  };
}

async function openRedis(connection: Extract<Connection, { kind: "redis" }>): Promise<OpenedStore> {
  const { createRedisClient, redisStore } = await import("@keyward/redis");
  // One connection attempt, no reconnect loop: a CLI should say at once that Redis is away.
  let client: Awaited<ReturnType<typeof createRedisClient>>;
  try {
    client = await createRedisClient(connection.url, {
      connectTimeout: CONNECT_TIMEOUT_MS,
      retryStrategy: () => null,
    });
  } catch (error) {
    if (error instanceof TypeError) throw new CliError("--redis-url is not a valid Redis URL", 2);
    const message = (error as Error).message ?? "";
    if (message.startsWith("createRedisClient: cannot select database")) {
      throw new CliError(
        `${message.slice("createRedisClient: ".length)}; check the number after the host in --redis-url`,
        2,
      );
    }
    const code = (error as { code?: string }).code;
    throw new CliError(`cannot reach Redis${code ? ` (${code})` : ""}; check --redis-url`, 1, {
      cause: error,
    });
  }
  const store = redisStore({ client, ...(connection.prefix !== undefined && { prefix: connection.prefix }) });
  return {
    store: publishOnly(store),
    async migrate() {
      return null;
    },
    async close() {
      await store.close?.();
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/**
 * The store as the CLI hands it to keyward: changes it makes are still published to running
 * applications (revoke, disable and delete take effect everywhere), but the CLI itself does not
 * subscribe — it has no cache to keep fresh, and a subscription would hold an extra connection.
 */
function publishOnly(store: KeywardStore): KeywardStore {
  const bus = store.invalidation;
  if (!bus) return store;
  return {
    ...store,
    invalidation: {
      publish: (keyId) => bus.publish(keyId),
      subscribe: async () => async () => {},
    },
  };
}

function tableOptions(connection: { schema?: string; tablePrefix?: string }) {
  return {
    ...(connection.schema !== undefined && { schema: connection.schema }),
    ...(connection.tablePrefix !== undefined && { tablePrefix: connection.tablePrefix }),
  };
}
