/**
 * Lifecycle webhooks on PostgreSQL, through a pg Pool (a schema of its own per test) and PGlite (one in-memory database, a
 * schema per test): a receiver down then up, an instance dying mid-delivery,
 * reminders and quota thresholds once each across two instances, and no secret in any outbox
 * row, webhook or log line (the scenarios of `events-store-scenarios.ts`). The CLI's view of
 * the same (`keyward status`, `events retry`) runs in packages/cli/test/events-recovery.test.ts.
 */
import type { PGlite } from "@electric-sql/pglite";
import { afterAll } from "vitest";
import { runWebhookStoreScenarios } from "../../core/test/events-store-scenarios.js";
import { migrate, postgresStore } from "../src/index.js";
import { createPglite, createPool, dropSchema, randomSchema } from "./helpers.js";

type Queryable = { query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> };

/** Every row of every outbox table in `schema`, as JSON text. */
async function dumpOutbox(db: Queryable, schema: string): Promise<string> {
  const { rows: tables } = await db.query(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name LIKE '%outbox%' ORDER BY 1",
    [schema],
  );
  const parts: string[] = [];
  for (const { table_name: table } of tables) {
    const { rows } = await db.query(`SELECT to_jsonb(t)::text AS row FROM "${schema}"."${String(table)}" t`);
    parts.push(`${String(table)}: ${rows.map((r) => String(r.row)).join("\n")}`);
  }
  if (tables.length !== 3) throw new Error(`expected the three outbox tables, found ${tables.length}`);
  return parts.join("\n");
}

runWebhookStoreScenarios("PostgreSQL (pg Pool)", async () => {
  const schema = randomSchema("webhooks");
  const pool = createPool({ max: 8 });
  await migrate(pool, { schema });
  return {
    make: () => postgresStore({ client: pool, schema, listen: false }),
    dumpOutbox: () => dumpOutbox(pool, schema),
    async close() {
      await pool.end();
      await dropSchema(schema);
    },
  };
});

// One PGlite for the file (starting one takes seconds), a schema of its own per test.
let pglite: Promise<PGlite> | undefined;
afterAll(async () => (await pglite)?.close());

runWebhookStoreScenarios("PGlite", async () => {
  pglite ??= createPglite();
  const db = await pglite;
  const schema = randomSchema("webhooks");
  await migrate(db, { schema });
  return {
    make: () => postgresStore({ client: db, schema, listen: false }),
    dumpOutbox: () => dumpOutbox(db as unknown as Queryable, schema),
    close: async () => void (await db.query(`DROP SCHEMA "${schema}" CASCADE`)),
  };
});
