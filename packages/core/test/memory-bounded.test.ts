import { describe, expect, it } from "vitest";
import { RATE_LIMIT_ALGORITHMS } from "../src/ratelimit/names.js";
import { createMemoryCounterStore } from "../src/store/memory/counters.js";
import type { LimitRequest } from "../src/store/types.js";

const KEYS = 1_000_000;
const WINDOW = 60_000;
const T0 = 1_700_000_000_000;

describe("memory counter store: bounded memory", () => {
  it("reclaims the state of 1,000,000 idle keys", async () => {
    const store = createMemoryCounterStore({ sweepInterval: 0 });
    const algorithms = RATE_LIMIT_ALGORITHMS;
    for (let i = 0; i < KEYS; i++) {
      const limit: LimitRequest = {
        key: `k:key_${i}:default`,
        algorithm: algorithms[i % algorithms.length]!,
        limit: 10,
        window: WINDOW,
        cost: 1,
      };
      const result = await store.consume({
        partition: `key_${i}`,
        now: T0 + (i % 1_000),
        limits: [limit],
        quota: null,
      });
      if (!result.allowed) throw new Error(`call ${i} was rejected`);
    }
    // Calls reclaim incrementally, but nothing is idle yet: every key is still in its window.
    expect(store.size()).toBe(KEYS);

    // Quotas are balances and must survive; a few keys stay busy.
    const quota = { key: "q:busy", config: { limit: 5, refill: null }, cost: 1 };
    await store.consume({ partition: "busy", now: T0 + 2 * WINDOW, limits: [], quota });

    // Past every window (sliding keeps the previous one: 2 windows, plus the clock slack).
    store.sweep(T0 + 3 * WINDOW);
    expect(store.size()).toBe(1);
    expect(
      (await store.getQuota({ partition: "busy", key: "q:busy" }, quota.config, T0 + 3 * WINDOW)).remaining,
    ).toBe(4);
    store.close();
  }, 60_000);

  it("calls alone keep the store bounded under a stream of new keys", async () => {
    const store = createMemoryCounterStore({ sweepInterval: 0 });
    const window = 1_000;
    const perMs = 50;
    let peak = 0;
    // 400,000 keys, one call each, 50 new keys per ms, never seen again.
    for (let i = 0; i < 400_000; i++) {
      const limit: LimitRequest = {
        key: `k:${i}:default`,
        algorithm: "fixed-window",
        limit: 1,
        window,
        cost: 1,
      };
      await store.consume({
        partition: String(i),
        now: T0 + Math.floor(i / perMs),
        limits: [limit],
        quota: null,
      });
      peak = Math.max(peak, store.size());
    }
    // A key may be dropped 2 s after its window started (window end + clock slack), so about
    // 100,000 are legitimately live; the two entries each call examines keep the store within
    // twice that, whatever the number of keys seen.
    const live = 2 * window * perMs;
    expect(peak).toBeLessThanOrEqual(2 * live);
    store.close();
  }, 60_000);

  it("the background sweep reclaims idle state on its own", async () => {
    const store = createMemoryCounterStore({ sweepInterval: 20 });
    const limit: LimitRequest = {
      key: "k:a:default",
      algorithm: "token-bucket",
      limit: 5,
      window: 100,
      cost: 5,
    };
    await store.consume({ partition: "a", now: T0, limits: [limit], quota: null });
    // A later call on another key moves the request clock past the bucket's refill (+ slack).
    await store.consume({
      partition: "b",
      now: T0 + 5_000,
      limits: [{ ...limit, key: "k:b:default", cost: 1 }],
      quota: null,
    });
    const deadline = Date.now() + 5_000;
    while (store.size() > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(store.size()).toBe(1);
    store.close();
  });
});
