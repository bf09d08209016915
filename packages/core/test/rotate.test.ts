import { isKeywardError } from "@keyward/core";
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

describe("rotate", () => {
  it("the old token works until the grace period ends, to the millisecond", async () => {
    const { keyward, set } = setup();
    const { token, key } = await keyward.create();
    const rotated = await keyward.rotate(key.id, { gracePeriod: "24h" });
    const grace = 24 * 3_600_000;
    set(T0 + grace - 1);
    expect((await keyward.verify(token)).ok).toBe(true);
    set(T0 + grace);
    expect(await keyward.verify(token)).toEqual({
      ok: false,
      code: "expired_key",
      status: 401,
      message: "The API key was rotated and its grace period has ended; use the new key.",
    });
    expect((await keyward.verify(rotated.token)).ok).toBe(true);
  });

  it("without a grace period the old token stops at once", async () => {
    const { keyward } = setup();
    const { token, key } = await keyward.create();
    const rotated = await keyward.rotate(key.id);
    expect(await keyward.verify(token)).toMatchObject({ code: "expired_key" });
    expect((await keyward.verify(rotated.token)).ok).toBe(true);
  });

  it("never extends or removes the key's own expiry", async () => {
    const { keyward, set } = setup();
    const { token, key } = await keyward.create({ expiresIn: "1h" });
    const rotated = await keyward.rotate(key.id, { gracePeriod: "30d" });
    expect(rotated.key.expiresAt).toEqual(new Date(T0 + 3_600_000));
    set(T0 + 3_600_000 - 1);
    expect((await keyward.verify(token)).ok).toBe(true);
    expect((await keyward.verify(rotated.token)).ok).toBe(true);
    set(T0 + 3_600_000);
    expect(await keyward.verify(token)).toMatchObject({ code: "expired_key" });
    expect(await keyward.verify(rotated.token)).toMatchObject({
      code: "expired_key",
      message: "The API key has expired.",
    });
  });

  it("the old token retires at the key's expiry even if the expiry is extended later", async () => {
    const { keyward, set, events } = setup();
    const { token, key } = await keyward.create({ expiresIn: "1h" });
    const rotated = await keyward.rotate(key.id, { gracePeriod: "30d" });
    expect(events.at(-1)).toMatchObject({ type: "key.rotated", previousExpiresAt: new Date(T0 + 3_600_000) });
    await keyward.update(key.id, { expiresAt: new Date(T0 + 60 * 86_400_000) });
    set(T0 + 3_600_000);
    expect(await keyward.verify(token)).toMatchObject({ code: "expired_key" });
    expect((await keyward.verify(rotated.token)).ok).toBe(true);
  });

  it("a second rotation does not revive or extend the first old token", async () => {
    const { keyward, set } = setup();
    const first = await keyward.create();
    const second = await keyward.rotate(first.key.id, { gracePeriod: "1m" });
    const third = await keyward.rotate(first.key.id, { gracePeriod: "1h" });
    set(T0 + 60_000);
    expect(await keyward.verify(first.token)).toMatchObject({ code: "expired_key" });
    expect((await keyward.verify(second.token)).ok).toBe(true);
    expect((await keyward.verify(third.token)).ok).toBe(true);
  });

  it("gives the key the new token's start and keeps everything else", async () => {
    const { keyward, advance } = setup();
    const { key } = await keyward.create({ name: "n", scopes: ["task:read"], metadata: { a: 1 } });
    advance(5);
    const rotated = await keyward.rotate(key.id);
    expect(rotated.key).toEqual({
      ...key,
      start: rotated.token.slice(0, 12),
      last4: rotated.token.slice(-4),
      updatedAt: new Date(T0 + 5),
    });
  });

  it("refuses revoked keys (conflict), expired keys (conflict), unknown ids (not_found) and bad grace periods", async () => {
    const { keyward, advance } = setup();
    const revoked = await keyward.create();
    await keyward.revoke(revoked.key.id);
    expect(await codeOf(keyward.rotate(revoked.key.id))).toBe("conflict");
    const expired = await keyward.create({ expiresIn: "1s" });
    advance(1_000);
    expect(await codeOf(keyward.rotate(expired.key.id))).toBe("conflict");
    expect(await codeOf(keyward.rotate("key_00000000000000000000"))).toBe("not_found");
    const live = await keyward.create();
    expect(await codeOf(keyward.rotate(live.key.id, { gracePeriod: "soon" as never }))).toBe(
      "invalid_request",
    );
  });
});
