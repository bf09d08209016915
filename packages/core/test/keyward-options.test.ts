import { createKeyward, memoryStore } from "@keyward/core";
import { describe, expect, it } from "vitest";

const store = memoryStore();
const make = (options: Record<string, unknown>) => () => createKeyward({ store, ...options } as never);

describe("createKeyward options", () => {
  it("fills in defaults and exposes prefix and store", () => {
    const keyward = createKeyward({ store });
    expect(keyward.prefix).toBe("sk");
    expect(keyward.store).toBe(store);
    expect(Object.isFrozen(keyward)).toBe(true);
  });

  it("names unknown options", () => {
    expect(make({ cahce: {} })).toThrow(TypeError);
    expect(make({ cahce: {} })).toThrow(
      /^createKeyward\(\): unknown option "cahce" — did you mean "cache"\?/,
    );
    expect(make({ cache: { ttl: "1s", size: 5 } })).toThrow(/unknown option "cache\.size"/);
    expect(make({ writeBehind: { every: 1 } })).toThrow(/"writeBehind\.every"/);
  });

  it.each([
    [{ store: undefined }, '"store"'],
    [{ store: { insertKey() {} } }, '"store"'],
    [{ prefix: "SK" }, '"prefix"'],
    [{ pepper: "" }, '"pepper"'],
    [{ scopes: { reader: ["not a scope"] } }, "reader"],
    [{ rateLimit: { limit: 0, window: "1m" } }, '"rateLimit'],
    [{ ownerRateLimit: { limit: 10, window: "forever" } }, '"ownerRateLimit'],
    [{ cache: "big" }, '"cache"'],
    [{ cache: { max: 0 } }, 'option "cache.max" must be a positive integer'],
    [{ cache: { max: 1.5 } }, '"cache.max"'],
    [{ cache: { ttl: "0s" } }, '"cache.ttl"'],
    [{ cache: { negativeTtl: "soon" } }, '"cache.negativeTtl"'],
    [{ timeout: -5 }, '"timeout"'],
    [{ writeBehind: { interval: 0 } }, '"writeBehind.interval"'],
    [{ writeBehind: { maxBatch: -1 } }, '"writeBehind.maxBatch"'],
    [{ legacyTokens: "yes" }, '"legacyTokens"'],
    [{ onEvent: "log" }, '"onEvent"'],
    [{ clock: 5 }, '"clock"'],
  ])("rejects %j with a TypeError naming the option", (options, name) => {
    const run = make(options);
    expect(run).toThrow(TypeError);
    expect(run).toThrow(name);
  });

  it("accepts every documented option", () => {
    const keyward = createKeyward({
      store,
      prefix: "sk_live",
      pepper: ["new", "old"],
      scopes: { reader: ["task:read"] },
      rateLimit: [{ name: "default", limit: 10, window: "1m" }],
      ownerRateLimit: { limit: 100, window: "1m" },
      cache: { ttl: "10s", max: 10, negativeTtl: 0 },
      timeout: 500,
      writeBehind: { interval: "1s", maxBatch: 10 },
      legacyTokens: true,
      onEvent: () => {},
      clock: Date.now,
    });
    expect(keyward.prefix).toBe("sk_live");
  });
});
