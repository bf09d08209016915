import { createKeyward, isKeywardError, KeywardError, memoryStore } from "@keyward/core";
import { describe, expect, it } from "vitest";
import { setup, T0 } from "./keyward-fixtures.js";

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return "resolved";
  } catch (error) {
    return isKeywardError(error) ? error.code : String(error);
  }
};
const messageOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return "resolved";
  } catch (error) {
    return (error as Error).message;
  }
};

describe("create", () => {
  it("returns the token once and a complete key", async () => {
    const { keyward } = setup();
    const { token, key } = await keyward.create({
      name: "CI",
      ownerId: "org_1",
      scopes: ["task:read"],
      expiresIn: "90d",
      metadata: { from: "settings" },
      rateLimit: { limit: 100, window: "1m" },
      quota: { limit: 10, refill: { interval: "30d" } },
    });
    expect(token).toMatch(/^sk_test_[0-9A-Za-z]{38}$/);
    expect(key).toEqual({
      id: expect.stringMatching(/^key_[0-9A-Za-z]{20}$/),
      name: "CI",
      ownerId: "org_1",
      prefix: "sk_test",
      start: token.slice(0, 12),
      last4: token.slice(-4),
      allowedIps: null,
      scopes: ["task:read"],
      metadata: { from: "settings" },
      enabled: true,
      createdAt: new Date(T0),
      updatedAt: new Date(T0),
      expiresAt: new Date(T0 + 90 * 86_400_000),
      revokedAt: null,
      lastUsedAt: null,
      usageCount: 0,
      rateLimit: [
        { name: "default", limit: 100, window: 60_000, algorithm: "sliding-window", autoApply: false },
      ],
      quota: {
        limit: 10,
        refill: { interval: 30 * 86_400_000, amount: 10 },
        remaining: 10,
        refillAt: new Date(T0 + 30 * 86_400_000),
      },
    });
    expect(await keyward.get(key.id)).toEqual(key);
    const minimal = await keyward.create();
    expect(minimal.key).toMatchObject({
      name: null,
      ownerId: null,
      scopes: [],
      metadata: {},
      rateLimit: null,
      quota: null,
    });
  });

  it("ids sort by creation time, newest last", async () => {
    const { keyward, advance } = setup();
    const ids = [];
    for (let i = 0; i < 20; i++) {
      if (i % 5 === 0) advance(1);
      ids.push((await keyward.create()).key.id);
    }
    expect([...ids].sort()).toEqual(ids);
  });

  it.each([
    [{ name: 5 }, '"name"'],
    [{ name: "" }, '"name"'],
    [{ ownerId: "x".repeat(300) }, '"ownerId"'],
    [{ scopes: "task:read" }, '"scopes"'],
    [{ scopes: ["not a scope"] }, "scopes[0]"],
    [{ expiresIn: "1d", expiresAt: new Date(T0 + 10) }, '"expiresIn" or "expiresAt"'],
    [{ expiresIn: "later" }, '"expiresIn"'],
    [{ expiresAt: new Date(T0 - 1) }, '"expiresAt"'],
    [{ expiresAt: "tomorrow" }, '"expiresAt"'],
    [{ metadata: [1] }, '"metadata"'],
    [{ metadata: { big: "x".repeat(70_000) } }, '"metadata"'],
    [{ enabled: "yes" }, '"enabled"'],
    [{ rateLimit: { limit: -1, window: "1m" } }, "rateLimit"],
    [{ quota: { limit: "lots" } }, "quota"],
    [{ owner: "org_1" }, '"owner"'],
  ])("rejects %j with invalid_request naming the field", async (input, field) => {
    const { keyward } = setup();
    const attempt = keyward.create(input as never);
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeywardError);
    expect((error as KeywardError).code).toBe("invalid_request");
    expect((error as KeywardError).status).toBe(400);
    expect((error as KeywardError).message).toContain(field);
  });

  it("refuses scopes that are neither presets nor resource:action", async () => {
    const { keyward } = setup({ scopes: { reader: ["task:read"] } });
    expect((await keyward.create({ scopes: ["reader", "project:*"] })).key.scopes).toEqual([
      "reader",
      "project:*",
    ]);
    expect(await codeOf(keyward.create({ scopes: ["writer"] }))).toBe("invalid_request");
  });
});

