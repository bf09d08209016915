import { isKeywardError } from "@keyward/core";
import { describe, expect, it } from "vitest";
import { setup } from "./keyward-fixtures.js";

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return "resolved";
  } catch (error) {
    return isKeywardError(error) ? error.code : String(error);
  }
};

describe("list", () => {
  it("pages newest first with an opaque cursor and a null cursor on the last page", async () => {
    const { keyward } = setup();
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) ids.push((await keyward.create({ ownerId: "org_1" })).key.id);
    const first = await keyward.list();
    expect(first.items).toHaveLength(50);
    expect(first.items.map((k) => k.id)).toEqual(ids.slice(-50).reverse());
    const second = await keyward.list({ cursor: first.nextCursor });
    const third = await keyward.list({ cursor: second.nextCursor });
    expect(third.items).toHaveLength(20);
    expect(third.nextCursor).toBeNull();
    expect([...first.items, ...second.items, ...third.items].map((k) => k.id)).toEqual([...ids].reverse());
    expect(first.nextCursor).not.toContain("key_");
    const exact = await keyward.list({ limit: 120 });
    expect(exact.nextCursor).toBeNull();
  });

  it("has no duplicates or misses while keys are created between pages", async () => {
    const { keyward } = setup();
    const before: string[] = [];
    for (let i = 0; i < 30; i++) before.push((await keyward.create()).key.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await keyward.list({ limit: 7, cursor });
      await Promise.all([keyward.create(), keyward.create()]);
      seen.push(...page.items.map((k) => k.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...before].reverse());
  });

  it("filters by owner, scope and enabled", async () => {
    const { keyward } = setup({ scopes: { reader: ["task:read"] } });
    const a = await keyward.create({ ownerId: "org_a", scopes: ["reader"] });
    const b = await keyward.create({ ownerId: "org_a", scopes: ["task:write"], enabled: false });
    await keyward.create({ ownerId: "org_b", scopes: ["reader"] });
    const ids = async (query: Parameters<typeof keyward.list>[0]) =>
      (await keyward.list(query)).items.map((k) => k.id);
    expect(await ids({ ownerId: "org_a" })).toEqual([b.key.id, a.key.id]);
    expect(await ids({ ownerId: "org_a", scope: "reader" })).toEqual([a.key.id]);
    expect(await ids({ ownerId: "org_a", enabled: false })).toEqual([b.key.id]);
  });

  it("shows each key's quota balance", async () => {
    const { keyward } = setup();
    const { token } = await keyward.create({ quota: { limit: 5 } });
    await keyward.verify(token);
    expect((await keyward.list()).items[0]?.quota).toMatchObject({ limit: 5, remaining: 4 });
  });

  it("rejects a malformed cursor and an out-of-range limit with invalid_request", async () => {
    const { keyward } = setup();
    for (const cursor of ["nope!", "a2V5X3g", Buffer.from("key_short").toString("base64url")]) {
      expect(await codeOf(keyward.list({ cursor }))).toBe("invalid_request");
    }
    for (const limit of [0, 1001, 1.5, -1])
      expect(await codeOf(keyward.list({ limit }))).toBe("invalid_request");
    expect((await keyward.list({ limit: 1000 })).items).toEqual([]);
  });
});
