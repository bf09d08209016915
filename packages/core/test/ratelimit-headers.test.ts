import { describe, expect, it } from "vitest";
import { rateLimitHeaders, retryAfterHeader, violatedPolicies } from "../src/http/ratelimit-headers.js";
import { evaluateConsumption, planConsumption } from "../src/ratelimit/index.js";
import { createMemoryCounterStore } from "../src/store/memory/counters.js";
import type { StoredKey } from "../src/store/types.js";
import type { RateLimitState } from "../src/types.js";

const state = (
  name: string,
  limit: number,
  remaining: number,
  window: number,
  reset: number,
  exceeded = false,
) => ({
  name,
  limit,
  remaining,
  window,
  reset,
  exceeded,
});

const single: RateLimitState[] = [state("default", 1000, 999, 60, 42)];
const several: RateLimitState[] = [
  state("default", 1000, 999, 60, 42),
  state("search", 10, 3, 60, 17),
  state("owner", 5000, 4000, 3600, 1800),
];

describe("rateLimitHeaders", () => {
  it("draft-10: one structured-field list item per consumed policy", () => {
    expect(rateLimitHeaders(single, "draft-10")).toEqual({
      "RateLimit-Policy": '"default";q=1000;w=60',
      RateLimit: '"default";r=999;t=42',
    });
    expect(rateLimitHeaders(several, "draft-10")).toEqual({
      "RateLimit-Policy": '"default";q=1000;w=60, "search";q=10;w=60, "owner";q=5000;w=3600',
      RateLimit: '"default";r=999;t=42, "search";r=3;t=17, "owner";r=4000;t=1800',
    });
  });

  it("draft-10 escapes a policy name as a structured-field string", () => {
    expect(rateLimitHeaders([state('a"b\\c', 1, 0, 1, 1)], "draft-10")["RateLimit"]).toBe(
      '"a\\"b\\\\c";r=0;t=1',
    );
  });

  it("draft-7: the most restrictive limit, combined RateLimit field", () => {
    expect(rateLimitHeaders(single, "draft-7")).toEqual({
      "RateLimit-Policy": "1000;w=60",
      RateLimit: "limit=1000, remaining=999, reset=42",
    });
    expect(rateLimitHeaders(several, "draft-7")).toEqual({
      "RateLimit-Policy": "10;w=60",
      RateLimit: "limit=10, remaining=3, reset=17",
    });
  });

  it("draft-6: the most restrictive limit in separate fields", () => {
    expect(rateLimitHeaders(single, "draft-6")).toEqual({
      "RateLimit-Limit": "1000",
      "RateLimit-Remaining": "999",
      "RateLimit-Reset": "42",
      "RateLimit-Policy": "1000;w=60",
    });
  });

  it("single-policy forms prefer a violated limit, then the lowest remaining, then the longest reset", () => {
    const violated = [state("a", 10, 0, 60, 5), state("b", 100, 0, 60, 30, true)];
    expect(rateLimitHeaders(violated, "draft-6")["RateLimit-Limit"]).toBe("100");
    const tie = [state("a", 10, 0, 60, 5), state("b", 20, 0, 60, 30)];
    expect(rateLimitHeaders(tie, "draft-7")["RateLimit"]).toBe("limit=20, remaining=0, reset=30");
  });

  it("false or nothing consumed: no headers", () => {
    expect(rateLimitHeaders(several, false)).toEqual({});
    expect(rateLimitHeaders([], "draft-10")).toEqual({});
    expect(rateLimitHeaders([], "draft-6")).toEqual({});
  });

  it("violatedPolicies lists the limits that rejected the call", () => {
    expect(violatedPolicies(several)).toEqual([]);
    expect(
      violatedPolicies([state("a", 1, 0, 1, 1, true), state("b", 1, 1, 1, 0), state("c", 1, 0, 1, 9, true)]),
    ).toEqual(["a", "c"]);
  });
});

