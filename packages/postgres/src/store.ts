/**
 * `postgresStore()`: the keyward store on PostgreSQL, through a pg Pool, PGlite, or any client
 * with `query(text, values)`.
 */
import type { KeywardStore } from "@keyward/core";
import type { OutboxStore } from "@keyward/core/store";
import { clientKind, createExecutor } from "./client.js";
import { createCounterStore } from "./counters.js";
import { createInvalidationBus } from "./invalidation.js";
import { createKeyStore } from "./keys.js";
import { type MigrateResult, migrate } from "./migrate.js";
import { type PostgresStoreOptions, resolveStoreOptions } from "./options.js";
import { createOutbox } from "./outbox.js";

/** The PostgreSQL store: a KeywardStore plus `migrate()` for its own schema. */
export interface PostgresStore extends KeywardStore {
  readonly kind: "postgres";
  /**
   * The durable outbox of lifecycle events (tables `outbox_events`, `outbox_deliveries`,
   * `outbox_endpoints`, migration 004). `atomicWrites` is true: a key write commits its events
   * in the same statement as the change.
   */
  readonly outbox: OutboxStore;
  /** Runs `migrate(client, { schema, tablePrefix })` with this store's options. */
  migrate(): Promise<MigrateResult>;
  /** Stops the LISTEN connections this store opened. Never closes the client it was given. */
  close(): Promise<void>;
}

/**
 * Creates the PostgreSQL store. Run `migrate()` (or `store.migrate()`) once before use.
 *
 * @example
 * import pg from "pg";
 * import { createKeyward } from "@keyward/core";
 * import { postgresStore } from "@keyward/postgres";
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 2_000 });
 * pool.on("error", () => {}); // an idle connection dropped by the server must not crash the process
 * const store = postgresStore({ client: pool });
 * await store.migrate();
 * const keyward = createKeyward({ store, prefix: "sk_live" });
 *
 * @example
 * import { PGlite } from "@electric-sql/pglite";
 * const store = postgresStore({ client: new PGlite("./.keyward") });
 */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  const { client, names, listen, preparedStatements, durableCounters } = resolveStoreOptions(options);
  const kind = clientKind(client);
  const db = createExecutor(client, preparedStatements && (kind === "pg-pool" || kind === "pg-client"));
  const keys = createKeyStore(db, names);
  const counters = createCounterStore(db, names, durableCounters);
  const subscriptions = new Set<() => Promise<void>>();
  const invalidation = listen
    ? createInvalidationBus(client, kind, names.channel, (stop) => subscriptions.add(stop))
    : undefined;

  const store: PostgresStore = {
    kind: "postgres",
    ...keys,
    ...counters,
    outbox: createOutbox(db, names),
    migrate: () => migrate(client, { schema: names.schema, tablePrefix: names.prefix }),
    async close() {
      const stops = [...subscriptions];
      subscriptions.clear();
      await Promise.all(stops.map((stop) => stop()));
    },
  };
  if (invalidation) Object.assign(store, { invalidation });
  return store;
}
