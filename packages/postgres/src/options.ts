/**
 * Options of `postgresStore()` and `migrate()`, resolved and validated once.
 */
import { checkOptionNames } from "@keyward/core/store";
import type { QueryClient } from "./client.js";

/** Where keyward's tables live. */
export interface TableOptions {
  /**
   * The schema holding keyward's tables (created by `migrate()` when missing).
   * Lowercase letters, digits and `_`, starting with a letter or `_`.
   * @defaultValue "keyward"
   */
  schema?: string;
  /**
   * A prefix for every table, index and function name, for sharing a schema with other
   * tables (e.g. `"keyward_"` in `public`). Same characters as `schema`.
   * @defaultValue ""
   */
  tablePrefix?: string;
}

/** Options of `postgresStore()`. */
export interface PostgresStoreOptions extends TableOptions {
  /**
   * A `pg` Pool (recommended), a PGlite instance, or any client with `query(text, values)`
   * answering `{ rows }`. The store never closes it.
   */
  client: QueryClient;
  /**
   * Cross-instance cache invalidation with LISTEN/NOTIFY: on a pg Pool the store opens one
   * extra connection for LISTEN when keyward subscribes; on PGlite it uses `listen()`.
   * false: no invalidation bus (each instance only evicts its own cache).
   * @defaultValue true
   */
  listen?: boolean;
  /**
   * Hot-path statements as named prepared statements (pg only: PGlite and generic clients
   * always use unnamed ones). Turn off behind a transaction-mode pooler that cannot keep
   * prepared statements (PgBouncer before 1.21).
   * @defaultValue true
   */
  preparedStatements?: boolean;
  /**
   * Wait for the WAL flush when committing counter updates. Off by default: a rate-limit or
   * quota update then commits with `synchronous_commit = off` (that transaction only), so a
   * PostgreSQL crash can lose the last fraction of a second of counting, but calls do not wait
   * for a disk flush each. Keys, secrets and usage are always written durably.
   * @defaultValue false
   */
  durableCounters?: boolean;
}

/** The names of everything keyward creates, quoted and ready to put into SQL. */
export interface Names {
  schema: string;
  prefix: string;
  keys: string;
  secrets: string;
  counters: string;
  migrations: string;
  consume: string;
  /** consume() with a deadline (migration 002). */
  consumeBefore: string;
  /** Rotation serialized per key (migration 002). */
  rotateKey: string;
  /** The outbox (migration 004): events, their deliveries per endpoint, per-endpoint state. */
  outboxEvents: string;
  outboxDeliveries: string;
  outboxEndpoints: string;
  /** LISTEN/NOTIFY channel (a plain identifier, no quoting needed). */
  channel: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Validates schema and prefix (TypeError naming the option) and derives every quoted name. */
export function resolveTables(options: TableOptions, caller: string): Names {
  const schema = options.schema ?? "keyward";
  const prefix = options.tablePrefix ?? "";
  if (typeof schema !== "string" || !IDENTIFIER.test(schema) || schema.length > 40) {
    throw new TypeError(
      `${caller}: option "schema" must be 1-40 characters of [a-z0-9_], starting with a letter or _ (got ${JSON.stringify(schema)})`,
    );
  }
  if (typeof prefix !== "string" || (prefix !== "" && !IDENTIFIER.test(prefix)) || prefix.length > 20) {
    throw new TypeError(
      `${caller}: option "tablePrefix" must be up to 20 characters of [a-z0-9_], starting with a letter or _ (got ${JSON.stringify(prefix)})`,
    );
  }
  const table = (name: string) => `"${schema}"."${prefix}${name}"`;
  return {
    schema,
    prefix,
    keys: table("keys"),
    secrets: table("secrets"),
    counters: table("counters"),
    migrations: table("schema_migrations"),
    consume: table("consume"),
    consumeBefore: table("consume_before"),
    rotateKey: table("rotate_key"),
    outboxEvents: table("outbox_events"),
    outboxDeliveries: table("outbox_deliveries"),
    outboxEndpoints: table("outbox_endpoints"),
    channel: `keyward_${schema}_${prefix}invalidate`,
  };
}

const KNOWN = new Set(["client", "schema", "tablePrefix", "listen", "preparedStatements", "durableCounters"]);

interface ResolvedStoreOptions {
  client: QueryClient;
  names: Names;
  listen: boolean;
  preparedStatements: boolean;
  durableCounters: boolean;
}

/** Resolves `postgresStore()` options once, at construction: defaults, validation, warnings. */
export function resolveStoreOptions(options: PostgresStoreOptions): ResolvedStoreOptions {
  if (options === null || typeof options !== "object") {
    throw new TypeError("postgresStore: options must be an object with a `client`");
  }
  const client = options.client as unknown;
  if (client === null || typeof client !== "object" || typeof (client as QueryClient).query !== "function") {
    throw new TypeError(
      'postgresStore: option "client" must have a query(text, values) method (a pg Pool or a PGlite instance)',
    );
  }
  checkOptionNames(options, [...KNOWN], "postgresStore()");
  for (const name of ["listen", "preparedStatements", "durableCounters"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "boolean") {
      throw new TypeError(`postgresStore: option "${name}" must be a boolean`);
    }
  }
  return {
    client: client as QueryClient,
    names: resolveTables(options, "postgresStore"),
    listen: options.listen ?? true,
    preparedStatements: options.preparedStatements ?? true,
    durableCounters: options.durableCounters ?? false,
  };
}
