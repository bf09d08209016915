import { describe, expect, it } from "vitest";
import { type CachedKey, KeyCache } from "../src/cache/key-cache.js";
import type { StoredKey } from "../src/store/types.js";

let now = 0;
const make = (overrides: Partial<ConstructorParameters<typeof KeyCache>[0] & object> = {}) =>
  new KeyCache({ ttl: 1_000, max: 3, negativeTtl: 100, clock: () => now, ...overrides });
const entry = (id: string): CachedKey => ({
  key: { id } as StoredKey,
  apiKey: {} as CachedKey["apiKey"],
  secretExpiresAt: null,
  granted: new Set(),
  metered: false,
});

describe("KeyCache", () => {
  it("keeps entries for the TTL on the injected clock", () => {
    // Regression: lru-cache reads a start time of 0 as "no TTL", so entries cached by a test
    // clock starting at 0 never expired. Pins the 1 ms shift in KeyCache.
    now = 0;
    const cache = make();
    cache.set("h1", entry("k1"), cache.generation);
    now = 999;
    expect(cache.get("h1")?.key.id).toBe("k1");
    now = 1_001;
    expect(cache.get("h1")).toBeUndefined();
  });

  it("evicts every hash of a key, including after LRU churn", () => {
    now = 0;
    const cache = make();
    cache.set("old", entry("k1"), cache.generation);
    cache.set("new", entry("k1"), cache.generation);
    cache.set("other", entry("k2"), cache.generation);
    cache.evictKey("k1");
    expect(cache.get("old")).toBeUndefined();
    expect(cache.get("new")).toBeUndefined();
    expect(cache.get("other")?.key.id).toBe("k2");
    for (let i = 0; i < 10; i++) cache.set(`h${i}`, entry(`k${i}`), cache.generation);
    expect(cache.get("other")).toBeUndefined(); // pushed out by max: 3
  });

  it("drops a write whose lookup started before an eviction (stale answers never come back)", () => {
    now = 0;
    const cache = make();
    const before = cache.generation;
    cache.evictKey("k1"); // e.g. revoke() finished while the lookup was in flight
    cache.set("h1", entry("k1"), before);
    cache.setUnknown("h2", before);
    expect(cache.get("h1")).toBeUndefined();
    expect(cache.isUnknown("h2")).toBe(false);
    cache.set("h1", entry("k1"), cache.generation);
    expect(cache.get("h1")?.key.id).toBe("k1");
  });

  it("remembers unknown hashes for the negative TTL, and forgets one on demand", () => {
    now = 0;
    const cache = make();
    cache.setUnknown("h", cache.generation);
    cache.setUnknown("g", cache.generation);
    now = 99;
    expect(cache.isUnknown("h")).toBe(true);
    cache.evictUnknown("g");
    expect(cache.isUnknown("g")).toBe(false);
    now = 101;
    expect(cache.isUnknown("h")).toBe(false);
  });

  it("negativeTtl 0 and a disabled cache remember nothing", () => {
    const noNegative = make({ negativeTtl: 0 });
    noNegative.setUnknown("h", noNegative.generation);
    expect(noNegative.isUnknown("h")).toBe(false);
    const off = new KeyCache(null);
    off.set("h", entry("k"), off.generation);
    expect(off.get("h")).toBeUndefined();
  });
});
