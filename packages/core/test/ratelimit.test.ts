import { describe, expect, it } from "vitest";
import {
  evaluateConsumption,
  planConsumption,
  resolveOwnerRateLimit,
  resolveRateLimit,
} from "../src/ratelimit/index.js";
import type { ConsumeResult, LimitResult, StoredKey } from "../src/store/types.js";
import type { ResolvedRateLimit } from "../src/types.js";

describe("resolveRateLimit", () => {
  it("turns a single policy into one limit named default, with defaults filled in", () => {
    expect(resolveRateLimit({ limit: 1000, window: "1m" }, "rateLimit")).toEqual([
      { name: "default", limit: 1000, window: 60_000, algorithm: "sliding-window", autoApply: false },
    ]);
  });

  it("keeps a list of named limits in order", () => {
    expect(
      resolveRateLimit(
        [
          { name: "default", limit: 100, window: 1_000, algorithm: "token-bucket" },
          { name: "search", limit: 10, window: "1h", algorithm: "fixed-window", autoApply: true },
        ],
        "rateLimit",
      ),
    ).toEqual([
      { name: "default", limit: 100, window: 1_000, algorithm: "token-bucket", autoApply: false },
      { name: "search", limit: 10, window: 3_600_000, algorithm: "fixed-window", autoApply: true },
    ]);
  });

  it("maps undefined and false to null (no limits given) and null to [] (no limits)", () => {
    expect(resolveRateLimit(undefined, "rateLimit")).toBeNull();
    expect(resolveRateLimit(false, "rateLimit")).toBeNull();
    expect(resolveRateLimit(null, "rateLimit")).toEqual([]);
    expect(resolveRateLimit([], "rateLimit")).toEqual([]);
  });

  const bad: [string, unknown, RegExp][] = [
    ["zero limit", { limit: 0, window: "1m" }, /"rateLimit\.limit" must be a positive integer, got 0/],
    ["fractional limit", { limit: 1.5, window: "1m" }, /"rateLimit\.limit"/],
    ["string limit", { limit: "10", window: "1m" }, /"rateLimit\.limit"/],
    ["missing window", { limit: 10 }, /"rateLimit\.window"/],
    ["bad window", { limit: 10, window: "1 minute" }, /"rateLimit\.window"/],
    ["zero window", { limit: 10, window: 0 }, /"rateLimit\.window" must be at least 1ms/],
    ["bad algorithm", { limit: 10, window: "1m", algorithm: "leaky" }, /"rateLimit\.algorithm"/],
    ["unknown field", { limit: 10, window: "1m", burst: 3 }, /unknown option "rateLimit\.burst"/],
    ["not an object", 10, /"rateLimit" must be an object/],
    ["huge product", { limit: 10_000_000, window: "365d" }, /too large/],
    ["bad autoApply", [{ name: "a", limit: 1, window: 1, autoApply: "yes" }], /"rateLimit\[0\]\.autoApply"/],
    [
      "bad window in a list",
      [
        { name: "a", limit: 1, window: 1 },
        { name: "b", limit: 1, window: "x" },
      ],
      /"rateLimit\[1\]\.window"/,
    ],
    ["unnamed list entry", [{ limit: 1, window: 1 }], /"rateLimit\[0\]\.name"/],
    ["bad name", [{ name: "Search", limit: 1, window: 1 }], /"rateLimit\[0\]\.name"/],
    ["reserved name", [{ name: "owner", limit: 1, window: 1 }], /may not be "owner"/],
    [
      "duplicate name",
      [
        { name: "a", limit: 1, window: 1 },
        { name: "a", limit: 2, window: 1 },
      ],
      /"rateLimit\[1\]\.name" repeats/,
    ],
  ];
  for (const [label, input, message] of bad) {
    it(`throws a TypeError naming the option: ${label}`, () => {
      expect(() => resolveRateLimit(input as never, "rateLimit")).toThrow(TypeError);
      expect(() => resolveRateLimit(input as never, "rateLimit")).toThrow(message);
    });
  }

  it("accepts 1,000,000 per 30 days", () => {
    expect(resolveRateLimit({ limit: 1_000_000, window: "30d" }, "rateLimit")?.[0]?.window).toBe(
      2_592_000_000,
    );
  });
});

