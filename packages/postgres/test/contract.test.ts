import * as testing from "@keyward/core/testing";
import { runStoreContract } from "@keyward/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, type PostgresStore, postgresStore } from "../src/index.js";
import { createPglite, createPool, dropSchema, randomSchema } from "./helpers.js";

// The whole store contract, against the real PostgreSQL (pg Pool, with LISTEN/NOTIFY) and
// against an in-memory PGlite.
const schema = randomSchema("contract");
const pool = createPool({ max: 20 });
const stores: PostgresStore[] = [];

beforeAll(async () => {
  await migrate(pool, { schema });
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await pool.end();
  await dropSchema(schema);
});

// Until runStoreContract includes the counter half, run it beside it.
const runCounters = (testing as Record<string, unknown>).runCounterContract as
  | ((t: unknown, make: () => unknown, capabilities?: object) => void)
  | undefined;

describe("postgres store on a pg Pool", () => {
  // Each call gives a new store (its own bus subscription) on the shared schema, like two instances.
  const make = () => {
    const store = postgresStore({ client: pool, schema });
    stores.push(store);
    return store;
  };
  runStoreContract({ describe, it, expect }, make, { invalidation: true });
  runCounters?.({ describe, it, expect }, make);
});

describe("postgres store on PGlite", () => {
  let store: PostgresStore | undefined;
  const make = async () => {
    if (store) return store;
    const db = await createPglite();
    await migrate(db, { schema });
    store = postgresStore({ client: db, schema });
    stores.push(store);
    return store;
  };
  runStoreContract({ describe, it, expect }, make, { invalidation: true });
  runCounters?.({ describe, it, expect }, make);
});
