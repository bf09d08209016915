/**
 * Who a key acts for: `resolveOwner` cached with the key, `invalidateOwner`, the null owner,
 * a failing or slow resolver, and the role ceiling (`ownerScopes`).
 */
import { describe, expect, it } from "vitest";
import { createAuthenticator, createKeyward, memoryStore } from "../src/index.js";
import { intersectGrants } from "../src/scopes/ceiling.js";
import { setup } from "./keyward-fixtures.js";

interface Org {
  id: string;
  plan: "free" | "pro";
  role: "reader" | "writer";
}

const ROLES: Record<string, readonly string[]> = {
  reader: ["task:read", "project:read"],
  writer: ["task:*", "project:*"],
};

function orgs(initial: Record<string, Org | null>) {
  const table = new Map(Object.entries(initial));
  const calls: string[] = [];
  return {
    table,
    calls,
    resolveOwner: async (id: string): Promise<Org | null> => {
      calls.push(id);
      return table.get(id) ?? null;
    },
  };
}

describe("resolveOwner", () => {
  it("50 verifications of one cached key call the resolver once, and every result carries the owner", async () => {
    const directory = orgs({ org_1: { id: "org_1", plan: "pro", role: "writer" } });
    const { keyward } = setup({ resolveOwner: directory.resolveOwner });
    const { token } = await keyward.create({ ownerId: "org_1", scopes: ["task:read"] });
    for (let i = 0; i < 50; i++) {
      const result = await keyward.verify(token, { scopes: ["task:read"] });
      expect(result).toMatchObject({ ok: true, owner: { id: "org_1", plan: "pro" } });
    }
    expect(directory.calls).toEqual(["org_1"]);
  });

  it("an address rejection resolves no owner; verifications racing on that cached key then share one resolution", async () => {
    const directory = orgs({ org_1: { id: "org_1", plan: "pro", role: "writer" } });
    const { keyward, spy } = setup({ resolveOwner: directory.resolveOwner });
    const { token } = await keyward.create({ ownerId: "org_1", allowedIps: ["10.0.0.0/8"] });
    expect(await keyward.verify(token, { ip: "192.0.2.1" })).toMatchObject({ code: "ip_not_allowed" });
    expect(directory.calls).toEqual([]);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => keyward.verify(token, { ip: "10.1.1.1" })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(directory.calls).toEqual(["org_1"]);
    expect(spy.count("findByHash")).toBe(1);
  });

  it("types result.owner from the resolver's return type", async () => {
    const keyward = createKeyward({
      store: memoryStore(),
      resolveOwner: async (id: string) => ({ id, plan: "pro" as const }),
    });
    const { token } = await keyward.create({ ownerId: "org_9" });
    const result = await keyward.verify(token);
    if (!result.ok) throw new Error("expected a pass");
    const plan: "pro" | undefined = result.owner?.plan;
    expect(plan).toBe("pro");
    await keyward.close();
  });

  it("a key without an owner id is verified without calling the resolver", async () => {
    const directory = orgs({});
    const { keyward } = setup({ resolveOwner: directory.resolveOwner });
    const { token } = await keyward.create({ scopes: ["task:read"] });
    const result = await keyward.verify(token);
    expect(result.ok).toBe(true);
    expect(result).not.toHaveProperty("owner");
    expect(directory.calls).toEqual([]);
  });

  it("a null owner answers 401 disabled_key saying the owner is no longer active, until invalidated", async () => {
    const directory = orgs({ org_1: null });
    const { keyward } = setup({ resolveOwner: directory.resolveOwner });
    const { token } = await keyward.create({ ownerId: "org_1" });
    const first = await keyward.verify(token);
    expect(first).toMatchObject({ ok: false, code: "disabled_key", status: 401, reason: "owner_inactive" });
    expect(first.ok === false && first.message).toMatch(/owner is no longer active/);
    await keyward.verify(token);
    expect(directory.calls).toEqual(["org_1"]); // the null answer is cached with the key
    directory.table.set("org_1", { id: "org_1", plan: "free", role: "reader" });
    await keyward.invalidateOwner("org_1");
    expect(await keyward.verify(token)).toMatchObject({ ok: true, owner: { plan: "free" } });
  });

  it("the HTTP answer for an inactive owner names it in WWW-Authenticate", async () => {
    const keyward = createKeyward({ store: memoryStore(), resolveOwner: async () => null });
    const { token } = await keyward.create({ ownerId: "gone" });
    const outcome = await createAuthenticator(keyward)({
      method: "GET",
      url: "/",
      headers: { authorization: `Bearer ${token}` },
    });
    if (outcome.ok) throw new Error("expected a rejection");
    expect(outcome.response.status).toBe(401);
    expect(outcome.response.headers["WWW-Authenticate"]).toBe(
      `Bearer realm="api", error="invalid_token", error_description="The key's owner is no longer active"`,
    );
    expect(JSON.parse(outcome.response.body)).toMatchObject({ code: "disabled_key" });
    await keyward.close();
  });

  it("a resolver that throws answers unavailable, and is asked again next time", async () => {
    let fail = true;
    const calls: string[] = [];
    const { keyward } = setup({
      resolveOwner: async (id: string) => {
        calls.push(id);
        if (fail) throw new Error("directory down");
        return { id };
      },
    });
    const { token } = await keyward.create({ ownerId: "org_1" });
    expect(await keyward.verify(token)).toMatchObject({ ok: false, code: "unavailable", status: 503 });
    fail = false;
    expect(await keyward.verify(token)).toMatchObject({ ok: true, owner: { id: "org_1" } });
    expect(calls).toEqual(["org_1", "org_1"]);
  });

  it("a resolver slower than the deadline answers unavailable, never a pass", async () => {
    const keyward = createKeyward({
      store: memoryStore(),
      timeout: 50,
      resolveOwner: () => new Promise<never>(() => {}),
    });
    const { token } = await keyward.create({ ownerId: "org_1" });
    const started = Date.now();
    expect(await keyward.verify(token)).toMatchObject({ ok: false, code: "unavailable" });
    expect(Date.now() - started).toBeLessThan(1_000);
    await keyward.close();
  });

  it("a resolver that is not async (throws synchronously) is unavailable too", async () => {
    const keyward = createKeyward({
      store: memoryStore(),
      resolveOwner: (() => {
        throw new Error("sync");
      }) as never,
    });
    const { token } = await keyward.create({ ownerId: "org_1" });
    expect(await keyward.verify(token)).toMatchObject({ ok: false, code: "unavailable" });
    await keyward.close();
  });

  it("invalidateOwner drops only that owner's keys", async () => {
    const directory = orgs({
      org_1: { id: "org_1", plan: "pro", role: "writer" },
      org_2: { id: "org_2", plan: "pro", role: "writer" },
    });
    const { keyward } = setup({ resolveOwner: directory.resolveOwner });
    const one = await keyward.create({ ownerId: "org_1" });
    const two = await keyward.create({ ownerId: "org_2" });
    await keyward.verify(one.token);
    await keyward.verify(two.token);
    await keyward.invalidateOwner("org_1");
    await keyward.verify(one.token);
    await keyward.verify(two.token);
    expect(directory.calls).toEqual(["org_1", "org_2", "org_1"]);
    await expect(keyward.invalidateOwner("")).rejects.toMatchObject({ code: "invalid_request" });
  });

  it("rejects bad options with a TypeError naming them", () => {
    expect(() => createKeyward({ store: memoryStore(), resolveOwner: "x" as never })).toThrow(
      /"resolveOwner"/,
    );
    expect(() => createKeyward({ store: memoryStore(), ownerScopes: () => [] })).toThrow(/"ownerScopes"/);
  });
});

