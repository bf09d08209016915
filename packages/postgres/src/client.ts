/**
 * What the store needs from a client, and how it talks to the three kinds it knows: a `pg`
 * Pool (named prepared statements, dedicated connections for transactions and LISTEN), PGlite
 * (one embedded connection: `exec` for scripts, `transaction()`, `listen()`), and anything else
 * with `query(text, values)`.
 */
import { createHash } from "node:crypto";
import { currentStoreDeadline, deadlinePassed, KeywardError, StoreSetupError } from "@keyward/core/store";
import { type PoolLike, queryOnPool } from "./pool-deadline.js";

/** A result row as drivers return it: column name to parsed value. */
export type Row = Record<string, unknown>;

/** The one method every client must have: `pg` Pool/Client, PGlite, or a wrapper of your own. */
export interface QueryClient {
  query(text: string, values?: unknown[]): Promise<{ rows: Row[] }>;
}

/** A statement with a stable name, prepared once per connection where the driver supports it. */
export interface Statement {
  name: string;
  text: string;
}

/** The store's view of a client: statements in, rows out, database errors mapped. */
export interface Executor {
  /** Runs one statement (named and prepared on pg). */
  run(statement: Statement, values: unknown[]): Promise<Row[]>;
  /** Runs one ad-hoc statement. */
  query(text: string, values?: unknown[]): Promise<Row[]>;
}

/** A connection inside a transaction: single statements and multi-statement scripts. */
interface TransactionConnection {
  query(text: string, values?: unknown[]): Promise<Row[]>;
  script(text: string): Promise<void>;
}

interface PgPoolLike extends QueryClient {
  connect(): Promise<PgClientLike>;
  totalCount: number;
  options?: Record<string, unknown>;
  Client?: new (options: Record<string, unknown>) => PgClientLike;
}

/** The parts of a pg `Client` / `PoolClient` the store uses. */
export interface PgClientLike extends QueryClient {
  connect?(): Promise<void>;
  release?(error?: Error | boolean): void;
  end?(): Promise<void>;
  on(event: "notification", listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: "error" | "end", listener: (error?: Error) => void): unknown;
  removeAllListeners?(event?: string): unknown;
  removeListener?(event: "error", listener: (error?: Error) => void): unknown;
}

interface PGliteLike extends QueryClient {
  exec(text: string): Promise<unknown>;
  transaction<T>(
    callback: (tx: QueryClient & { exec(text: string): Promise<unknown> }) => Promise<T>,
  ): Promise<T>;
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
}

/** Which driver a client is, decided once from its shape. */
export type ClientKind = "pg-pool" | "pg-client" | "pglite" | "generic";

/** Tells a pg Pool, a pg Client, PGlite and anything else apart by their methods. */
export function clientKind(client: QueryClient): ClientKind {
  const c = client as unknown as Record<string, unknown>;
  if (typeof c.exec === "function" && typeof c.transaction === "function") return "pglite";
  if (typeof c.connect === "function" && "totalCount" in c) return "pg-pool";
  if (typeof c.connect === "function" && typeof c.on === "function") return "pg-client";
  return "generic";
}

/** Views a client known to be a pg Pool with the members the store uses. */
export const asPool = (client: QueryClient): PgPoolLike => client as PgPoolLike;
/** Views a client known to be PGlite with the members the store uses. */
export const asPglite = (client: QueryClient): PGliteLike => client as PGliteLike;

/**
 * Names a statement after a digest of its text, so two stores with other schemas on one pool
 * never collide (pg refuses one name with two texts) and names stay under 63 bytes.
 */
export function statement(label: string, text: string): Statement {
  const digest = createHash("sha256").update(text).digest("hex").slice(0, 12);
  return { name: `keyward_${label}_${digest}`.slice(0, 63), text };
}

/**
 * Failures that last until someone changes the setup, and what to do about each: reported as
 * a StoreSetupError, so keyward logs it once and puts it in every 503 detail.
 */
const SETUP_PROBLEMS: Readonly<Record<string, string>> = {
  "42P01": "has no keyward tables here; run migrate() (or `keyward migrate`) once",
  "3F000": "has no keyward schema here; run migrate() (or `keyward migrate`) once",
  "42883": "lacks keyward's functions; run migrate() (or `keyward migrate`) to apply the pending migrations",
  "3D000": "has no database by the name in the connection URL; check DATABASE_URL",
  "28P01": "refused the password in the connection URL; check DATABASE_URL",
  "28000": "refused the user in the connection URL; check DATABASE_URL",
};

