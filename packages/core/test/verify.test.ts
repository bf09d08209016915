import { createKeyward, createVerifier, generateToken, memoryStore, type ScopePresets } from "@keyward/core";
import { describe, expect, it } from "vitest";
import { setup } from "./keyward-fixtures.js";

const flip = (token: string) => token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");

describe("verify: failure codes", () => {
  it("missing_key for no credential", async () => {
    const { keyward, spy } = setup();
    for (const token of [undefined, null, ""]) {
      expect(await keyward.verify(token)).toEqual({
        ok: false,
        code: "missing_key",
        status: 401,
        message: "No API key was provided.",
      });
    }
    expect(spy.calls).toEqual({});
  });

  it("invalid_key for a bad checksum, garbage or another prefix — without touching the store", async () => {
    const { keyward, spy } = setup();
    const { token } = await keyward.create();
    spy.reset();
    for (const bad of [
      flip(token),
      "hello",
      "sk_test_short",
      generateToken("sk_other"),
      "x".repeat(10_000),
    ]) {
      expect(await keyward.verify(bad)).toMatchObject({ ok: false, code: "invalid_key", status: 401 });
    }
    expect(spy.calls).toEqual({});
  });

  it("invalid_key for a well-formed token that no key has", async () => {
    const { keyward, spy } = setup();
    expect(await keyward.verify(generateToken("sk_test"))).toMatchObject({
      code: "invalid_key",
      status: 401,
    });
    expect(spy.count("findByHash")).toBe(1);
  });

  it("revoked_key, disabled_key and expired_key", async () => {
    const { keyward, advance } = setup();
    const revoked = await keyward.create();
    await keyward.revoke(revoked.key.id);
    expect(await keyward.verify(revoked.token)).toEqual({
      ok: false,
      code: "revoked_key",
      status: 401,
      message: "The API key has been revoked.",
    });
    const disabled = await keyward.create({ enabled: false });
    expect(await keyward.verify(disabled.token)).toMatchObject({ code: "disabled_key", status: 401 });
    const expiring = await keyward.create({ expiresIn: "1h" });
    advance(3_600_000 - 1);
    expect((await keyward.verify(expiring.token)).ok).toBe(true);
    advance(1);
    expect(await keyward.verify(expiring.token)).toMatchObject({
      code: "expired_key",
      status: 401,
      message: "The API key has expired.",
    });
  });

  it("insufficient_scope (403) carries the key and names the requirement", async () => {
    const { keyward } = setup({ scopes: { reader: ["task:read"] } });
    const { token, key } = await keyward.create({ scopes: ["reader"] });
    const result = await keyward.verify(token, { scopes: ["task:write"] });
    expect(result).toMatchObject({ ok: false, code: "insufficient_scope", status: 403, key: { id: key.id } });
    if (!result.ok) expect(result.message).toContain("task:write");
    expect((await keyward.verify(token, { scopes: ["task:read"] })).ok).toBe(true);
    expect((await keyward.verify(token, { scopes: "task:read OR admin:*" })).ok).toBe(true);
    expect((await keyward.verify(token, { scopes: { anyOf: ["admin:*", "task:read"] } })).ok).toBe(true);
  });

  it("rate_limited (429) with retryAfter and limit states", async () => {
    const { keyward } = setup({ rateLimit: { limit: 2, window: "1m" } });
    const { token } = await keyward.create();
    expect(await keyward.verify(token)).toMatchObject({
      ok: true,
      rateLimit: [{ name: "default", remaining: 1 }],
    });
    expect((await keyward.verify(token)).ok).toBe(true);
    const third = await keyward.verify(token);
    expect(third).toMatchObject({
      ok: false,
      code: "rate_limited",
      status: 429,
      rateLimit: [{ exceeded: true }],
    });
    if (!third.ok) expect(third.retryAfter).toBeGreaterThan(0);
  });

  it("usage_exceeded (429) once the quota is spent, and the key shows the balance", async () => {
    const { keyward } = setup();
    const { token } = await keyward.create({ quota: { limit: 2 } });
    expect(await keyward.verify(token)).toMatchObject({
      ok: true,
      key: { quota: { limit: 2, remaining: 1 } },
    });
    expect(await keyward.verify(token)).toMatchObject({ ok: true, key: { quota: { remaining: 0 } } });
    expect(await keyward.verify(token)).toMatchObject({ ok: false, code: "usage_exceeded", status: 429 });
  });

  it("unavailable (503, retryAfter 1) when the store throws or hangs — never a throw", async () => {
    const { keyward, spy } = setup({ timeout: 30, cache: false });
    const { token } = await keyward.create();
    spy.fail.add("findByHash");
    expect(await keyward.verify(token)).toEqual({
      ok: false,
      code: "unavailable",
      status: 503,
      message: "The key store is unavailable; try again shortly.",
      retryAfter: 1,
    });
    spy.fail.clear();
    spy.hang.add("findByHash");
    expect(await keyward.verify(token)).toMatchObject({ code: "unavailable", status: 503, retryAfter: 1 });
  });

  it("unavailable when the counter store hangs", async () => {
    const { keyward, spy } = setup({ timeout: 30, rateLimit: { limit: 5, window: "1s" } });
    const { token } = await keyward.create();
    spy.hang.add("consume");
    expect(await keyward.verify(token)).toMatchObject({ code: "unavailable", status: 503 });
  });
});

