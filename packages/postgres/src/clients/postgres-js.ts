/**
 * postgres.js (`postgres`) as a client of the PostgreSQL store. `postgresJsClient(sql)` gives
 * the store the client shape it already knows from PGlite: `query(text, values)` answering
 * `{ rows }`, `exec(text)` for multi-statement migration scripts, `transaction()` over
 * `sql.begin()`, and `listen()` over postgres.js' own `sql.listen()` — which keeps one
 * dedicated connection for LISTEN and re-listens after it reconnects.
 */
import type { QueryClient, Row } from "../client.js";

/** A postgres.js transaction: the parts of `TransactionSql` the store uses. */
interface PostgresJsQueries {
  // biome-ignore lint/suspicious/noExplicitAny: postgres.js types parameters by its own type map
  unsafe(query: string, parameters?: any[]): PromiseLike<readonly Row[]> & { simple(): PromiseLike<unknown> };
}

/** What the store uses of a postgres.js `sql` instance (`postgres(url)`). */
export interface PostgresJsSql extends PostgresJsQueries {
  // biome-ignore lint/suspicious/noExplicitAny: `begin` is generic over the callback's result
  begin(callback: (sql: any) => Promise<unknown>): Promise<unknown>;
  listen(channel: string, onNotify: (payload: string) => void): PromiseLike<{ unlisten(): Promise<void> }>;
}

/** The client `postgresStore()` and `migrate()` take, made from a postgres.js `sql`. */
export interface PostgresJsClient extends QueryClient {
  exec(text: string): Promise<unknown>;
  transaction<T>(
    callback: (tx: QueryClient & { exec(text: string): Promise<unknown> }) => Promise<T>,
  ): Promise<T>;
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
}

/**
 * A string parameter as postgres.js should send it. postgres.js serializes each parameter by
 * the type the server infers for it: `String(x)` for most, but `JSON.stringify(x)` for json
 * and jsonb — which would turn a JSON document the store already wrote as text into a JSON
 * string. Declaring strings as `text` instead breaks implicit casts (text into a jsonb
 * column). This object serializes to the same text either way.
 */
class TextParameter {
  readonly #text: string;
  constructor(text: string) {
    this.#text = text;
  }
  toString(): string {
    return this.#text;
  }
  toJSON(): unknown {
    return JSON.parse(this.#text);
  }
}

/** `query`/`exec` over one postgres.js query runner (the pool, or a transaction). */
function runner(sql: PostgresJsQueries) {
  return {
    async query(text: string, values: unknown[] = []): Promise<{ rows: Row[] }> {
      const parameters = values.map((value) =>
        typeof value === "string" ? new TextParameter(value) : value,
      );
      return { rows: [...(await sql.unsafe(text, parameters))] };
    },
    // The simple protocol runs several statements in one call (migration scripts).
    async exec(text: string): Promise<unknown> {
      return sql.unsafe(text).simple();
    },
  };
}

/**
 * Wraps a postgres.js `sql` for `postgresStore()` and `migrate()`. Statements are sent
 * unprepared through `sql.unsafe(text, values)` (every statement carries its own `$n`
 * parameters, never interpolated values); transactions use `sql.begin()`; invalidation
 * listens with `sql.listen()`. keyward never calls `sql.end()`.
 *
 * @example
 * import postgres from "postgres";
 * import { migrate, postgresJsClient, postgresStore } from "@keyward/postgres";
 *
 * const sql = postgres(process.env.DATABASE_URL!, { connect_timeout: 2 });
 * const client = postgresJsClient(sql);
 * await migrate(client);
 * const keyward = createKeyward({ store: postgresStore({ client }) });
 *
 * @throws TypeError when `sql` is not a postgres.js instance (no `unsafe`, `begin`, `listen`).
 */
export function postgresJsClient(sql: PostgresJsSql): PostgresJsClient {
  // postgres.js' `sql` is a function (the tagged template) carrying its methods.
  const s = sql as unknown as (Partial<PostgresJsSql> & (() => unknown)) | null | undefined;
  if (
    typeof s !== "function" ||
    typeof s.unsafe !== "function" ||
    typeof s.begin !== "function" ||
    typeof s.listen !== "function"
  ) {
    throw new TypeError('postgresJsClient: argument "sql" must be a postgres.js instance (postgres(url))');
  }
  return {
    ...runner(sql),
    async transaction<T>(
      callback: (tx: QueryClient & { exec(text: string): Promise<unknown> }) => Promise<T>,
    ) {
      return (await sql.begin((tx: PostgresJsQueries) => callback(runner(tx)))) as T;
    },
    async listen(channel, callback) {
      const { unlisten } = await sql.listen(channel, callback);
      return unlisten;
    },
  };
}
