import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { migrate, migrationScripts, postgresStore } from "../src/index.js";
import { MIGRATIONS } from "../src/migrations/index.js";
import { createPglite, createPool, DATABASE_URL, dropSchema, randomSchema } from "./helpers.js";

const schemas: string[] = [];
const fresh = (label: string) => {
  const schema = randomSchema(label);
  schemas.push(schema);
  return schema;
};
afterAll(async () => {
  for (const schema of schemas) await dropSchema(schema);
});

const tablesOf = async (
  pool: { query(text: string, values: unknown[]): Promise<{ rows: unknown[] }> },
  schema: string,
) =>
  (
    await pool.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name",
      [schema],
    )
  ).rows;

describe("migration files", () => {
  it("ships every migration as a .sql file with exactly the text migrate() runs", () => {
    const dir = join(import.meta.dirname, "..", "sql");
    const files = readdirSync(dir)
      .filter((name) => name.endsWith(".sql"))
      .sort();
    expect(files).toEqual(MIGRATIONS.map((m) => `${String(m.version).padStart(3, "0")}_${m.name}.sql`));
    for (const migration of MIGRATIONS) {
      const file = `${String(migration.version).padStart(3, "0")}_${migration.name}.sql`;
      // If this fails: edit sql/*.sql, then run `node packages/postgres/scripts/sync-migrations.mjs`.
      expect(readFileSync(join(dir, file), "utf8"), file).toBe(migration.sql);
    }
  });

  it("lists the sql directory in the package files", () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "..", "package.json"), "utf8"));
    expect(pkg.files).toContain("sql");
  });
});

