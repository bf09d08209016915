/**
 * The counter half of the store contract: atomic, all-or-nothing rate limits and quotas.
 * `runStoreContract()` includes it; a store that only keeps counters (e.g. Redis in
 * limits-only mode) can run it alone. It imports no test framework: pass yours in.
 */
import { RATE_LIMIT_ALGORITHMS } from "../ratelimit/names.js";
import type { ConsumeRequest, ConsumeResult, CounterStore, LimitRequest, QuotaRef } from "../store/types.js";
import type { QuotaConfig } from "../types.js";
import { limit, registerBoundaryCases, registerRealTimeCases } from "./contract-counters-time.js";

/** The matchers the suite uses (Vitest's and Jest's `expect` fit). */
export interface ContractMatchers {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toBeGreaterThan(expected: number): void;
  toBeLessThanOrEqual(expected: number): void;
}

/** The test functions the suite registers its cases with: `{ describe, it, expect }` from Vitest. */
export interface ContractTestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>, timeout?: number): void;
  expect(actual: unknown): ContractMatchers;
}

/** What a store can do differently from the memory store. */
export interface CounterContractCapabilities {
  /**
   * The store ignores `request.now` and uses its own clock (e.g. Redis `TIME`). Cases that
   * need an exact injected time are then replaced by ones with real 1-second windows and
   * bounded waits.
   * @defaultValue false
   */
  ownClock?: boolean;
}

const DAY = 86_400_000;

const countAllowed = (results: readonly ConsumeResult[]): number => results.filter((r) => r.allowed).length;

/** A fresh, random partition and counter names for one case, so a shared server can run it. */
function scope() {
  const id = globalThis.crypto.randomUUID();
  return {
    partition: `contract-${id}`,
    limit: (name: string) => `k:${id}:${name}`,
    quota: `q:${id}`,
  };
}

/**
 * Registers the counter contract cases.
 *
 * @param t - `{ describe, it, expect }` from the test framework
 * @param makeStore - called once per case; may return one shared store (every case uses its
 *   own random partition and counter names)
 * @param capabilities - see {@link CounterContractCapabilities}
 *
 * @example
 * import { describe, it, expect } from "vitest";
 * import { runCounterContract } from "@keyward/core/testing";
 * runCounterContract({ describe, it, expect }, () => store, { ownClock: true });
 */
