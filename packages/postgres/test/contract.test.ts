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
  // One in-memory database and one store for the whole file. The promise is kept, not the
  // store: the invalidation cases call make() twice at once, and both calls must get the same
  // database (two databases share no bus, so a case run alone used to fail).
  let ready: Promise<PostgresStore> | undefined;
  const make = () =>
    (ready ??= (async () => {
      const db = await createPglite();
      await migrate(db, { schema });
      const store = postgresStore({ client: db, schema });
      stores.push(store);
      return store;
    })());
  runStoreContract({ describe, it, expect }, make, { invalidation: true });
});
