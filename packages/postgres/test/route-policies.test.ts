/**
 * Route policies counted in PostgreSQL, through every adapter: a router's per-key budget, a
 * route policy and a key limit refusing all-or-nothing, a per-owner counter — each exact under
 * 200 parallel requests. Each adapter gets a schema of its own.
 */
import { type CreateConformanceApp, runRoutePolicyConformance } from "@keyward/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { express4App, expressApp } from "../../express/test/app.js";
import { fastifyApp } from "../../fastify/test/app.js";
import { nextApp } from "../../next/test/app.js";
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

const adapters: [string, CreateConformanceApp][] = [
  ["Express 5", expressApp()],
  ["Express 4", express4App()],
  ["Fastify 5", fastifyApp],
  ["Next", nextApp],
];

for (const [name, createApp] of adapters) {
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
