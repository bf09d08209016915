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

describe("postgres store on a pg Pool", () => {
  // Each call gives a new store (its own bus subscription) on the shared schema, like two instances.
  const make = () => {
    const store = postgresStore({ client: pool, schema });
    stores.push(store);
    return store;
  };
  runStoreContract({ describe, it, expect }, make, { invalidation: true });
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
});
