import { createKeyward, KeywardError, memoryStore } from "@keyward/core";
import { describe, expect, it } from "vitest";

const setup = (extra: Partial<Parameters<typeof createKeyward>[0]> = {}) => {
  let now = Date.UTC(2026, 0, 1);
  const clock = () => now;
  const keyward = createKeyward({ store: memoryStore(), prefix: "sk_test", clock, ...extra });
  return { keyward, advance: (ms: number) => (now += ms), clock };
};

describe("createKeyward", () => {
  it("creates a key whose token verifies and carries the key", async () => {
    const { keyward } = setup();
    const { token, key } = await keyward.create({ name: "CI", ownerId: "org_1", scopes: ["task:read"] });
    expect(token.startsWith("sk_test_")).toBe(true);
    expect(key.id).toMatch(/^key_[0-9A-Za-z]{20}$/);
    expect(key.start).toBe(token.slice(0, 12));
    const result = await keyward.verify(token);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.key.id).toBe(key.id);
    expect(await keyward.get(key.id)).toEqual(key);
  });

  it("answers missing_key and invalid_key", async () => {
    const { keyward } = setup();
    for (const token of [undefined, null, ""]) {
      expect(await keyward.verify(token)).toMatchObject({ ok: false, code: "missing_key", status: 401 });
    }
    expect(await keyward.verify("sk_test_garbage")).toMatchObject({
      ok: false,
      code: "invalid_key",
      status: 401,
    });
  });

  it("revokes and rotates", async () => {
    const { keyward, advance } = setup();
    const { token, key } = await keyward.create();
    const rotated = await keyward.rotate(key.id, { gracePeriod: "1m" });
    expect((await keyward.verify(token)).ok).toBe(true);
    expect((await keyward.verify(rotated.token)).ok).toBe(true);
    advance(60_000);
    expect(await keyward.verify(token)).toMatchObject({ code: "expired_key" });
    expect((await keyward.verify(rotated.token)).ok).toBe(true);
    await keyward.revoke(key.id);
    expect(await keyward.verify(rotated.token)).toMatchObject({ code: "revoked_key" });
    await expect(keyward.rotate(key.id)).rejects.toBeInstanceOf(KeywardError);
  });
});