/**
 * Database errors can quote row values in `detail` (a unique violation names the duplicate
 * hash). Integrity violations become a KeywardError without the original as cause, so no hash
 * ever reaches a log; everything else (connection loss, timeouts) propagates unchanged.
 */
function mapError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "KW408") return deadlinePassed();
  // Data exceptions (22xxx: a NUL in text 22P05/22021, a date out of range 22008, a number out
  // of range 22003) and program limits (54xxx: a value nested too deep) are the value's fault,
  // not an outage: never `unavailable`. Core validates input so these should not be reached.
  if (typeof code === "string" && (code.startsWith("22") || code.startsWith("54"))) {
    return new KeywardError(
      "invalid_request",
      `keyward: the database cannot store a value of this change (SQLSTATE ${code})`,
    );
  }
  if (code === "23505")
    return new KeywardError("conflict", "keyward: a key with this id or token already exists");
  const setup = typeof code === "string" ? SETUP_PROBLEMS[code] : undefined;
  if (setup !== undefined) return new StoreSetupError(`keyward: PostgreSQL ${setup} (SQLSTATE ${code})`);
  if (code === "ENOTFOUND")
    return new StoreSetupError(
      "keyward: the PostgreSQL host name does not resolve (ENOTFOUND); check the connection URL",
    );
  if (typeof code === "string" && code.startsWith("23")) {
    return new KeywardError(
      "invalid_request",
      `keyward: the database rejected the change (SQLSTATE ${code})`,
    );
  }
  return error;
}

/**
 * Wraps a client into the store's executor. Named statements are used only with pg. On a pg
 * Pool, a statement keyward calls under a deadline runs on a connection checked out for it
 * and released as broken when the deadline passes (see pool-deadline.ts).
 */
export function createExecutor(client: QueryClient, prepared: boolean): Executor {
  const pool = clientKind(client) === "pg-pool" ? asPool(client) : null;
  type Config = { name?: string; text: string; values: unknown[] };
  // Unnamed statements go as query(text, values), which every client understands.
  const send = (target: QueryClient, config: Config): Promise<{ rows: Row[] }> =>
    config.name === undefined
      ? target.query(config.text, config.values)
      : (target as unknown as { query(config: Config): Promise<{ rows: Row[] }> }).query(config);
  const execute = async (config: Config): Promise<Row[]> => {
    // Read synchronously: the deadline is that of the keyward call invoking the store now.
    const deadline = currentStoreDeadline();
    try {
      if (pool === null || deadline === undefined) return (await send(client, config)).rows;
      return (await queryOnPool<{ rows: Row[] }>(pool as unknown as PoolLike, deadline, config)).rows;
    } catch (error) {
      throw mapError(error);
    }
  };
  const query = (text: string, values: unknown[] = []): Promise<Row[]> => execute({ text, values });
  if (!prepared) return { query, run: (s, values) => query(s.text, values) };
  return { query, run: (s, values) => execute({ name: s.name, text: s.text, values }) };
}

/**
 * Runs `fn` in one transaction on one connection: a connection checked out of a pg Pool,
 * PGlite's `transaction()`, or BEGIN/COMMIT on the client itself (a single connection).
 */
export async function withTransaction<T>(
  client: QueryClient,
  fn: (connection: TransactionConnection) => Promise<T>,
): Promise<T> {
  const kind = clientKind(client);
  if (kind === "pglite") {
    return asPglite(client).transaction((tx) =>
      fn({
        query: async (text, values) => (await tx.query(text, values)).rows,
        script: async (text) => {
          await tx.exec(text);
        },
      }),
    );
  }
  const connection = kind === "pg-pool" ? await asPool(client).connect() : (client as PgClientLike);
  const conn: TransactionConnection = {
    query: async (text, values) => (await connection.query(text, values)).rows,
    // Without values, pg uses the simple protocol, which accepts several statements.
    script: async (text) => {
      await connection.query(text);
    },
  };
  let failed: Error | undefined;
  try {
    await conn.query("BEGIN");
    try {
      const result = await fn(conn);
      await conn.query("COMMIT");
      return result;
    } catch (error) {
      await conn.query("ROLLBACK").catch(() => {});
      throw error;
    }
  } catch (error) {
    failed = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    if (kind === "pg-pool") connection.release?.(failed);
  }
}
