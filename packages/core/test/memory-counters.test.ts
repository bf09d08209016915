import { afterAll, describe, expect, it } from "vitest";
import { createMemoryCounterStore, type MemoryCounterStore } from "../src/store/memory/counters.js";
import { syncConsumeOf } from "../src/store/sync-consume.js";
import { runCounterContract } from "../src/testing/contract-counters.js";

const stores: MemoryCounterStore[] = [];
const fresh = () => {
  const store = createMemoryCounterStore({});
  stores.push(store);
  return store;
};
afterAll(() => {
  for (const store of stores) store.close();
});

describe("memory counter store (injected clock)", () => {
  runCounterContract({ describe, it, expect }, fresh);
});

// The real-time variant is what stores with their own clock (Redis TIME) run; running it here
// proves the suite itself is sound.
describe("memory counter store (real clock)", () => {
  runCounterContract({ describe, it, expect }, fresh, { ownClock: true });
});

describe("memory counter store specifics", () => {
  it("treats a counter whose algorithm or window changed as fresh", async () => {
    const store = fresh();
    const partition = "p";
    const call = (algorithm: "fixed-window" | "token-bucket", window: number) =>
      store.consume({
        partition,
        now: 10_000,
        limits: [{ key: "k", algorithm, limit: 1, window, cost: 1 }],
        quota: null,
      });
    expect((await call("fixed-window", 1_000)).allowed).toBe(true);
    expect((await call("fixed-window", 1_000)).allowed).toBe(false);
    expect((await call("token-bucket", 1_000)).allowed).toBe(true);
    expect((await call("token-bucket", 2_000)).allowed).toBe(true);
    expect((await call("token-bucket", 2_000)).allowed).toBe(false);
  });

  it("evaluates a late request (clock behind the counter) against the newest window", async () => {
    const store = fresh();
    const limits = [{ key: "k", algorithm: "fixed-window" as const, limit: 2, window: 1_000, cost: 1 }];
    await store.consume({ partition: "p", now: 2_000, limits, quota: null });
    await store.consume({ partition: "p", now: 2_001, limits, quota: null });
    // 1_999 belongs to the previous window; it must not reset the current one.
    const late = await store.consume({ partition: "p", now: 1_999, limits, quota: null });
    expect(late.allowed).toBe(false);
    expect(late.limits[0]!.retryAfterMs).toBe(1_000);
  });

  it("offers consume synchronously on the function itself, so a wrapper that replaces it is called instead", async () => {
    const store = fresh();
    const sync = syncConsumeOf(store)!;
    const limits = [{ key: "k", algorithm: "sliding-window" as const, limit: 2, window: 1_000, cost: 1 }];
    expect(sync({ partition: "p", now: 1_000, limits, quota: null }).limits[0]!.remaining).toBe(1);
    expect(
      (await store.consume({ partition: "p", now: 1_000, limits, quota: null })).limits[0]!.remaining,
    ).toBe(0);
    expect(sync({ partition: "p", now: 1_000, limits, quota: null }).allowed).toBe(false);
    expect(syncConsumeOf({ ...store, consume: store.consume.bind(store) })).toBeUndefined();
  });

  it("rejects a bad sweepInterval", () => {
    expect(() => createMemoryCounterStore({ sweepInterval: -1 })).toThrow(/sweepInterval/);
  });
});