describe("verify: order", () => {
  it("revoked beats disabled beats expired beats scopes beats limits", async () => {
    const { keyward, advance, spy } = setup({ rateLimit: { limit: 1, window: "1h" } });
    const a = await keyward.create({ expiresIn: "1s", enabled: false });
    const b = await keyward.create({ expiresIn: "1s", enabled: false });
    const c = await keyward.create({ expiresIn: "1s", scopes: ["task:read"] });
    await keyward.revoke(a.key.id);
    advance(2_000);
    expect(await keyward.verify(a.token, { scopes: ["x:y"] })).toMatchObject({ code: "revoked_key" });
    expect(await keyward.verify(b.token, { scopes: ["x:y"] })).toMatchObject({ code: "disabled_key" });
    expect(await keyward.verify(c.token, { scopes: ["x:y"] })).toMatchObject({ code: "expired_key" });
    const d = await keyward.create({ scopes: ["task:read"] });
    spy.reset();
    expect(await keyward.verify(d.token, { scopes: ["task:write"] })).toMatchObject({
      code: "insufficient_scope",
    });
    expect(spy.count("consume")).toBe(0);
    expect((await keyward.verify(d.token, { scopes: ["task:read"] })).ok).toBe(true);
    expect(await keyward.verify(d.token, { scopes: ["task:read"] })).toMatchObject({ code: "rate_limited" });
  });

  it("limits and quota are one store call per verification", async () => {
    const { keyward, spy } = setup({ rateLimit: { limit: 10, window: "1m" } });
    const { token } = await keyward.create({ quota: { limit: 10 } });
    await keyward.verify(token); // looks the key up, then caches it
    spy.reset();
    await keyward.verify(token);
    expect(spy.calls).toEqual({ consume: 1 });
  });
});