describe("resolveOwnerRateLimit", () => {
  it("reports the owner limit under the name owner", () => {
    expect(
      resolveOwnerRateLimit({ limit: 5000, window: "1m", algorithm: "fixed-window" }, "ownerRateLimit"),
    ).toEqual({
      name: "owner",
      limit: 5000,
      window: 60_000,
      algorithm: "fixed-window",
      autoApply: true,
    });
    expect(resolveOwnerRateLimit(false, "ownerRateLimit")).toBeNull();
    expect(() => resolveOwnerRateLimit({ limit: 0, window: "1m" }, "ownerRateLimit")).toThrow(
      /"ownerRateLimit\.limit"/,
    );
  });
});

const limit = (name: string, extra: Partial<ResolvedRateLimit> = {}): ResolvedRateLimit => ({
  name,
  limit: 10,
  window: 60_000,
  algorithm: "sliding-window",
  autoApply: false,
  ...extra,
});

const storedKey = (patch: Partial<StoredKey> = {}): StoredKey => ({
  id: "key_1",
  name: null,
  ownerId: null,
  prefix: "sk",
  start: "sk_abcd",
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
  rateLimit: null,
  quota: null,
  allowedIps: null,
  ...patch,
});

describe("planConsumption", () => {
  const defaults = [limit("default"), limit("burst", { autoApply: true }), limit("search")];
  const owner = limit("owner", { limit: 500, autoApply: true });

  it("uses the defaults when the key has none of its own: default plus autoApply", () => {
    const plan = planConsumption({ key: storedKey(), defaults, owner: null, names: undefined, cost: 1 });
    expect(plan?.request).toEqual({
      partition: "key_1",
      limits: [
        { key: "k:key_1:default", limit: 10, window: 60_000, algorithm: "sliding-window", cost: 1 },
        { key: "k:key_1:burst", limit: 10, window: 60_000, algorithm: "sliding-window", cost: 1 },
      ],
      quota: null,
    });
    expect(plan?.limits.map((l) => l.name)).toEqual(["default", "burst"]);
  });

  it("uses the key's own limits, named ones in the order given, skipping names the key lacks", () => {
    const key = storedKey({ rateLimit: [limit("default"), limit("search", { limit: 3 })] });
    const plan = planConsumption({
      key,
      defaults,
      owner: null,
      names: ["search", "burst", "search"],
      cost: 5,
    });
    expect(plan?.request.limits).toEqual([
      { key: "k:key_1:search", limit: 3, window: 60_000, algorithm: "sliding-window", cost: 5 },
    ]);
  });

  it("consumes nothing for rateLimit: [] on the key, or names: false, and returns null without a quota", () => {
    expect(
      planConsumption({
        key: storedKey({ rateLimit: [] }),
        defaults,
        owner: null,
        names: undefined,
        cost: 1,
      }),
    ).toBeNull();
    expect(planConsumption({ key: storedKey(), defaults, owner: null, names: false, cost: 1 })).toBeNull();
    expect(
      planConsumption({ key: storedKey(), defaults: null, owner: null, names: undefined, cost: 1 }),
    ).toBeNull();
  });

  it("adds the owner limit last, in the owner's partition, and charges the quota", () => {
    const quota = { limit: 100, refill: null };
    const key = storedKey({ ownerId: "org_1", quota });
    const plan = planConsumption({ key, defaults, owner, names: false, cost: 2 });
    expect(plan).toEqual({
      request: {
        partition: "org_1",
        limits: [{ key: "o:org_1", limit: 500, window: 60_000, algorithm: "sliding-window", cost: 2 }],
        quota: { key: "q:key_1", config: quota, cost: 2 },
      },
      limits: [owner],
      quota,
      cost: 2,
    });
    const withDefault = planConsumption({ key, defaults, owner, names: ["default"], cost: 1 });
    expect(withDefault?.request.limits.map((l) => l.key)).toEqual(["k:key_1:default", "o:org_1"]);
    // Without an owner id the owner limit does not apply.
    expect(
      planConsumption({ key: storedKey(), defaults: null, owner, names: undefined, cost: 1 }),
    ).toBeNull();
  });

  it("rejects a cost that is not a positive integer", () => {
    for (const cost of [0, -1, 1.5, Number.NaN]) {
      expect(() =>
        planConsumption({ key: storedKey(), defaults, owner: null, names: undefined, cost }),
      ).toThrow(/"cost" must be a positive integer/);
    }
  });
});

