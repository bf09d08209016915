/**
 * The time-dependent cases of the counter contract: exact boundaries with the request's clock,
 * or real 1-second windows for stores with their own clock. Registered by `runCounterContract`.
 */
import type { ConsumeRequest, ConsumeResult, CounterStore, LimitRequest, QuotaRef } from "../store/types.js";
import type { QuotaConfig, RateLimitAlgorithm } from "../types.js";
import type { ContractTestApi } from "./contract-counters.js";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One limit of a consume request. */
export const limit = (
  key: string,
  algorithm: RateLimitAlgorithm,
  max: number,
  window: number,
  cost = 1,
): LimitRequest => ({
  key,
  algorithm,
  limit: max,
  window,
  cost,
});

/** What each case gets: the store, its own random names, a consume shortcut, its quota ref. */
export type Setup = () => Promise<{
  store: CounterStore;
  s: { partition: string; limit: (name: string) => string; quota: string };
  consume: (
    now: number,
    limits: readonly LimitRequest[],
    quota?: ConsumeRequest["quota"],
  ) => Promise<ConsumeResult>;
  ref: QuotaRef;
}>;

/** Roll-over, refill and retry-after at the exact millisecond, with the request's clock. */
export function registerBoundaryCases({ it, expect }: ContractTestApi, setup: Setup, base: number): void {
  const expectLimit = (
    r: ConsumeResult,
    allowed: boolean,
    remaining: number,
    resetMs: number,
    retryAfterMs = 0,
  ) => expect(r.limits[0]).toEqual({ allowed, remaining, resetMs, retryAfterMs });

  it("fixed-window: rolls over exactly at the window boundary", async () => {
    const { s, consume } = await setup();
    const request = [limit(s.limit("default"), "fixed-window", 2, 1_000)];
    expectLimit(await consume(base + 500, request), true, 1, 500);
    expectLimit(await consume(base + 500, request), true, 0, 500);
    expectLimit(await consume(base + 999, request), false, 0, 1, 1);
    expectLimit(await consume(base + 1_000, request), true, 1, 1_000);
    expectLimit(await consume(base + 1_001, request), true, 0, 999);
    expectLimit(await consume(base + 1_002, request), false, 0, 998, 998);
  });

  it("sliding-window: the previous window decays to the millisecond", async () => {
    const { s, consume } = await setup();
    const at = (cost: number) => [limit(s.limit("default"), "sliding-window", 10, 1_000, cost)];
    expectLimit(await consume(base, at(10)), true, 0, 2_000);
    expectLimit(await consume(base + 999, at(1)), false, 0, 1_001, 101);
    expectLimit(await consume(base + 1_000, at(1)), false, 0, 1_000, 100);
    expectLimit(await consume(base + 1_099, at(1)), false, 0, 901, 1);
    expectLimit(await consume(base + 1_100, at(1)), true, 0, 1_900);
    expectLimit(await consume(base + 1_101, at(1)), false, 0, 1_899, 99);
    expectLimit(await consume(base + 1_199, at(1)), false, 0, 1_801, 1);
    expectLimit(await consume(base + 1_200, at(1)), true, 0, 1_800);
    // Next window: the 2 units become the previous window's count.
    expectLimit(await consume(base + 2_000, at(9)), false, 8, 1_000, 500);
    expectLimit(await consume(base + 2_000, at(8)), true, 0, 2_000);
    // Two windows later nothing is left of it.
    expectLimit(await consume(base + 4_000, at(10)), true, 0, 2_000);
  });

  it("token-bucket: refills one token per window/limit ms", async () => {
    const { s, consume } = await setup();
    const at = (cost: number) => [limit(s.limit("default"), "token-bucket", 10, 1_000, cost)];
    expectLimit(await consume(base, at(10)), true, 0, 1_000);
    expectLimit(await consume(base + 99, at(1)), false, 0, 901, 1);
    expectLimit(await consume(base + 100, at(1)), true, 0, 1_000);
    expectLimit(await consume(base + 350, at(3)), false, 2, 750, 50);
    expectLimit(await consume(base + 350, at(2)), true, 0, 950);
    expectLimit(await consume(base + 5_000, at(10)), true, 0, 1_000);
  });

  it("quota: the refill replaces the balance exactly at the interval", async () => {
    const { store, s, consume, ref } = await setup();
    const config: QuotaConfig = { limit: 5, refill: { interval: 1_000, amount: 3 } };
    const quota = { key: s.quota, config, cost: 1 };
    await store.setQuota(ref, config, 2, base);
    expect((await consume(base + 10, [], quota)).quota).toEqual({
      allowed: true,
      remaining: 1,
      refillAt: base + 1_000,
    });
    expect((await consume(base + 20, [], quota)).quota?.remaining).toBe(0);
    expect((await consume(base + 999, [], quota)).quota).toEqual({
      allowed: false,
      remaining: 0,
      refillAt: base + 1_000,
    });
    expect((await consume(base + 1_000, [], quota)).quota).toEqual({
      allowed: true,
      remaining: 2,
      refillAt: base + 2_000,
    });
    await store.setQuota(ref, config, 100, base + 1_500);
    expect(await store.getQuota(ref, config, base + 2_499)).toEqual({
      allowed: true,
      remaining: 100,
      refillAt: base + 2_500,
    });
    expect(await store.getQuota(ref, config, base + 2_500)).toEqual({
      allowed: true,
      remaining: 3,
      refillAt: base + 3_500,
    });
    // Missed periods are skipped, not accumulated.
    expect((await consume(base + 5_600, [], quota)).quota).toEqual({
      allowed: true,
      remaining: 2,
      refillAt: base + 6_500,
    });
  });
}

/** For stores with their own clock: real 1-second windows, waiting for the announced retry time. */
export function registerRealTimeCases({ it, expect }: ContractTestApi, setup: Setup): void {
  const untilRejected = async (call: () => Promise<ConsumeResult>): Promise<ConsumeResult> => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const r = await call();
      if (!r.allowed) return r;
    }
    throw new Error("counter contract: a 1-per-second limit admitted 5 calls in a row");
  };

  for (const [algorithm, maxWait] of [
    ["fixed-window", 1_000],
    ["sliding-window", 2_000],
    ["token-bucket", 1_000],
  ] as const) {
    it(`${algorithm}: a rejected call passes once retryAfterMs has elapsed (real clock)`, async () => {
      const { s, consume } = await setup();
      const request = [limit(s.limit("default"), algorithm, 1, 1_000)];
      const rejected = await untilRejected(() => consume(Date.now(), request));
      const wait = rejected.limits[0]!.retryAfterMs;
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(maxWait);
      await sleep(wait + 30);
      expect((await consume(Date.now(), request)).allowed).toBe(true);
    }, 15_000);
  }

  it("quota: refills when refillAt is reached (real clock)", async () => {
    const { store, s, consume, ref } = await setup();
    const config: QuotaConfig = { limit: 2, refill: { interval: 1_000, amount: 2 } };
    await store.setQuota(ref, config, 0, Date.now());
    const rejected = await consume(Date.now(), [], { key: s.quota, config, cost: 1 });
    expect(rejected.allowed).toBe(false);
    const wait = rejected.quota!.refillAt! - rejected.now;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1_000);
    await sleep(wait + 30);
    const after = await consume(Date.now(), [], { key: s.quota, config, cost: 1 });
    expect(after.quota?.allowed).toBe(true);
    expect(after.quota?.remaining).toBe(1);
  }, 15_000);
}
