import { composeStores, type KeywardStore, memoryStore } from "@keyward/core";
import { runStoreContract } from "@keyward/core/testing";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisCounters, redisInvalidation, redisStore } from "../src/index.js";
import { connect, deletePrefix, randomPrefix } from "./helpers.js";

// The store contract against the Redis on this machine, in both modes. Each mode has its own
// random prefix; everything under it is deleted afterwards.
const wholePrefix = randomPrefix("contract-whole");
const limitsPrefix = randomPrefix("contract-limits");
let clients: Redis[] = [];
const opened: KeywardStore[] = [];

beforeAll(async () => {
  clients = [await connect(), await connect()];
});
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close?.()));
  await deletePrefix(clients[0]!, wholePrefix);
  await deletePrefix(clients[0]!, limitsPrefix);
  await Promise.all(clients.map((client) => client.quit()));
});

describe("whole-store mode: redisStore", () => {
  // Each call makes another store on alternating connections: two calls are two instances
  // sharing one Redis and one channel, as the invalidation cases need.
  let calls = 0;
  runStoreContract(
    { describe, it, expect },
    () => {
      const store = redisStore({ client: clients[calls++ % 2]!, prefix: wholePrefix });
      opened.push(store);
      return store;
    },
    { ownClock: true, invalidation: true },
  );
});

describe("limits-only mode: memory keys + redisCounters + redisInvalidation", () => {
  let store: KeywardStore | undefined;
  runStoreContract(
    { describe, it, expect },
    () => {
      if (!store) {
        store = composeStores({
          keys: memoryStore(),
          counters: redisCounters({ client: clients[0]!, prefix: limitsPrefix }),
          invalidation: redisInvalidation({ client: clients[0]!, prefix: limitsPrefix }),
        });
        opened.push(store);
      }
      return store;
    },
    { ownClock: true },
  );
});
