/**
 * The store contract suite: every `KeywardStore` runs it (memory, PostgreSQL, Redis, yours).
 * It needs no particular test runner — pass `{ describe, it, expect }`.
 *
 * @example
 * // packages/my-store/test/contract.test.ts
 * import { describe, it, expect } from "vitest";
 * import { runStoreContract } from "@keyward/core/testing";
 * runStoreContract({ describe, it, expect }, () => myStore({ client }), { invalidation: true });
 */

import { runCounterContract } from "./contract-counters.js";
import type { ContractRunner, MakeStore, StoreCapabilities } from "./contract-helpers.js";
import { runKeyContract } from "./contract-keys.js";
import { runListingContract } from "./contract-listing.js";
import { runNeverPassesContract } from "./contract-never-passes.js";
import { runOwnerContract } from "./contract-owners.js";
import { runRaceContract } from "./contract-races.js";
import { runWriteContract } from "./contract-writes.js";

export { type CounterContractCapabilities, runCounterContract } from "./contract-counters.js";
export type { ContractAssertion, ContractRunner, MakeStore, StoreCapabilities } from "./contract-helpers.js";

/**
 * Registers the whole store contract: every key operation (conflicts, rotation, rehash,
 * listing and keyset pages, usage, purge, deletion), the counter operations (rate limits and
 * quotas, exact under concurrency), races through a real `createKeyward`, and — with
 * `capabilities.invalidation` — a revoke reaching a second instance within a second.
 *
 * `makeStore` is called once per test and may return the same store each time (tests use
 * fresh random ids and owners, so they never see each other's data); the suite never closes
 * a store. With `invalidation`, two calls must give stores that share a backend and a bus.
 *
 * @param t - `{ describe, it, expect }` from your test runner
 * @param makeStore - makes (or returns) the store under test
 * @param capabilities - what the store can do beyond the baseline
 */
export function runStoreContract(
  t: ContractRunner,
  makeStore: MakeStore,
  capabilities: StoreCapabilities = {},
): void {
  t.describe("keyward store contract", () => {
    t.describe("keys", () => {
      runKeyContract(t, makeStore);
      runListingContract(t, makeStore);
    });
    t.describe("counters", () =>
      runCounterContract(
        t,
        makeStore,
        capabilities.ownClock === undefined ? {} : { ownClock: capabilities.ownClock },
      ),
    );
    t.describe("races", () => runRaceContract(t, makeStore, capabilities));
    t.describe("never passes", () => runNeverPassesContract(t, makeStore));
    t.describe("concurrent writes", () => runWriteContract(t, makeStore));
    t.describe("owners", () => runOwnerContract(t, makeStore, capabilities));
  });
}
