/**
 * Versioned, idempotent migrations. One transaction holds a transaction-level advisory lock
 * (per schema), creates the schema and the `schema_migrations` table when missing,
 * and applies every migration not recorded there, in order. Two processes migrating at once
 * queue on the lock; the second finds nothing left to do.
 */
import { checkOptionNames } from "@keyward/core/store";
import { type QueryClient, withTransaction } from "./client.js";
import { MIGRATIONS } from "./migrations/index.js";
import { type Names, resolveTables, type TableOptions } from "./options.js";

/** What `migrate()` did. */
export interface MigrateResult {
  /** Migrations applied by this call, e.g. `["001_init"]`; empty when already up to date. */
  applied: string[];
}

/** Fills a migration's `{{schema}}` / `{{prefix}}` placeholders (both validated identifiers). */
function renderMigration(sql: string, names: Pick<Names, "schema" | "prefix">): string {
  return sql.replaceAll("{{schema}}", names.schema).replaceAll("{{prefix}}", names.prefix);
}

/** One migration, ready to run. */
export interface MigrationScript {
  /** e.g. `"001_init"`, as recorded by `migrate()` and named in `sql/`. */
  id: string;
  version: number;
  /** The SQL with schema and prefix filled in. */
  sql: string;
}

/** Creates the schema and the migrations table when missing. */
const bookkeeping = (names: Names): string =>
  `CREATE SCHEMA IF NOT EXISTS "${names.schema}";
CREATE TABLE IF NOT EXISTS ${names.migrations} (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);`;

/**
 * The migrations as SQL for your own migration tool, with schema and prefix filled in. Run
 * them in order, each in a transaction. Each one also records itself in `schema_migrations`,
 * so a later `migrate()` knows it was applied and the two approaches can be mixed.
 *
 * @example
 * import { writeFileSync } from "node:fs";
 * for (const m of migrationScripts({ schema: "auth" })) writeFileSync(`migrations/${m.id}.sql`, m.sql);
 */
export function migrationScripts(options: TableOptions = {}): MigrationScript[] {
  const names = resolveTables(options, "migrationScripts");
  return MIGRATIONS.map((m) => ({
    id: migrationId(m.version, m.name),
    version: m.version,
    sql: [
      bookkeeping(names),
      renderMigration(m.sql, names),
      `INSERT INTO ${names.migrations} (version, name) VALUES (${m.version}, '${m.name}') ON CONFLICT (version) DO NOTHING;`,
      "",
    ].join("\n"),
  }));
}

const migrationId = (version: number, name: string): string => `${String(version).padStart(3, "0")}_${name}`;

/**
 * Creates or upgrades keyward's tables. Safe to run on every start, from many processes at once.
 *
 * @example
 * import pg from "pg";
 * import { migrate } from "@keyward/postgres";
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * await migrate(pool); // schema "keyward"
 * await migrate(pool, { schema: "public", tablePrefix: "keyward_" });
 */
export async function migrate(client: QueryClient, options: TableOptions = {}): Promise<MigrateResult> {
  if (client === null || typeof client !== "object" || typeof client.query !== "function") {
    throw new TypeError(
      "migrate: the client must have a query(text, values) method (a pg Pool or a PGlite instance)",
    );
  }
  checkOptionNames(options, ["schema", "tablePrefix"], "migrate()");
  const names = resolveTables(options, "migrate");
  return withTransaction(client, async (db) => {
    await db.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`keyward:migrate:${names.schema}`]);
    await db.script(bookkeeping(names));
    const rows = await db.query(`SELECT version FROM ${names.migrations}`);
    const done = new Set(rows.map((row) => Number(row.version)));
    const applied: string[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await db.script(renderMigration(migration.sql, names));
      await db.query(`INSERT INTO ${names.migrations} (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      applied.push(migrationId(migration.version, migration.name));
    }
    return { applied };
  });
}
