/**
 * The example's keyward instance: the in-memory store by default, PostgreSQL when a database
 * URL is given (tables are created on start by `migrate()`, which is safe to run every time).
 */
import { createKeyward, type Keyward, type KeywardOptions, memoryStore, type ScopeName } from "@keyward/core";

/** Scope presets: a key holding "reader" may do whatever `task:read` allows, and so on. */
const presets = {
  reader: ["task:read"],
  writer: ["task:read", "task:write"],
  admin: ["task:*", "admin:*"],
} as const;

/** Every scope name this app knows, checked by the compiler in routes and `create()`. */
export type Scope = ScopeName<typeof presets>;

/** Everything but the store: token prefix, presets and the default limits of every key. */
const settings = {
  prefix: "sk_test",
  scopes: presets,
  // Every key gets both limits unless created with its own. Routes consume "default" unless
  // they name others; the search route names "search" too.
  rateLimit: [
    { name: "default", limit: 100, window: "1m" },
    { name: "search", limit: 10, window: "1m" },
  ],
} satisfies Omit<KeywardOptions<typeof presets>, "store">;

/** The instance the app runs on, with its scope names typed. */
export type ExampleKeyward = Keyward<Scope>;

interface OpenOptions {
  /** PostgreSQL connection string; omitted: the in-memory store. */
  databaseUrl?: string | undefined;
  /** PostgreSQL schema for keyward's tables. @defaultValue "keyward" */
  schema?: string;
  /** Clock in ms (the demo moves it forward to end a rotation's grace period). */
  clock?: () => number;
}

export interface OpenKeyward {
  keyward: ExampleKeyward;
  /** Which store backs it. */
  store: "memory" | "postgres";
  /** Stops keyward and closes the database pool, if any. */
  close(): Promise<void>;
}

/**
 * Creates the keyward instance the app runs on.
 *
 * @example
 * const { keyward, close } = await openKeyward({ databaseUrl: process.env.DATABASE_URL });
 */
export async function openKeyward(options: OpenOptions = {}): Promise<OpenKeyward> {
  const clock = options.clock ? { clock: options.clock } : {};
  if (!options.databaseUrl) {
    const keyward = createKeyward({ ...settings, ...clock, store: memoryStore() });
    return { keyward, store: "memory", close: () => keyward.close() };
  }
  // Loaded only when asked for, so the memory mode starts without touching pg.
  const [{ default: pg }, { migrate, postgresStore }] = await Promise.all([
    import("pg"),
    import("@keyward/postgres"),
  ]);
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
  const schema = options.schema ?? "keyward";
  try {
    await migrate(pool, { schema });
  } catch (error) {
    await pool.end();
    throw error;
  }
  const store = postgresStore({ client: pool, schema });
  const keyward = createKeyward({ ...settings, ...clock, store });
  return {
    keyward,
    store: "postgres",
    async close() {
      await keyward.close();
      await store.close();
      await pool.end();
    },
  };
}