describe("Retry-After", () => {
  it("is delay-seconds, rounded up", () => {
    expect(retryAfterHeader(42)).toEqual({ "Retry-After": "42" });
    expect(retryAfterHeader(0.2)).toEqual({ "Retry-After": "1" });
    expect(retryAfterHeader(undefined)).toEqual({});
  });

  const key: StoredKey = {
    id: "key_h",
    name: null,
    ownerId: null,
    prefix: "sk",
    start: "sk_x",
    last4: "",
    scopes: [],
    metadata: {},
    enabled: true,
    createdAt: 0,
    updatedAt: 0,
    expiresAt: null,
    revokedAt: null,
    lastUsedAt: null,
    usageCount: 0,
    rateLimit: [
      { name: "default", limit: 2, window: 60_000, algorithm: "fixed-window", autoApply: false },
      { name: "search", limit: 10, window: 10_000, algorithm: "token-bucket", autoApply: false },
    ],
    quota: null,
    allowedIps: null,
  };

  /** Runs `[now, cost]` calls through one memory store; returns the last outcome. */
  async function run(calls: [number, number][], names: string[]) {
    const store = createMemoryCounterStore({ sweepInterval: 0 });
    let outcome = null;
    for (const [now, cost] of calls) {
      const plan = planConsumption({ key, defaults: null, owner: null, names, cost })!;
      outcome = evaluateConsumption(plan, await store.consume({ ...plan.request, now }));
    }
    return outcome!;
  }

  it("fixed window: the seconds to the window's end, never earlier, equal to the violated t", async () => {
    // Window [60 000, 120 000); rejected at 60 000 + 17 500 → 42.5 s left → 43.
    const outcome = await run(
      [
        [60_000, 1],
        [60_001, 1],
        [77_500, 1],
      ],
      ["default"],
    );
    if (outcome.ok) throw new Error("expected a rejection");
    expect(outcome.retryAfter).toBe(43);
    const headers = {
      ...rateLimitHeaders(outcome.rateLimit, "draft-10"),
      ...retryAfterHeader(outcome.retryAfter),
    };
    expect(headers).toEqual({
      "RateLimit-Policy": '"default";q=2;w=60',
      RateLimit: '"default";r=0;t=43',
      "Retry-After": "43",
    });
    expect(violatedPolicies(outcome.rateLimit)).toEqual(["default"]);
  });

  it("token bucket: the time until cost tokens are back, rounded up", async () => {
    // 10 tokens per 10 s, one per second. Spend all 10, ask for 5 at +2.5 s: 2.5 tokens
    // missing → 2.5 s → Retry-After 3; ask for 10 instead: 7.5 s → 8.
    const five = await run(
      [
        [0, 10],
        [2_500, 5],
      ],
      ["search"],
    );
    if (five.ok) throw new Error("expected a rejection");
    expect(five.retryAfter).toBe(3);
    expect(rateLimitHeaders(five.rateLimit, "draft-6")).toEqual({
      "RateLimit-Limit": "10",
      "RateLimit-Remaining": "2",
      "RateLimit-Reset": "3",
      "RateLimit-Policy": "10;w=10",
    });
    const ten = await run(
      [
        [0, 10],
        [2_500, 10],
      ],
      ["search"],
    );
    if (ten.ok) throw new Error("expected a rejection");
    expect(ten.retryAfter).toBe(8);
    expect(rateLimitHeaders(ten.rateLimit, "draft-7")["RateLimit"]).toBe("limit=10, remaining=2, reset=8");
  });

  it("a successful call reports t as the seconds until the limit is fully restored", async () => {
    // Token bucket after spending 3 of 10 at t=0: full again in 3 s.
    const outcome = await run([[0, 3]], ["search"]);
    expect(outcome.ok).toBe(true);
    expect(rateLimitHeaders(outcome.rateLimit, "draft-10")["RateLimit"]).toBe('"search";r=7;t=3');
  });
});
