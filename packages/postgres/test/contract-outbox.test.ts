/**
 * The outbox contract (`runOutboxContract`) on PostgreSQL through every client kind the store
 * knows: a pg Pool (named prepared statements), PGlite, and postgres.js. Each has an outbox of
 * its own (a fresh schema, or a fresh PGlite), since `lease` sees every delivery of it.
 */

import type { PGlite } from "@electric-sql/pglite";
import { runOutboxContract } from "@keyward/core/testing";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, postgresJsClient, postgresStore } from "../src/index.js";
import { createPglite, createPool, DATABASE_URL, dropSchema, randomSchema } from "./helpers.js";

const t = { describe, it, expect };
const schemas = { pool: randomSchema("outbox_pool"), pgjs: randomSchema("outbox_pgjs") };
const pool = createPool({ max: 12 });
const sql = postgres(DATABASE_URL, { max: 6, onnotice: () => {} });
let pglite: PGlite;

beforeAll(async () => {
  pglite = await createPglite();
  await Promise.all([
    migrate(pool, { schema: schemas.pool }),
    migrate(postgresJsClient(sql), { schema: schemas.pgjs }),
    migrate(pglite, { tablePrefix: "kw_" }),
  ]);
});
afterAll(async () => {
  await pool.end();
  await sql.end({ timeout: 5 });
  await pglite.close();
  await Promise.all(Object.values(schemas).map(dropSchema));
});

describe("postgres outbox on a pg Pool", () => {
  runOutboxContract(t, () => postgresStore({ client: pool, schema: schemas.pool, listen: false }));
});

describe("postgres outbox on PGlite", () => {
  runOutboxContract(t, () => postgresStore({ client: pglite, tablePrefix: "kw_", listen: false }));
});

describe("postgres outbox on postgres.js", () => {
  runOutboxContract(t, () =>
    postgresStore({ client: postgresJsClient(sql), schema: schemas.pgjs, listen: false }),
  );
});