export function runCounterContract(
  t: ContractTestApi,
  makeStore: () => Promise<CounterStore> | CounterStore,
  capabilities: CounterContractCapabilities = {},
): void {
  const { describe, it, expect } = t;
  const ownClock = capabilities.ownClock === true;
  // Aligned to a day, so every window used below starts exactly at `base`.
  const base = Math.floor(Date.now() / DAY) * DAY;
  const nowFor = (offset: number) => (ownClock ? Date.now() : base + offset);

  const setup = async () => {
    const store = await makeStore();
    const s = scope();
    const consume = (
      now: number,
      limits: readonly LimitRequest[],
      quota: ConsumeRequest["quota"] = null,
    ): Promise<ConsumeResult> => store.consume({ partition: s.partition, now, limits, quota });
    const ref: QuotaRef = { partition: s.partition, key: s.quota };
    return { store, s, consume, ref };
  };

  describe("counter store contract", () => {
    for (const algorithm of RATE_LIMIT_ALGORITHMS) {
      it(`${algorithm}: 200 parallel calls against a limit of 50 admit exactly 50`, async () => {
        const { s, consume } = await setup();
        const request = [limit(s.limit("default"), algorithm, 50, DAY)];
        const now = nowFor(5_000);
        const results = await Promise.all(Array.from({ length: 200 }, () => consume(now, request)));
        expect(countAllowed(results)).toBe(50);
        for (const r of results) {
          expect(r.limits.length).toBe(1);
          expect(r.limits[0]!.allowed).toBe(r.allowed);
          if (r.allowed) expect(r.limits[0]!.retryAfterMs).toBe(0);
          else expect(r.limits[0]!.retryAfterMs).toBeGreaterThan(0);
        }
        if (!ownClock) {
          const remaining = results.filter((r) => r.allowed).map((r) => r.limits[0]!.remaining);
          expect(remaining.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
          expect(results.every((r) => r.now === now)).toBe(true);
        }
      });

      it(`${algorithm}: cost is charged in full or not at all`, async () => {
        const { s, consume } = await setup();
        const now = nowFor(5_000);
        const at = (cost: number) => [limit(s.limit("default"), algorithm, 10, DAY, cost)];
        expect((await consume(now, at(4))).limits[0]!.remaining).toBe(6);
        expect((await consume(now, at(4))).limits[0]!.remaining).toBe(2);
        const rejected = await consume(now, at(4));
        expect(rejected.allowed).toBe(false);
        expect(rejected.limits[0]!.remaining).toBe(2);
        expect(rejected.limits[0]!.retryAfterMs).toBeGreaterThan(0);
        const tooBig = await consume(now, at(11));
        expect(tooBig.allowed).toBe(false);
        expect(tooBig.limits[0]!.retryAfterMs).toBeGreaterThan(0);
        const rest = await consume(now, at(2));
        expect(rest.allowed).toBe(true);
        expect(rest.limits[0]!.remaining).toBe(0);
      });

      it(`${algorithm}: a call rejected by the quota consumes no limit`, async () => {
        const { store, s, consume, ref } = await setup();
        const config: QuotaConfig = { limit: 1, refill: null };
        await store.setQuota(ref, config, 1, nowFor(0));
        const request = [limit(s.limit("default"), algorithm, 3, DAY)];
        const quota = { key: s.quota, config, cost: 1 };
        expect((await consume(nowFor(5_000), request, quota)).allowed).toBe(true);
        const rejected = await consume(nowFor(5_000), request, quota);
        expect(rejected.allowed).toBe(false);
        expect(rejected.limits[0]!.allowed).toBe(true);
        expect(rejected.quota).toEqual({ allowed: false, remaining: 0, refillAt: null });
        const next = await consume(nowFor(5_000), request);
        expect(next.allowed).toBe(true);
        expect(next.limits[0]!.remaining).toBe(1);
      });
    }

    it("a quota of 30 admits exactly 30 of 100 parallel calls, alone and behind a limit", async () => {
      const { store, s, consume, ref } = await setup();
      const config: QuotaConfig = { limit: 30, refill: null };
      const quota = { key: s.quota, config, cost: 1 };
      const now = nowFor(5_000);
      const alone = await Promise.all(Array.from({ length: 100 }, () => consume(now, [], quota)));
      expect(countAllowed(alone)).toBe(30);
      expect((await store.getQuota(ref, config, now)).remaining).toBe(0);

      await store.setQuota(ref, config, 30, now);
      const request = [limit(s.limit("default"), "fixed-window", 1000, DAY)];
      const behind = await Promise.all(Array.from({ length: 100 }, () => consume(now, request, quota)));
      expect(countAllowed(behind)).toBe(30);
      const after = await consume(now, request);
      expect(after.limits[0]!.remaining).toBe(1000 - 31);
    });

    for (const rejecting of ["first", "last"] as const) {
      it(`named limits are all-or-nothing (rejecting limit listed ${rejecting})`, async () => {
        const { store, s, consume, ref } = await setup();
        const config: QuotaConfig = { limit: 100, refill: null };
        const quota = { key: s.quota, config, cost: 1 };
        const wide = limit(s.limit("wide"), "sliding-window", 5, DAY);
        const narrow = limit(s.limit("narrow"), "fixed-window", 2, DAY);
        const request = rejecting === "first" ? [narrow, wide] : [wide, narrow];
        const at = rejecting === "first" ? { narrow: 0, wide: 1 } : { narrow: 1, wide: 0 };
        const now = nowFor(5_000);
        expect((await consume(now, request, quota)).allowed).toBe(true);
        expect((await consume(now, request, quota)).allowed).toBe(true);
        const rejected = await consume(now, request, quota);
        expect(rejected.allowed).toBe(false);
        expect(rejected.limits[at.narrow]!.allowed).toBe(false);
        expect(rejected.limits[at.wide]!.allowed).toBe(true);
        expect(rejected.limits[at.wide]!.remaining).toBe(3);
        expect(rejected.quota?.remaining).toBe(98);
        expect((await store.getQuota(ref, config, now)).remaining).toBe(98);
        const wideOnly = await Promise.all(Array.from({ length: 5 }, () => consume(now, [wide])));
        expect(countAllowed(wideOnly)).toBe(3);
      });
    }

    it("a call rejected by a limit leaves the quota untouched", async () => {
      const { store, s, consume, ref } = await setup();
      const config: QuotaConfig = { limit: 10, refill: null };
      const quota = { key: s.quota, config, cost: 1 };
      const request = [limit(s.limit("default"), "fixed-window", 1, DAY)];
      const now = nowFor(5_000);
      expect((await consume(now, request, quota)).quota?.remaining).toBe(9);
      const rejected = await Promise.all(Array.from({ length: 20 }, () => consume(now, request, quota)));
      expect(countAllowed(rejected)).toBe(0);
      expect(rejected[0]!.quota).toEqual({ allowed: true, remaining: 9, refillAt: null });
      expect((await store.getQuota(ref, config, now)).remaining).toBe(9);
    });

    it("a quota charges cost in full or not at all", async () => {
      const { consume, s } = await setup();
      const quota = (cost: number) => ({ key: s.quota, config: { limit: 10, refill: null }, cost });
      const now = nowFor(5_000);
      expect((await consume(now, [], quota(4))).quota?.remaining).toBe(6);
      expect((await consume(now, [], quota(4))).quota?.remaining).toBe(2);
      expect((await consume(now, [], quota(4))).quota).toEqual({
        allowed: false,
        remaining: 2,
        refillAt: null,
      });
      expect((await consume(now, [], quota(2))).quota).toEqual({
        allowed: true,
        remaining: 0,
        refillAt: null,
      });
    });

    it("getQuota, setQuota and clearCounters", async () => {
      const { store, s, consume, ref } = await setup();
      const plain: QuotaConfig = { limit: 7, refill: null };
      const refilled: QuotaConfig = { limit: 7, refill: { interval: 60_000, amount: 7 } };
      const before = Date.now();
      expect(await store.getQuota(ref, plain, nowFor(0))).toEqual({
        allowed: true,
        remaining: 7,
        refillAt: null,
      });
      const unseen = await store.getQuota(ref, refilled, nowFor(0));
      expect(unseen.remaining).toBe(7);
      if (ownClock) {
        expect(unseen.refillAt! - (before + 60_000)).toBeGreaterThan(-1_000);
        expect(unseen.refillAt! - (Date.now() + 60_000)).toBeLessThanOrEqual(1_000);
      } else expect(unseen.refillAt).toBe(base + 60_000);

      await store.setQuota(ref, plain, 3, nowFor(0));
      expect((await store.getQuota(ref, plain, nowFor(0))).remaining).toBe(3);
      await store.setQuota(ref, plain, 0, nowFor(0));
      expect(await store.getQuota(ref, plain, nowFor(0))).toEqual({
        allowed: false,
        remaining: 0,
        refillAt: null,
      });

      const request = [limit(s.limit("default"), "fixed-window", 1, DAY)];
      const other = [limit(s.limit("other"), "fixed-window", 1, DAY)];
      expect((await consume(nowFor(5_000), request)).allowed).toBe(true);
      expect((await consume(nowFor(5_000), other)).allowed).toBe(true);
      expect((await consume(nowFor(5_000), request)).allowed).toBe(false);
      await store.clearCounters(s.partition, [s.limit("default"), s.quota]);
      expect((await consume(nowFor(5_000), request)).allowed).toBe(true);
      expect((await consume(nowFor(5_000), other)).allowed).toBe(false);
      expect((await store.getQuota(ref, plain, nowFor(5_000))).remaining).toBe(7);
    });

    it("partitions and counter names are isolated", async () => {
      const { store, s, consume } = await setup();
      const otherPartition = scope().partition;
      const request = [limit(s.limit("default"), "fixed-window", 2, DAY)];
      const now = nowFor(5_000);
      await Promise.all([consume(now, request), consume(now, request), consume(now, request)]);
      expect((await consume(now, request)).allowed).toBe(false);
      const elsewhere = await store.consume({ partition: otherPartition, now, limits: request, quota: null });
      expect(elsewhere.limits[0]!.remaining).toBe(1);
      const sibling = await consume(now, [limit(s.limit("sibling"), "fixed-window", 2, DAY)]);
      expect(sibling.limits[0]!.remaining).toBe(1);
      const quota = { key: s.quota, config: { limit: 1, refill: null }, cost: 1 };
      expect((await consume(now, [], quota)).allowed).toBe(true);
      const otherQuota = await store.consume({ partition: otherPartition, now, limits: [], quota });
      expect(otherQuota.allowed).toBe(true);
    });

    if (ownClock) registerRealTimeCases(t, setup);
    else registerBoundaryCases(t, setup, base);
  });
}