describe("evaluateConsumption", () => {
  const key = storedKey({
    rateLimit: [limit("default", { limit: 1000 }), limit("search", { window: 1_500 })],
  });
  const plan = planConsumption({ key, defaults: null, owner: null, names: ["default", "search"], cost: 1 })!;
  const ok = (remaining: number, resetMs: number): LimitResult => ({
    allowed: true,
    remaining,
    resetMs,
    retryAfterMs: 0,
  });
  const no = (remaining: number, resetMs: number, retryAfterMs: number): LimitResult => ({
    allowed: false,
    remaining,
    resetMs,
    retryAfterMs,
  });
  const result = (limits: LimitResult[], allowed = limits.every((l) => l.allowed)): ConsumeResult => ({
    allowed,
    limits,
    quota: null,
    now: 1_000_000,
  });

  it("reports each limit, reset and window in seconds rounded up", () => {
    expect(evaluateConsumption(plan, result([ok(999, 41_001), ok(9, 0)]))).toEqual({
      ok: true,
      rateLimit: [
        { name: "default", limit: 1000, remaining: 999, window: 60, reset: 42, exceeded: false },
        { name: "search", limit: 10, remaining: 9, window: 2, reset: 0, exceeded: false },
      ],
      quota: null,
    });
  });

  it("answers rate_limited with the longest wait of the rejecting limits, rounded up", () => {
    const outcome = evaluateConsumption(plan, result([no(0, 50_000, 2_001), no(0, 90_000, 1)]));
    expect(outcome).toMatchObject({ ok: false, code: "rate_limited", retryAfter: 3 });
    expect(outcome.rateLimit.map((s) => [s.name, s.reset, s.exceeded])).toEqual([
      ["default", 3, true],
      ["search", 1, true],
    ]);
    if (!outcome.ok) expect(outcome.message).toContain("default, search");
  });

  it("never announces less than the reset of a violated limit, and at least one second", () => {
    const outcome = evaluateConsumption(plan, result([ok(5, 10_000), no(0, 59_999, 1)]));
    expect(outcome).toMatchObject({ ok: false, code: "rate_limited", retryAfter: 1 });
    const violated = outcome.rateLimit.filter((s) => s.exceeded);
    expect(violated.map((s) => s.name)).toEqual(["search"]);
    if (!outcome.ok) for (const s of violated) expect(outcome.retryAfter).toBeGreaterThanOrEqual(s.reset);
  });

  it("answers usage_exceeded with Retry-After only when a refill is due and would pay", () => {
    const withQuota = (refill: { interval: number; amount: number } | null, cost = 1) => {
      const quotaKey = storedKey({ rateLimit: [], quota: { limit: 5, refill } });
      return planConsumption({ key: quotaKey, defaults: null, owner: null, names: undefined, cost })!;
    };
    const rejected = (refillAt: number | null): ConsumeResult => ({
      allowed: false,
      limits: [],
      quota: { allowed: false, remaining: 0, refillAt },
      now: 1_000_000,
    });
    expect(evaluateConsumption(withQuota({ interval: 60_000, amount: 5 }), rejected(1_030_500))).toEqual({
      ok: false,
      code: "usage_exceeded",
      message: "Usage quota exhausted until the next refill",
      retryAfter: 31,
      rateLimit: [],
    });
    const noRefill = evaluateConsumption(withQuota(null), rejected(null));
    expect(noRefill).toEqual({
      ok: false,
      code: "usage_exceeded",
      message: "Usage quota exhausted",
      rateLimit: [],
    });
    const tooCostly = evaluateConsumption(withQuota({ interval: 60_000, amount: 5 }, 6), rejected(1_030_500));
    expect("retryAfter" in tooCostly).toBe(false);
  });

  it("prefers rate_limited when both a limit and the quota refuse", () => {
    const both = {
      ...result([no(0, 1_000, 1_000), ok(3, 0)]),
      quota: { allowed: false, remaining: 0, refillAt: null },
    };
    expect(evaluateConsumption(plan, both)).toMatchObject({ ok: false, code: "rate_limited", retryAfter: 1 });
  });
});
