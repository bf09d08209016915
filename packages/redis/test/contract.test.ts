import { randomBytes } from "node:crypto";
import { composeStores, type KeywardStore, memoryStore } from "@keyward/core";
import { runStoreContract } from "@keyward/core/testing";
import { migrate, postgresStore } from "@keyward/postgres";
import type { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisCounters, redisInvalidation, redisStore } from "../src/index.js";
import { connect, deletePrefix, randomPrefix } from "./helpers.js";

// The store contract against the Redis on this machine, in whole-store mode and in
// limits-only mode beside the memory and the PostgreSQL key stores. Each mode has its own
// random prefix (and schema); everything is deleted afterwards.
const wholePrefix = randomPrefix("contract-whole");
const memoryPrefix = randomPrefix("contract-memory");
const postgresPrefix = randomPrefix("contract-pg");
const schema = `kw_redis_contract_${randomBytes(4).toString("hex")}`;
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
  max: 10,
});
let clients: Redis[] = [];
const opened: KeywardStore[] = [];

beforeAll(async () => {
  clients = [await connect(), await connect()];
  await migrate(pool, { schema });
});
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close?.()));
  for (const prefix of [wholePrefix, memoryPrefix, postgresPrefix]) await deletePrefix(clients[0]!, prefix);
  await Promise.all(clients.map((client) => client.quit()));
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
});

const t = { describe, it, expect };

describe("whole-store mode: redisStore", () => {
  // Each call makes another store on alternating connections: two calls are two instances
  // sharing one Redis and one channel, as the invalidation cases need.
  let calls = 0;
  const make = () => {
    const store = redisStore({ client: clients[calls++ % 2]!, prefix: wholePrefix });
    opened.push(store);
    return store;
  };
  runStoreContract(t, make, { ownClock: true, invalidation: true });
});

describe("limits-only mode beside the memory key store", () => {
  let store: KeywardStore | undefined;
  const make = () => {
    if (!store) {
      store = composeStores({
        keys: memoryStore(),
        counters: redisCounters({ client: clients[0]!, prefix: memoryPrefix }),
        invalidation: redisInvalidation({ client: clients[0]!, prefix: memoryPrefix }),
      });
      opened.push(store);
    }
    return store;
  };
  runStoreContract(t, make, { ownClock: true });
});

describe("limits-only mode beside the PostgreSQL key store", () => {
  // Two calls are two instances: keys shared in PostgreSQL, counters and the bus in Redis.
  let calls = 0;
  const make = () => {
    const client = clients[calls++ % 2]!;
    const store = composeStores({
      keys: postgresStore({ client: pool, schema }),
      counters: redisCounters({ client, prefix: postgresPrefix }),
      invalidation: redisInvalidation({ client, prefix: postgresPrefix }),
    });
    opened.push(store);
    return store;
  };
  runStoreContract(t, make, { ownClock: true, invalidation: true });
});
