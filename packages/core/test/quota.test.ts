import { describe, expect, it } from "vitest";
import { evaluateQuota, quotaRefillAt, rollQuota } from "../src/quota/balance.js";
import { quotaView, resolveQuota } from "../src/quota/index.js";

describe("resolveQuota", () => {
  it("fills in the refill amount and the starting balance from limit", () => {
    expect(resolveQuota({ limit: 10_000, refill: { interval: "30d" } }, "quota")).toEqual({
      config: { limit: 10_000, refill: { interval: 2_592_000_000, amount: 10_000 } },
      remaining: 10_000,
    });
    expect(resolveQuota({ limit: 50, refill: null, remaining: 7 }, "quota")).toEqual({
      config: { limit: 50, refill: null },
      remaining: 7,
    });
    expect(
      resolveQuota({ limit: 50, refill: { interval: 1_000, amount: 20 } }, "quota").config.refill,
    ).toEqual({
      interval: 1_000,
      amount: 20,
    });
  });

  const bad: [string, unknown, RegExp][] = [
    ["negative limit", { limit: -1 }, /"quota\.limit" must be a non-negative integer, got -1/],
    ["fractional remaining", { limit: 5, remaining: 0.5 }, /"quota\.remaining"/],
    ["bad interval", { limit: 5, refill: { interval: "monthly" } }, /"quota\.refill\.interval"/],
    [
      "zero interval",
      { limit: 5, refill: { interval: 0 } },
      /"quota\.refill\.interval" must be at least 1ms/,
    ],
    ["missing interval", { limit: 5, refill: { amount: 3 } }, /"quota\.refill\.interval" is required/],
    ["bad amount", { limit: 5, refill: { interval: "1d", amount: "3" } }, /"quota\.refill\.amount"/],
    ["unknown field", { limit: 5, max: 3 }, /unknown option "quota\.max"/],
    [
      "unknown refill field",
      { limit: 5, refill: { interval: "1d", every: 1 } },
      /unknown option "quota\.refill\.every"/,
    ],
    ["not an object", "100", /"quota" must be an object/],
  ];
  for (const [label, input, message] of bad) {
    it(`throws a TypeError naming the option: ${label}`, () => {
      expect(() => resolveQuota(input as never, "quota")).toThrow(TypeError);
      expect(() => resolveQuota(input as never, "quota")).toThrow(message);
    });
  }
});

describe("quota math", () => {
  const config = { limit: 100, refill: { interval: 1_000, amount: 40 } };

  it("refill replaces the balance, once per whole interval, skipping missed periods", () => {
    const state = { remaining: 75, periodStart: 10_000 };
    expect(rollQuota(state, config, 10_999)).toBe(state);
    expect(rollQuota(state, config, 11_000)).toEqual({ remaining: 40, periodStart: 11_000 });
    expect(rollQuota(state, config, 13_700)).toEqual({ remaining: 40, periodStart: 13_000 });
    expect(quotaRefillAt({ remaining: 40, periodStart: 13_000 }, config)).toBe(14_000);
    expect(quotaRefillAt(state, { limit: 1, refill: null })).toBeNull();
  });

  it("an unseen quota starts full with its period starting now", () => {
    expect(evaluateQuota(undefined, config, 100, 5)).toEqual({
      rolled: { remaining: 100, periodStart: 5 },
      admits: true,
    });
    expect(evaluateQuota(undefined, config, 101, 5).admits).toBe(false);
  });
});

describe("quotaView", () => {
  it("shows configuration, balance and the next refill as a Date", () => {
    const config = { limit: 10, refill: { interval: 60_000, amount: 10 } };
    expect(quotaView(config, { allowed: true, remaining: 4, refillAt: 1_700_000_000_000 })).toEqual({
      limit: 10,
      refill: { interval: 60_000, amount: 10 },
      remaining: 4,
      refillAt: new Date(1_700_000_000_000),
    });
    expect(
      quotaView({ limit: 3, refill: null }, { allowed: false, remaining: 0, refillAt: null }).refillAt,
    ).toBeNull();
  });
});
