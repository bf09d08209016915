/**
 * Route policies (`rateLimit: [{ name, limit, window, per? }]` on a route or router): their own
 * counters per key or per owner, all-or-nothing with the key's limits and quota, validated at
 * construction, and charged once per request when a router and a route both run.
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  createAuthenticator,
  createKeyward,
  createVerifier,
  memoryStore,
  type RoutePolicy,
} from "../src/index.js";

let now = Date.UTC(2030, 0, 1);
const keyward = createKeyward({ store: memoryStore(), prefix: "sk_test", clock: () => now });
afterAll(() => keyward.close());
const bearer = (token: string) => ({
  method: "GET",
  url: "/",
  headers: { authorization: `Bearer ${token}` },
});

describe("route policy validation", () => {
  it("throws a TypeError naming the option for every malformed policy", () => {
    const cases: [unknown, RegExp][] = [
      ["default", /"rateLimit" must be a list/],
      [[{ limit: 5, window: "1m" }], /"rateLimit\[0\]\.name"/],
      [[{ name: "v1", limit: 0, window: "1m" }], /"rateLimit\[0\]\.limit"/],
      [[{ name: "v1", limit: 5 }], /"rateLimit\[0\]\.window"/],
      [[{ name: "v1", limit: 5, window: "1m", per: "team" }], /"rateLimit\[0\]\.per"/],
      [[{ name: "v1", limit: 5, window: "1m", algorithm: "leaky" }], /"rateLimit\[0\]\.algorithm"/],
      [[{ name: "owner", limit: 5, window: "1m" }], /"rateLimit\[0\]\.name" may not be "owner"/],
      [
        [{ name: "v1", limit: 5, window: "1m", autoApply: true }],
        /"rateLimit\[0\]" has an unknown field "autoApply"/,
      ],
      [
        [{ name: "v1", limit: 5, window: "1m", burst: 2 }],
        /unknown option "rateLimit\[0\]\.burst" — did you mean "rateLimit\[0\]\.limit"\? \(valid: name, limit, window, algorithm, per\)/,
      ],
      [
        ["default", { name: "v1", limit: 5, window: "1m" }, { name: "v1", limit: 6, window: "1m" }],
        /"rateLimit\[2\]\.name" repeats/,
      ],
      [[42], /"rateLimit\[0\]" must be a limit name or a route policy/],
    ];
    for (const [rateLimit, message] of cases) {
      expect(() => createVerifier(keyward, { rateLimit } as never)).toThrow(TypeError);
      expect(() => createAuthenticator(keyward, { rateLimit } as never)).toThrow(message);
    }
  });
});

describe("route policies in verify()", () => {
  it("a per-key policy counts each key on its own counter, reported by name", async () => {
    const a = await keyward.create({ ownerId: "org_a", rateLimit: null });
    const b = await keyward.create({ ownerId: "org_a", rateLimit: null });
    const check = createVerifier(keyward, { rateLimit: [{ name: "v1", limit: 2, window: "1m" }] });
    expect((await check(a.token)).ok).toBe(true);
    const second = await check(a.token);
    expect(second.ok && second.rateLimit).toEqual([
      { name: "v1", limit: 2, remaining: 0, window: 60, reset: 120, exceeded: false },
    ]);
    const third = await check(a.token);
    expect(third).toMatchObject({ ok: false, code: "rate_limited", status: 429 });
    expect((await check(b.token)).ok).toBe(true);
  });

  it('per: "owner" shares one counter among the keys of an owner; a key without owner counts alone', async () => {
    const policy = { name: "team", limit: 3, window: "1m", per: "owner" } as const;
    const check = createVerifier(keyward, { rateLimit: [policy] });
    const [a, b] = await Promise.all([
      keyward.create({ ownerId: "org_team", rateLimit: null }),
      keyward.create({ ownerId: "org_team", rateLimit: null }),
    ]);
    const other = await keyward.create({ ownerId: "org_other", rateLimit: null });
    const alone = await keyward.create({ rateLimit: null });
    const results = [await check(a.token), await check(b.token), await check(a.token), await check(b.token)];
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
    expect((await check(other.token)).ok).toBe(true);
    expect((await check(alone.token)).ok).toBe(true);
  });

  it("a list names exactly what is consumed: a policy-only list leaves the key's own limits alone", async () => {
    const key = await keyward.create({ rateLimit: { limit: 1, window: "1m" } });
    const policyOnly = createVerifier(keyward, { rateLimit: [{ name: "p", limit: 5, window: "1m" }] });
    for (let i = 0; i < 3; i++) expect((await policyOnly(key.token)).ok).toBe(true);
    const both = createVerifier(keyward, { rateLimit: ["default", { name: "q", limit: 5, window: "1m" }] });
    const first = await both(key.token);
    expect(first.ok && first.rateLimit.map((s) => s.name)).toEqual(["default", "q"]);
  });

  it("a route policy and a key limit refuse all-or-nothing, and the quota is not charged", async () => {
    const key = await keyward.create({
      rateLimit: { limit: 2, window: "1m", algorithm: "fixed-window" },
      quota: { limit: 100 },
    });
    const wide = createVerifier(keyward, {
      rateLimit: ["default", { name: "wide", limit: 10, window: "1m" }],
    });
    const narrow = createVerifier(keyward, {
      rateLimit: ["default", { name: "narrow", limit: 1, window: "1m" }],
    });
    expect((await narrow(key.token)).ok).toBe(true);
    // "narrow" refuses: "default" (2) must not have been consumed by the refused call.
    const refused = await narrow(key.token);
    expect(refused).toMatchObject({ ok: false, code: "rate_limited" });
    expect(!refused.ok && refused.rateLimit?.map((s) => [s.name, s.exceeded])).toEqual([
      ["default", false],
      ["narrow", true],
    ]);
    const passed = await wide(key.token);
    expect(passed.ok && passed.rateLimit.map((s) => [s.name, s.remaining])).toEqual([
      ["default", 0],
      ["wide", 9],
    ]);
    // "default" is spent now: "wide" must not be consumed by the refused call either.
    expect((await wide(key.token)).ok).toBe(false);
    const after = await keyward.get(key.key.id);
    expect(after?.quota?.remaining).toBe(98);
    now += 60_000;
    const later = await wide(key.token);
    expect(later.ok && later.rateLimit.find((s) => s.name === "wide")?.remaining).toBe(8);
  });
});

describe("router and route both declaring limits", () => {
  it("the route adds its own policies and named limits; nothing is charged twice", async () => {
    const fixed = "fixed-window" as const;
    const key = await keyward.create({
      ownerId: "org_r",
      rateLimit: { limit: 100, window: "1m", algorithm: fixed },
    });
    const v1: RoutePolicy = { name: "v1", limit: 10, window: "1m", algorithm: fixed };
    const router = createAuthenticator(keyward, { rateLimit: [v1] });
    const route = createAuthenticator(keyward, {
      rateLimit: ["default", v1, { name: "write", limit: 2, window: "1m", algorithm: fixed }],
      cost: 2,
    });
    const outer = await router(bearer(key.token));
    expect(outer.ok).toBe(true);
    const inner = await route(bearer(key.token), outer.ok ? outer : null);
    expect(inner.ok && inner.headers).toEqual({
      "RateLimit-Policy": '"v1";q=10;w=60, "default";q=100;w=60, "write";q=2;w=60',
      RateLimit: '"v1";r=9;t=60, "default";r=98;t=60, "write";r=0;t=60',
    });
    // The next request: the router passes, the route's "write" refuses (and reports every policy).
    const outer2 = await router(bearer(key.token));
    const refused = await route(bearer(key.token), outer2.ok ? outer2 : null);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.response.status).toBe(429);
      expect(JSON.parse(refused.response.body)["violated-policies"]).toEqual(["write"]);
      expect(refused.response.headers.RateLimit).toBe('"v1";r=8;t=60, "default";r=98;t=60, "write";r=0;t=60');
    }
  });

  it("a route without a rateLimit list behind a router charges nothing more", async () => {
    const key = await keyward.create({ rateLimit: { limit: 100, window: "1m" } });
    const router = createAuthenticator(keyward, {});
    const route = createAuthenticator(keyward, { scopes: [] });
    const outer = await router(bearer(key.token));
    const inner = await route(bearer(key.token), outer.ok ? outer : null);
    expect(inner).toBe(outer);
  });
});
