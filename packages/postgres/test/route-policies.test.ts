/**
 * Route policies counted in PostgreSQL, through every adapter: a router's per-key budget, a
 * route policy and a key limit refusing all-or-nothing, a per-owner counter — each exact under
 * 200 parallel requests. Each adapter gets a schema of its own.
 */
import { runRoutePolicyConformance } from "@keyward/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_ADAPTERS } from "../../next/test/adapters.js";
import { migrate, type PostgresStore, postgresStore } from "../src/index.js";
import { createPool, dropSchema, randomSchema } from "./helpers.js";

const pool = createPool({ max: 20 });
const schemas: string[] = [];
const stores: PostgresStore[] = [];

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await pool.end();
  await Promise.all(schemas.map(dropSchema));
});

for (const [name, createApp] of ALL_ADAPTERS) {
  describe(`${name} on PostgreSQL`, () => {
    const store = async () => {
      const schema = randomSchema("routes");
      schemas.push(schema);
      await migrate(pool, { schema });
      const opened = postgresStore({ client: pool, schema });
      stores.push(opened);
      return opened;
    };
    runRoutePolicyConformance({ describe, it, expect, beforeAll, afterAll }, createApp, { store });
  });
}
