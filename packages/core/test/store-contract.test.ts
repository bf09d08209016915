import { composeStores, memoryStore } from "@keyward/core";
import { runStoreContract } from "@keyward/core/testing";
import { describe, expect, it } from "vitest";

describe("memoryStore()", () => {
  runStoreContract({ describe, it, expect }, () => memoryStore());
});

// One key store shared by every test, as a PostgreSQL or Redis backend would be: the key half
// must isolate its tests by fresh ids and owners. Counters stay per test, because the memory
// counter store follows the latest `now` it was given and the counter cases inject their own.
describe("memory key store shared across tests", () => {
  const shared = memoryStore();
  runStoreContract({ describe, it, expect }, () => composeStores({ keys: shared, counters: memoryStore() }));
});
