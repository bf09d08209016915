import { createHash, createHmac } from "node:crypto";
import { createKeyward, type KeywardEvent, memoryStore } from "@keyward/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setup, spyStore, T0 } from "./keyward-fixtures.js";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

afterEach(() => {
  vi.restoreAllMocks();
});

describe("events", () => {
  it("emits one event per change, with the key, its owner and what changed", async () => {
    const { keyward, events } = setup();
    const { token, key } = await keyward.create({ ownerId: "org_1" });
    await keyward.update(key.id, { name: "renamed", enabled: true });
    await keyward.rotate(key.id, { gracePeriod: "1h" });
    await keyward.revoke(key.id);
    await keyward.revoke(key.id); // idempotent: no second event
    await keyward.verify(token);
    await keyward.delete(key.id);
    expect(events.map((e) => e.type)).toEqual([
      "key.created",
      "key.updated",
      "key.rotated",
      "key.revoked",
      "key.rejected",
      "key.deleted",
    ]);
    for (const event of events)
      expect(event).toMatchObject({ keyId: key.id, ownerId: "org_1", at: new Date(T0) });
    expect(events[1]).toMatchObject({ changes: ["name", "enabled"], key: { name: "renamed" } });
    expect(events[2]).toMatchObject({ previousExpiresAt: new Date(T0 + 3_600_000) });
    expect(events[4]).toMatchObject({ code: "revoked_key" });
  });

  it("rejections carry the code, and the key id only when a key was found", async () => {
    const { keyward, events } = setup();
    await keyward.verify(undefined);
    await keyward.verify("sk_test_nope");
    const { token, key } = await keyward.create({ scopes: ["task:read"] });
    await keyward.verify(token, { scopes: ["task:write"] });
    const rejected = events.filter((e) => e.type === "key.rejected");
    expect(rejected).toEqual([
      { type: "key.rejected", at: new Date(T0), keyId: null, ownerId: null, code: "missing_key" },
      { type: "key.rejected", at: new Date(T0), keyId: null, ownerId: null, code: "invalid_key" },
      { type: "key.rejected", at: new Date(T0), keyId: key.id, ownerId: null, code: "insufficient_scope" },
    ]);
  });

  it("a throwing or rejecting listener never breaks a request, and is reported once without secrets", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    for (const onEvent of [
      () => {
        throw new Error("listener bug");
      },
      () => Promise.reject(new Error("async listener bug")),
    ]) {
      warn.mockClear();
      const keyward = createKeyward({ store: memoryStore(), onEvent });
      const { token, key } = await keyward.create();
      expect((await keyward.verify(token)).ok).toBe(true);
      expect((await keyward.verify("bad")).ok).toBe(false);
      await keyward.revoke(key.id);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(warn).toHaveBeenCalledTimes(1);
      expect(JSON.stringify(warn.mock.calls)).not.toContain(token);
      await keyward.close();
    }
  });

  it("a listener that mutates an event cannot change what the caller got", async () => {
    const keyward = createKeyward({
      store: memoryStore(),
      onEvent: (event) => {
        if ("key" in event) event.key.scopes.push("admin:*");
      },
    });
    const { key } = await keyward.create({ scopes: ["task:read"] });
    expect(key.scopes).toEqual(["task:read"]);
    expect((await keyward.get(key.id))?.scopes).toEqual(["task:read"]);
  });
});

describe("no token or hash in any output", () => {
  it("scans every returned object, result and event of a whole key lifecycle", async () => {
    const events: KeywardEvent[] = [];
    const spy = spyStore();
    const keyward = createKeyward({
      store: spy.store,
      prefix: "sk_test",
      pepper: "pepper",
      rateLimit: { limit: 1, window: "1m" },
      onEvent: (event) => {
        events.push(event);
      },
    });
    const outputs: unknown[] = [];
    const created = await keyward.create({ ownerId: "org", scopes: ["task:read"], quota: { limit: 5 } });
    outputs.push(created.key);
    outputs.push(await keyward.verify(created.token));
    outputs.push(await keyward.verify(created.token)); // rate limited
    outputs.push(await keyward.verify(created.token, { scopes: ["x:y"] }));
    outputs.push(await keyward.get(created.key.id), await keyward.list());
    outputs.push(await keyward.update(created.key.id, { name: "n" }));
    const rotated = await keyward.rotate(created.key.id, { gracePeriod: "1h" });
    outputs.push(rotated.key, await keyward.verify(rotated.token));
    outputs.push(await keyward.revoke(created.key.id), await keyward.verify(created.token));
    const legacy = "legacy-token-value-123456";
    outputs.push(await keyward.import({ token: legacy }));
    await keyward.delete(created.key.id);
    const text = JSON.stringify([outputs, events]);
    const tokens = [created.token, rotated.token, legacy];
    const stored = [
      ...(spy.args.insertKey ?? []).map((call) => (call[1] as { hash: string }).hash),
      ...(spy.args.rotateKey ?? []).map((call) => (call[1] as { hash: string }).hash),
    ];
    expect(stored).toHaveLength(3);
    const hashes = tokens.flatMap((token) => [
      sha256(token),
      createHmac("sha256", "pepper").update(sha256(token)).digest("hex"),
    ]);
    for (const secret of [...tokens, ...hashes, ...stored, created.token.slice(12)]) {
      expect(text).not.toContain(secret);
    }
    for (const output of outputs.flatMap((o) =>
      o && typeof o === "object" && "items" in o ? (o as { items: unknown[] }).items : [o],
    )) {
      if (output && typeof output === "object" && "id" in output) {
        expect(Object.keys(output).sort()).toEqual(
          [
            "allowedIps",
            "last4",
            "createdAt",
            "enabled",
            "expiresAt",
            "id",
            "lastUsedAt",
            "metadata",
            "name",
            "ownerId",
            "prefix",
            "quota",
            "rateLimit",
            "revokedAt",
            "scopes",
            "start",
            "updatedAt",
            "usageCount",
          ].sort(),
        );
      }
    }
  });
});
