/**
 * The key half of the store contract: every KeyStore operation, one behaviour per test.
 * Each test works on fresh random ids and its own owner id, so tests never see each other's
 * keys even on a shared backend.
 */
import type { KeywardStore, StoredKey } from "../store/types.js";
import {
  type ContractRunner,
  codeOf,
  freshHash,
  freshId,
  insertFresh,
  type MakeStore,
  rejectionOf,
  secretOf,
  storedKey,
} from "./contract-helpers.js";

/** Registers the key-store tests. */
export function runKeyContract(t: ContractRunner, makeStore: MakeStore): void {
  const { describe, it, expect } = t;
  const store = (): Promise<KeywardStore> => Promise.resolve(makeStore());

  describe("insertKey / getKey / findByHash", () => {
    it("round-trips every field of a key", async () => {
      const s = await store();
      const { key, secret } = await insertFresh(s, { expiresAt: Date.now() + 60_000, lastUsedAt: 5 });
      expect(await s.getKey(key.id)).toEqual(key);
      expect(await s.findByHash(secret.hash)).toEqual({ key, secret });
    });

    it("round-trips nulls and empty lists", async () => {
      const s = await store();
      const { key } = await insertFresh(s, {
        name: null,
        ownerId: null,
        scopes: [],
        metadata: {},
        rateLimit: null,
        quota: null,
        enabled: false,
      });
      expect(await s.getKey(key.id)).toEqual(key);
      const none = await insertFresh(s, { rateLimit: [], quota: { limit: 5, refill: null } });
      expect(await s.getKey(none.key.id)).toEqual(none.key);
    });

    it("answers null for an unknown id or hash", async () => {
      const s = await store();
      expect(await s.getKey(freshId())).toBeNull();
      expect(await s.findByHash(freshHash())).toBeNull();
    });

    it("rejects a duplicate id with conflict and keeps the first key", async () => {
      const s = await store();
      const { key, secret } = await insertFresh(s);
      const again = storedKey({ id: key.id, name: "intruder" });
      const otherHash = freshHash();
      expect(codeOf(await rejectionOf(s.insertKey(again, secretOf(again, { hash: otherHash }))))).toBe(
        "conflict",
      );
      expect(await s.getKey(key.id)).toEqual(key);
      expect(await s.findByHash(otherHash)).toBeNull();
      expect((await s.findByHash(secret.hash))?.key).toEqual(key);
    });

    it("rejects a duplicate hash with conflict and stores nothing of the second key", async () => {
      const s = await store();
      const { key, secret } = await insertFresh(s);
      const other = storedKey();
      expect(codeOf(await rejectionOf(s.insertKey(other, secretOf(other, { hash: secret.hash }))))).toBe(
        "conflict",
      );
      expect(await s.getKey(other.id)).toBeNull();
      expect((await s.findByHash(secret.hash))?.key.id).toBe(key.id);
    });

    it("hands out copies: mutating a result or an input changes nothing stored", async () => {
      const s = await store();
      const key = storedKey();
      const secret = secretOf(key);
      await s.insertKey(key, secret);
      const expected = structuredClone(key);
      key.scopes.push("admin:*");
      (key.metadata as { plan: string }).plan = "mutated";
      const got = (await s.getKey(key.id))!;
      got.scopes.push("admin:*");
      got.rateLimit![0]!.limit = 1;
      expect(await s.getKey(key.id)).toEqual(expected);
    });
  });

  describe("updateKey", () => {
    it("changes exactly the given fields", async () => {
      const s = await store();
      const { key } = await insertFresh(s);
      const patch = {
        name: "renamed",
        enabled: false,
        scopes: ["task:write"],
        metadata: { replaced: true },
        expiresAt: key.createdAt + 1_000,
        rateLimit: [],
        quota: { limit: 7, refill: null },
        updatedAt: key.createdAt + 10,
      };
      const updated = await s.updateKey(key.id, patch);
      const expected: StoredKey = { ...key, ...patch };
      expect(updated).toEqual(expected);
      expect(await s.getKey(key.id)).toEqual(expected);
    });

    it("sets nullable fields to null and leaves unmentioned ones alone", async () => {
      const s = await store();
      const { key } = await insertFresh(s, { expiresAt: Date.now() + 60_000 });
      const updated = await s.updateKey(key.id, {
        name: null,
        expiresAt: null,
        rateLimit: null,
        quota: null,
        updatedAt: key.updatedAt + 1,
      });
      expect(updated).toEqual({
        ...key,
        name: null,
        expiresAt: null,
        rateLimit: null,
        quota: null,
        updatedAt: key.updatedAt + 1,
      });
    });

    it("sets revokedAt, prefix and start", async () => {
      const s = await store();
      const { key } = await insertFresh(s);
      const at = key.createdAt + 5;
      const updated = await s.updateKey(key.id, {
        revokedAt: at,
        prefix: "sk_live",
        start: "sk_live_Zz9a",
        updatedAt: at,
      });
      expect(updated).toEqual({
        ...key,
        revokedAt: at,
        prefix: "sk_live",
        start: "sk_live_Zz9a",
        updatedAt: at,
      });
    });

    it("answers null for an unknown id", async () => {
      const s = await store();
      expect(await s.updateKey(freshId(), { name: "x", updatedAt: Date.now() })).toBeNull();
    });
  });

  describe("rotateKey", () => {
    it("retires the current secret at retireAt and adds the new one", async () => {
      const s = await store();
      const { key, secret } = await insertFresh(s);
      const at = key.createdAt + 1_000;
      const next = secretOf(key, { createdAt: at });
      const rotated = await s.rotateKey(key.id, next, at + 500);
      expect(rotated).toEqual({ ...key, updatedAt: at });
      expect(await s.findByHash(secret.hash)).toEqual({
        key: rotated,
        secret: { ...secret, expiresAt: at + 500 },
      });
      expect(await s.findByHash(next.hash)).toEqual({ key: rotated, secret: next });
    });

    it("never moves an earlier retirement later (min rule) but does move later ones earlier", async () => {
      const s = await store();
      const { key, secret: first } = await insertFresh(s);
      const t0 = key.createdAt;
      const second = secretOf(key, { createdAt: t0 + 1 });
      await s.rotateKey(key.id, second, t0 + 100);
      const third = secretOf(key, { createdAt: t0 + 2 });
      await s.rotateKey(key.id, third, t0 + 500);
      expect((await s.findByHash(first.hash))?.secret.expiresAt).toBe(t0 + 100);
      expect((await s.findByHash(second.hash))?.secret.expiresAt).toBe(t0 + 500);
      const fourth = secretOf(key, { createdAt: t0 + 3 });
      await s.rotateKey(key.id, fourth, t0 + 50);
      expect((await s.findByHash(first.hash))?.secret.expiresAt).toBe(t0 + 50);
      expect((await s.findByHash(second.hash))?.secret.expiresAt).toBe(t0 + 50);
      expect((await s.findByHash(third.hash))?.secret.expiresAt).toBe(t0 + 50);
      expect((await s.findByHash(fourth.hash))?.secret.expiresAt).toBeNull();
    });

    it("still finds a retired secret, with its expiresAt (core decides it has expired)", async () => {
      const s = await store();
      const { key, secret } = await insertFresh(s);
      const retired = key.createdAt - 60_000;
      await s.rotateKey(key.id, secretOf(key, { createdAt: key.createdAt + 1 }), retired);
      expect(await s.findByHash(secret.hash)).toMatchObject({
        key: { id: key.id },
        secret: { expiresAt: retired },
      });
    });

    it("answers null for an unknown id and adds no secret", async () => {
      const s = await store();
      const ghost = storedKey();
      const secret = secretOf(ghost);
      expect(await s.rotateKey(ghost.id, secret, Date.now())).toBeNull();
      expect(await s.findByHash(secret.hash)).toBeNull();
    });
  });

  describe("rehashSecret", () => {
    it("re-keys a secret and keeps its expiry", async () => {
      const s = await store();
      const { key, secret } = await insertFresh(s);
      const next = secretOf(key, { createdAt: key.createdAt + 1 });
      await s.rotateKey(key.id, next, key.createdAt + 999);
      const newHash = freshHash();
      await s.rehashSecret(secret.hash, newHash);
      expect(await s.findByHash(secret.hash)).toBeNull();
      const found = await s.findByHash(newHash);
      expect(found?.key.id).toBe(key.id);
      expect(found?.secret).toEqual({ ...secret, hash: newHash, expiresAt: key.createdAt + 999 });
      expect((await s.findByHash(next.hash))?.key.id).toBe(key.id);
    });

    it("ignores an unknown hash", async () => {
      const s = await store();
      const newHash = freshHash();
      await s.rehashSecret(freshHash(), newHash);
      expect(await s.findByHash(newHash)).toBeNull();
    });
  });

  describe("deleteKey", () => {
    it("removes the key and every secret of it", async () => {
      const s = await store();
      const { key, secret } = await insertFresh(s);
      const next = secretOf(key, { createdAt: key.createdAt + 1 });
      await s.rotateKey(key.id, next, key.createdAt + 60_000);
      expect(await s.deleteKey(key.id)).toBe(true);
      expect(await s.getKey(key.id)).toBeNull();
      expect(await s.findByHash(secret.hash)).toBeNull();
      expect(await s.findByHash(next.hash)).toBeNull();
      expect(await s.listKeys({ ownerId: key.ownerId!, limit: 10 })).toEqual([]);
      expect(await s.deleteKey(key.id)).toBe(false);
    });

    it("frees the hash for a new key", async () => {
      const s = await store();
      const { key, secret } = await insertFresh(s);
      await s.deleteKey(key.id);
      const other = storedKey();
      await s.insertKey(other, secretOf(other, { hash: secret.hash }));
      expect((await s.findByHash(secret.hash))?.key.id).toBe(other.id);
    });
  });
}