describe("migrate()", () => {
  it("applies once; a second run applies nothing and keeps the data", async () => {
    const pool = createPool();
    const schema = fresh("mig_twice");
    try {
      expect(await migrate(pool, { schema })).toEqual({
        applied: ["001_init", "002_deadlines_and_locks", "003_key_access", "004_outbox"],
      });
      const store = postgresStore({ client: pool, schema });
      await store.setQuota({ partition: "p", key: "q" }, { limit: 5, refill: null }, 3, 1_000);
      expect(await migrate(pool, { schema })).toEqual({ applied: [] });
      expect(await store.migrate()).toEqual({ applied: [] });
      expect(
        (await store.getQuota({ partition: "p", key: "q" }, { limit: 5, refill: null }, 2_000)).remaining,
      ).toBe(3);
      const versions = await pool.query(`SELECT version, name FROM "${schema}".schema_migrations`);
      expect(versions.rows).toEqual([
        { version: 1, name: "init" },
        { version: 2, name: "deadlines_and_locks" },
        { version: 3, name: "key_access" },
        { version: 4, name: "outbox" },
      ]);
    } finally {
      await pool.end();
    }
  });

  it("is safe from two processes at once: the advisory lock lets exactly one apply", async () => {
    // Two pools are two sets of connections, as two processes would have.
    const pools = [createPool(), createPool()];
    const schema = fresh("mig_parallel");
    try {
      const results = await Promise.all([
        ...pools.map((pool) => migrate(pool, { schema })),
        ...pools.map((pool) => migrate(pool, { schema })),
      ]);
      const applied = results.flatMap((r) => r.applied);
      expect(applied).toEqual(["001_init", "002_deadlines_and_locks", "003_key_access", "004_outbox"]);
      expect((await tablesOf(pools[0]!, schema)).length).toBe(7);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it("keeps a table prefix apart from another one in the same schema", async () => {
    const pool = createPool();
    const schema = fresh("mig_prefix");
    try {
      await Promise.all([migrate(pool, { schema }), migrate(pool, { schema, tablePrefix: "kw_" })]);
      expect(await tablesOf(pool, schema)).toEqual(
        [
          "counters",
          "keys",
          "kw_counters",
          "kw_keys",
          "kw_outbox_deliveries",
          "kw_outbox_endpoints",
          "kw_outbox_events",
          "kw_schema_migrations",
          "kw_secrets",
          "outbox_deliveries",
          "outbox_endpoints",
          "outbox_events",
          "schema_migrations",
          "secrets",
        ].map((table_name) => ({ table_name })),
      );
    } finally {
      await pool.end();
    }
  });

  it("migrationScripts() gives SQL for your own tool that migrate() then recognizes", async () => {
    const pool = createPool();
    const schema = fresh("mig_scripts");
    try {
      const scripts = migrationScripts({ schema, tablePrefix: "app_" });
      expect(scripts.map((s) => s.id)).toEqual([
        "001_init",
        "002_deadlines_and_locks",
        "003_key_access",
        "004_outbox",
      ]);
      expect(scripts[0]!.sql).not.toContain("{{");
      for (const script of scripts) await pool.query(`BEGIN;\n${script.sql}\nCOMMIT;`);
      expect(await migrate(pool, { schema, tablePrefix: "app_" })).toEqual({ applied: [] });
      const store = postgresStore({ client: pool, schema, tablePrefix: "app_" });
      expect(await store.getKey("nope")).toBeNull();
    } finally {
      await pool.end();
    }
  });

  it("works with a single pg Client too (no pool): migrate, write, read", async () => {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    const schema = fresh("mig_client");
    try {
      expect(await migrate(client, { schema })).toEqual({
        applied: ["001_init", "002_deadlines_and_locks", "003_key_access", "004_outbox"],
      });
      const store = postgresStore({ client, schema });
      expect(store.invalidation).toBeUndefined(); // LISTEN needs a connection of its own
      await store.setQuota({ partition: "p", key: "q" }, { limit: 3, refill: null }, 2, 1);
      expect(
        (await store.getQuota({ partition: "p", key: "q" }, { limit: 3, refill: null }, 2)).remaining,
      ).toBe(2);
    } finally {
      await client.end();
    }
  });

  it("003_key_access upgrades a database with keys: they read with no allowlist and no last4, and still verify", async () => {
    const pool = createPool();
    const schema = fresh("mig_002");
    try {
      const [init] = migrationScripts({ schema });
      await pool.query(`BEGIN;\n${init!.sql}\nCOMMIT;`);
      const { createKeyward } = await import("@keyward/core");
      const { createHash } = await import("node:crypto");
      const token = "legacy-token-before-003";
      const hash = createHash("sha256").update(token).digest("hex");
      await pool.query(
        `INSERT INTO "${schema}".keys (id, prefix, start, created_at, updated_at) VALUES ('key_old', '', 'legacy', 1, 1)`,
      );
      await pool.query(
        `INSERT INTO "${schema}".secrets (hash, key_id, created_at) VALUES ($1, 'key_old', 1)`,
        [hash],
      );
      expect(await migrate(pool, { schema })).toEqual({
        applied: ["002_deadlines_and_locks", "003_key_access", "004_outbox"],
      });
      const store = postgresStore({ client: pool, schema, listen: false });
      expect(await store.getKey("key_old")).toMatchObject({ allowedIps: null, last4: "" });
      const keyward = createKeyward({ store, legacyTokens: true });
      expect(await keyward.verify(token)).toMatchObject({ ok: true, key: { allowedIps: null, last4: "" } });
      await keyward.close();
    } finally {
      await pool.end();
    }
  });

  it("runs on PGlite, twice", async () => {
    const db = await createPglite();
    expect(await migrate(db)).toEqual({
      applied: ["001_init", "002_deadlines_and_locks", "003_key_access", "004_outbox"],
    });
    expect(await migrate(db)).toEqual({ applied: [] });
    await db.close();
  });

  it("rejects unsafe names, bad options and unknown option names at construction", async () => {
    const pool = createPool();
    try {
      await expect(migrate(pool, { schema: 'x"; DROP TABLE y; --' })).rejects.toThrow(TypeError);
      expect(() => postgresStore({ client: pool, tablePrefix: "Bad-Prefix" })).toThrow(/tablePrefix/);
      expect(() => postgresStore({ client: {} as never })).toThrow(/client/);
      expect(() => postgresStore({ client: pool, listen: "yes" as never })).toThrow(/listen/);
      // A misspelt option is refused (it used to be a warning): never silently ignored.
      expect(() => postgresStore({ client: pool, tablePrefx: "kw_" } as never)).toThrow(
        /unknown option "tablePrefx" — did you mean "tablePrefix"\?/,
      );
    } finally {
      await pool.end();
    }
  });
});
