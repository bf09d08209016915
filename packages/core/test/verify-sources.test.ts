import { createKeyward, memoryStore } from "@keyward/core";
import { describe, expect, it } from "vitest";
import { spyStore } from "./keyward-fixtures.js";

const flip = (token: string) => token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");

describe("verify: peppers and legacy tokens", () => {
  it("a key hashed under an older pepper verifies and is re-hashed once", async () => {
    const store = spyStore();
    const old = createKeyward({ store: store.store, pepper: "pepper-one" });
    const { token } = await old.create();
    const rotated = createKeyward({ store: store.store, pepper: ["pepper-two", "pepper-one"] });
    for (let i = 0; i < 5; i++) expect((await rotated.verify(token)).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(store.count("rehashSecret")).toBe(1);
    const fresh = createKeyward({ store: store.store, pepper: "pepper-two" });
    expect((await fresh.verify(token)).ok).toBe(true);
    expect(await old.verify(token)).toMatchObject({ code: "invalid_key" });
    await Promise.all([old.close(), rotated.close(), fresh.close()]);
  });

  it("legacy tokens verify only with legacyTokens, and own-prefix tokens still need a checksum", async () => {
    const spy = spyStore();
    const strict = createKeyward({ store: spy.store, prefix: "sk_test" });
    const legacy = createKeyward({ store: spy.store, prefix: "sk_test", legacyTokens: true });
    await strict.import({ token: "old-system-key-0123456789" });
    expect(await strict.verify("old-system-key-0123456789")).toMatchObject({ code: "invalid_key" });
    expect((await legacy.verify("old-system-key-0123456789")).ok).toBe(true);
    const { token } = await strict.create();
    spy.reset();
    expect(await legacy.verify(flip(token))).toMatchObject({ code: "invalid_key" });
    expect(spy.calls).toEqual({});
    await Promise.all([strict.close(), legacy.close()]);
  });
});

describe("verify: races with changes", () => {
  it("a lookup that read the key before revoke() must not cache it afterwards", async () => {
    const inner = memoryStore();
    let gate: Promise<void> | null = null;
    const store = {
      ...inner,
      findByHash: async (hash: string) => {
        const found = await inner.findByHash(hash); // reads the pre-revoke row
        if (gate) await gate;
        return found;
      },
    };
    const keyward = createKeyward({ store });
    const { token, key } = await keyward.create();
    let release!: () => void;
    gate = new Promise((resolve) => {
      release = resolve;
    });
    const inFlight = keyward.verify(token);
    await new Promise((resolve) => setImmediate(resolve));
    await keyward.revoke(key.id);
    gate = null;
    release();
    expect((await inFlight).ok).toBe(true); // it started before the revoke: either answer is fine
    expect(await keyward.verify(token)).toMatchObject({ code: "revoked_key" });
    await keyward.close();
  });
});