describe("get, update, revoke, delete", () => {
  it("get answers null for an unknown id; the others throw not_found", async () => {
    const { keyward } = setup();
    const ghost = "key_0000000000ghost0000";
    expect(await keyward.get(ghost)).toBeNull();
    for (const attempt of [
      keyward.update(ghost, { name: "x" }),
      keyward.revoke(ghost),
      keyward.rotate(ghost),
      keyward.delete(ghost),
    ]) {
      expect(await codeOf(attempt)).toBe("not_found");
    }
  });

  it("update changes only the given fields and stamps updatedAt", async () => {
    const { keyward, advance } = setup();
    const { key } = await keyward.create({
      name: "a",
      scopes: ["task:read"],
      metadata: { a: 1 },
      expiresIn: "1d",
    });
    advance(10);
    const updated = await keyward.update(key.id, { name: null, metadata: { b: 2 }, expiresAt: null });
    expect(updated).toEqual({
      ...key,
      name: null,
      metadata: { b: 2 },
      expiresAt: null,
      updatedAt: new Date(T0 + 10),
    });
    expect(await messageOf(keyward.update(key.id, { color: "red" } as never))).toContain('"color"');
  });

  it("update of rateLimit: a policy, null (none) and 'default' (back to the keyward-wide one)", async () => {
    const { keyward } = setup({ rateLimit: { limit: 1, window: "1h" } });
    const { token, key } = await keyward.create();
    await keyward.verify(token);
    expect(await keyward.verify(token)).toMatchObject({ code: "rate_limited" });
    expect((await keyward.update(key.id, { rateLimit: null })).rateLimit).toEqual([]);
    expect((await keyward.verify(token)).ok).toBe(true);
    expect((await keyward.update(key.id, { rateLimit: "default" })).rateLimit).toBeNull();
    expect(await keyward.verify(token)).toMatchObject({ code: "rate_limited" });
  });

  it("setting a quota resets its balance; null removes it", async () => {
    const { keyward } = setup();
    const { token, key } = await keyward.create({ quota: { limit: 1 } });
    await keyward.verify(token);
    expect(await keyward.verify(token)).toMatchObject({ code: "usage_exceeded" });
    const updated = await keyward.update(key.id, { quota: { limit: 3, remaining: 2 } });
    expect(updated.quota).toMatchObject({ limit: 3, remaining: 2 });
    expect((await keyward.verify(token)).ok).toBe(true);
    expect((await keyward.update(key.id, { quota: null })).quota).toBeNull();
    for (let i = 0; i < 5; i++) expect((await keyward.verify(token)).ok).toBe(true);
  });

  it("revoke is permanent and idempotent", async () => {
    const { keyward, advance } = setup();
    const { key } = await keyward.create();
    const revoked = await keyward.revoke(key.id);
    expect(revoked.revokedAt).toEqual(new Date(T0));
    advance(1_000);
    expect((await keyward.revoke(key.id)).revokedAt).toEqual(new Date(T0));
    expect((await keyward.update(key.id, { enabled: true })).revokedAt).toEqual(new Date(T0));
  });

  it("delete removes the key and clears its counters", async () => {
    const { keyward, spy } = setup({ rateLimit: { limit: 5, window: "1m" } });
    const { token, key } = await keyward.create({ ownerId: "org_9", quota: { limit: 3 } });
    await keyward.verify(token);
    await keyward.delete(key.id);
    expect(await keyward.get(key.id)).toBeNull();
    expect(spy.args.clearCounters?.at(-1)).toEqual(["org_9", [`k:${key.id}:default`, `q:${key.id}`]]);
    expect(await keyward.verify(token)).toMatchObject({ code: "invalid_key" });
  });

  it("management calls fail with unavailable when the store is down", async () => {
    const { keyward, spy } = setup({ timeout: 20 });
    spy.fail.add("insertKey");
    expect(await codeOf(keyward.create())).toBe("unavailable");
    spy.hang.add("listKeys");
    expect(await codeOf(keyward.list())).toBe("unavailable");
  });
});

describe("partial store failures", () => {
  it("rotate still hands out the new token when only the start update fails", async () => {
    const { keyward, spy } = setup();
    const { token, key } = await keyward.create();
    spy.fail.add("updateKey");
    const rotated = await keyward.rotate(key.id);
    spy.fail.clear();
    expect((await keyward.verify(rotated.token)).ok).toBe(true);
    expect(await keyward.verify(token)).toMatchObject({ code: "expired_key" });
  });

  it("update evicts the key even when setting the quota balance fails", async () => {
    const { keyward, spy } = setup();
    const { token, key } = await keyward.create({ scopes: ["task:read"] });
    await keyward.verify(token);
    spy.fail.add("setQuota");
    expect(await codeOf(keyward.update(key.id, { scopes: ["task:write"], quota: { limit: 5 } }))).toBe(
      "unavailable",
    );
    spy.fail.clear();
    expect((await keyward.verify(token, { scopes: ["task:write"] })).ok).toBe(true);
  });

  it("delete succeeds (and the token stops) even when clearing counters fails", async () => {
    const warn = console.warn;
    console.warn = () => {};
    try {
      const { keyward, spy } = setup();
      const { token, key } = await keyward.create();
      await keyward.verify(token);
      spy.fail.add("clearCounters");
      await keyward.delete(key.id);
      expect(await keyward.verify(token)).toMatchObject({ code: "invalid_key" });
    } finally {
      console.warn = warn;
    }
  });
});

describe("typed presets", () => {
  it("accepts preset and scope names from a const presets object", async () => {
    const keyward = createKeyward({ store: memoryStore(), scopes: { reader: ["task:read"] } });
    await keyward.create({ scopes: ["reader", "task:read", "*", "task:*"] });
    // @ts-expect-error — "writer" is not a preset of this instance
    await keyward.create({ scopes: ["writer"] }).catch(() => {});
    // @ts-expect-error — a scope no preset grants
    await keyward.verify("t", { scopes: ["project:delete"] });
  });
});