describe("role ceiling (ownerScopes)", () => {
  it("a task:write key of an owner downgraded to read answers 403 on writes and passes reads, without re-minting", async () => {
    const directory = orgs({ org_1: { id: "org_1", plan: "pro", role: "writer" } });
    const { keyward } = setup({
      scopes: ROLES,
      resolveOwner: directory.resolveOwner,
      ownerScopes: (org) => [(org as Org).role],
    });
    const { token } = await keyward.create({ ownerId: "org_1", scopes: ["task:read", "task:write"] });
    expect((await keyward.verify(token, { scopes: ["task:write"] })).ok).toBe(true);
    directory.table.set("org_1", { id: "org_1", plan: "pro", role: "reader" });
    await keyward.invalidateOwner("org_1");
    expect(await keyward.verify(token, { scopes: ["task:write"] })).toMatchObject({
      ok: false,
      code: "insufficient_scope",
      status: 403,
    });
    expect((await keyward.verify(token, { scopes: ["task:read"] })).ok).toBe(true);
    // the key itself still holds both scopes: restoring the role restores the key
    directory.table.set("org_1", { id: "org_1", plan: "pro", role: "writer" });
    await keyward.invalidateOwner("org_1");
    expect((await keyward.verify(token, { scopes: ["task:write"] })).ok).toBe(true);
  });

  it("a wildcard key is narrowed to the owner's scopes; a nested route sees the narrowed scopes too", async () => {
    const keyward = createKeyward({
      store: memoryStore(),
      scopes: ROLES,
      resolveOwner: async (id: string) => ({ id, role: "reader" as const }),
      ownerScopes: (org) => [org.role],
    });
    const { token } = await keyward.create({ ownerId: "org_1", scopes: ["*"] });
    expect((await keyward.verify(token, { scopes: "task:read AND project:read" })).ok).toBe(true);
    expect((await keyward.verify(token, { scopes: ["task:write"] })).ok).toBe(false);
    expect((await keyward.verify(token, { scopes: ["task:*"] })).ok).toBe(false);

    const router = createAuthenticator(keyward, { scopes: ["task:read"] });
    const route = createAuthenticator(keyward, { scopes: ["task:write"] });
    const request = { method: "GET", url: "/", headers: { authorization: `Bearer ${token}` } };
    const outer = await router(request);
    expect(outer).toMatchObject({ ok: true, owner: { id: "org_1" } });
    if (!outer.ok) return;
    const inner = await route(request, outer);
    expect(inner.ok).toBe(false);
    await keyward.close();
  });

  it("an ownerScopes that throws fails closed (unavailable)", async () => {
    const keyward = createKeyward({
      store: memoryStore(),
      resolveOwner: async (id: string) => ({ id }),
      ownerScopes: () => {
        throw new Error("bug");
      },
    });
    const { token } = await keyward.create({ ownerId: "org_1", scopes: ["task:read"] });
    expect(await keyward.verify(token)).toMatchObject({ ok: false, code: "unavailable" });
    await keyward.close();
  });
});

describe("intersectGrants", () => {
  const meet = (a: string[], b: string[]) => [...intersectGrants(new Set(a), new Set(b))].sort();
  it("keeps what both sides grant, wildcards included", () => {
    expect(meet(["*"], ["task:read"])).toEqual(["task:read"]);
    expect(meet(["task:*"], ["task:read", "project:read"])).toEqual(["task:read"]);
    expect(meet(["task:*"], ["*"])).toEqual(["task:*"]);
    expect(meet(["task:*", "project:read"], ["task:*", "project:*"])).toEqual(["project:read", "task:*"]);
    expect(meet(["task:write"], ["task:read"])).toEqual([]);
    expect(meet(["*"], ["*"])).toEqual(["*"]);
    expect(meet([], ["*"])).toEqual([]);
  });
});
