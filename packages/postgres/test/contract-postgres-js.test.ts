/**
 * The whole store contract on postgres.js (`postgres`), through `postgresJsClient()`: the
 * migration in a `sql.begin()` transaction, every statement through `sql.unsafe()`, and
 * cross-instance invalidation through postgres.js' own `sql.listen()`.
 */
import { runStoreContract } from "@keyward/core/testing";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, type PostgresStore, postgresJsClient, postgresStore } from "../src/index.js";
import { DATABASE_URL, dropSchema, randomSchema } from "./helpers.js";

const schema = randomSchema("contract_pgjs");
const sql = postgres(DATABASE_URL, { max: 10, onnotice: () => {} });
const client = postgresJsClient(sql);
const stores: PostgresStore[] = [];

beforeAll(async () => {
  const result = await migrate(client, { schema });
  expect(result.applied.length).toBeGreaterThan(0);
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await sql.end({ timeout: 5 });
  await dropSchema(schema);
});

describe("postgres store on postgres.js", () => {
  // Each call is another store on the shared schema and its own listener, like two instances.
  const make = () => {
    const store = postgresStore({ client, schema });
    stores.push(store);
    return store;
  };
  runStoreContract({ describe, it, expect }, make, { invalidation: true });
});

describe("postgresJsClient", () => {
  it("refuses anything but a postgres.js instance, naming the argument", () => {
    // @ts-expect-error a pg-style client is not a postgres.js sql
    expect(() => postgresJsClient({ query: async () => ({ rows: [] }) })).toThrow(/"sql"/);
  });

  it("rolls a failed migration transaction back", async () => {
    const tx = postgresJsClient(sql);
    const table = `${schema}.rollback_probe`;
    await expect(
      tx.transaction(async (db) => {
        await db.exec(`CREATE TABLE ${table} (id int); SELECT 1;`);
        await db.query("SELECT $1::int / 0", [1]);
      }),
    ).rejects.toThrow(/division by zero/);
    const { rows } = await tx.query("SELECT to_regclass($1) AS found", [table]);
    expect(rows[0]?.found).toBeNull();
  });
});