describe("verify: caches", () => {
  it("the hot path makes no store call", async () => {
    const { keyward, spy } = setup();
    const { token } = await keyward.create({ scopes: ["task:read"] });
    await keyward.verify(token);
    spy.reset();
    for (let i = 0; i < 50; i++)
      expect((await keyward.verify(token, { scopes: ["task:read"] })).ok).toBe(true);
    expect(spy.calls).toEqual({});
  });

  it("unknown tokens are looked up once per negative TTL", async () => {
    const { keyward, spy, advance } = setup({ cache: { negativeTtl: "5s" } });
    const unknown = generateToken("sk_test");
    for (let i = 0; i < 10; i++) expect(await keyward.verify(unknown)).toMatchObject({ code: "invalid_key" });
    expect(spy.count("findByHash")).toBe(1);
    advance(5_001);
    await keyward.verify(unknown);
    expect(spy.count("findByHash")).toBe(2);
  });

  it("a key imported after its token was negatively cached verifies at once", async () => {
    const { keyward } = setup();
    const token = generateToken("sk_test");
    expect(await keyward.verify(token)).toMatchObject({ code: "invalid_key" });
    await keyward.import({ token });
    expect((await keyward.verify(token)).ok).toBe(true);
  });

  it("cached keys expire after the cache TTL, so out-of-band store changes are seen", async () => {
    const { keyward, spy, advance } = setup({ cache: { ttl: "10s" } });
    const { token, key } = await keyward.create();
    await keyward.verify(token);
    await spy.store.updateKey(key.id, { enabled: false, updatedAt: 0 });
    expect((await keyward.verify(token)).ok).toBe(true);
    advance(10_001);
    expect(await keyward.verify(token)).toMatchObject({ code: "disabled_key" });
  });

  it("update, revoke, rotate and delete evict the key at once", async () => {
    const { keyward } = setup();
    const { token, key } = await keyward.create({ scopes: ["task:read"] });
    expect((await keyward.verify(token, { scopes: ["task:write"] })).ok).toBe(false);
    await keyward.update(key.id, { scopes: ["task:write"] });
    expect((await keyward.verify(token, { scopes: ["task:write"] })).ok).toBe(true);
    await keyward.update(key.id, { enabled: false });
    expect(await keyward.verify(token)).toMatchObject({ code: "disabled_key" });
    await keyward.update(key.id, { enabled: true });
    const rotated = await keyward.rotate(key.id);
    expect(await keyward.verify(token)).toMatchObject({ code: "expired_key" });
    await keyward.revoke(key.id);
    expect(await keyward.verify(rotated.token)).toMatchObject({ code: "revoked_key" });
    const other = await keyward.create();
    await keyward.verify(other.token);
    await keyward.delete(other.key.id);
    expect(await keyward.verify(other.token)).toMatchObject({ code: "invalid_key" });
  });

  it("cache: false looks every verification up", async () => {
    const { keyward, spy } = setup({ cache: false });
    const { token } = await keyward.create();
    spy.reset();
    await keyward.verify(token);
    await keyward.verify(token);
    await keyward.verify(generateToken("sk_test"));
    await keyward.verify(generateToken("sk_test"));
    expect(spy.count("findByHash")).toBe(4);
  });
});

describe("verify: scopes and presets", () => {
  it("a changed preset applies to existing keys (new instance over the same store)", async () => {
    const store = memoryStore();
    const presets: ScopePresets = { worker: ["task:read"] };
    const before = createKeyward({ store, scopes: presets });
    const { token } = await before.create({ scopes: ["worker"] });
    expect((await before.verify(token, { scopes: ["task:write"] })).ok).toBe(false);
    const changed: ScopePresets = { worker: ["task:read", "task:write"] };
    const after = createKeyward({ store, scopes: changed });
    expect((await after.verify(token, { scopes: ["task:write"] })).ok).toBe(true);
    await before.close();
    await after.close();
  });

  it("bad verify options are a TypeError naming the option", async () => {
    const { keyward } = setup();
    const { token } = await keyward.create();
    await expect(keyward.verify(token, { scopes: "task:read AND (" })).rejects.toThrow(TypeError);
    await expect(keyward.verify(token, { cost: 0 })).rejects.toThrow(/"cost"/);
    await expect(keyward.verify(token, { rateLimit: "default" as never })).rejects.toThrow(/"rateLimit"/);
  });

  it("createVerifier compiles once and rejects a malformed query at creation", async () => {
    const { keyward } = setup();
    expect(() => createVerifier(keyward, { scopes: "task:read AND OR x:y" })).toThrow(TypeError);
    expect(() => createVerifier({ verify: keyward.verify } as never, {})).toThrow(/createKeyward/);
    const check = createVerifier(keyward, { scopes: "task:read AND (project:read OR admin:*)" });
    const yes = await keyward.create({ scopes: ["task:read", "admin:*"] });
    const no = await keyward.create({ scopes: ["task:read"] });
    expect((await check(yes.token)).ok).toBe(true);
    expect(await check(no.token)).toMatchObject({ code: "insufficient_scope" });
    expect(await check(undefined)).toMatchObject({ code: "missing_key" });
  });
});
