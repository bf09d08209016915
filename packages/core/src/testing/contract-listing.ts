/**
 * The store contract, continued: listing with filters and keyset pages, usage merging, purge.
 * Like the rest of the suite, every test works on its own owner id and fresh random ids.
 */
import type { KeywardStore } from "../store/types.js";
import {
  type ContractRunner,
  freshId,
  freshOwner,
  insertFresh,
  type MakeStore,
  secretOf,
} from "./contract-helpers.js";

/** Registers the listing, usage and purge tests. */
export function runListingContract(t: ContractRunner, makeStore: MakeStore): void {
  const { describe, it, expect } = t;
  const store = (): Promise<KeywardStore> => Promise.resolve(makeStore());

  describe("listKeys", () => {
    it("orders by id descending and pages by beforeId", async () => {
      const s = await store();
      const ownerId = freshOwner();
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push((await insertFresh(s, { ownerId })).key.id);
      const newestFirst = [...ids].reverse();
      const all = await s.listKeys({ ownerId, limit: 100 });
      expect(all.map((k) => k.id)).toEqual(newestFirst);
      const page1 = await s.listKeys({ ownerId, limit: 3 });
      expect(page1.map((k) => k.id)).toEqual(newestFirst.slice(0, 3));
      const page2 = await s.listKeys({ ownerId, limit: 3, beforeId: page1[2]!.id });
      expect(page2.map((k) => k.id)).toEqual(newestFirst.slice(3, 6));
      const page3 = await s.listKeys({ ownerId, limit: 3, beforeId: page2[2]!.id });
      expect(page3.map((k) => k.id)).toEqual(newestFirst.slice(6));
      expect(all[0]).toEqual(await s.getKey(newestFirst[0]!));
    });

    it("filters by owner, exact scope and enabled, together", async () => {
      const s = await store();
      const ownerId = freshOwner();
      const a = (await insertFresh(s, { ownerId, scopes: ["task:read", "task:write"] })).key;
      const b = (await insertFresh(s, { ownerId, scopes: ["task:read"], enabled: false })).key;
      const c = (await insertFresh(s, { ownerId, scopes: ["task:*"] })).key;
      await insertFresh(s, { scopes: ["task:read"] }); // another owner
      const ids = async (filter: Parameters<KeywardStore["listKeys"]>[0]) =>
        (await s.listKeys(filter)).map((k) => k.id);
      expect(await ids({ ownerId, limit: 10 })).toEqual([c.id, b.id, a.id]);
      expect(await ids({ ownerId, scope: "task:read", limit: 10 })).toEqual([b.id, a.id]);
      expect(await ids({ ownerId, scope: "task:write", limit: 10 })).toEqual([a.id]);
      expect(await ids({ ownerId, scope: "task", limit: 10 })).toEqual([]);
      expect(await ids({ ownerId, enabled: true, limit: 10 })).toEqual([c.id, a.id]);
      expect(await ids({ ownerId, enabled: false, scope: "task:read", limit: 10 })).toEqual([b.id]);
    });

    it("pages without duplicates or misses while keys are inserted concurrently", async () => {
      const s = await store();
      const ownerId = freshOwner();
      const original: string[] = [];
      for (let i = 0; i < 25; i++) original.push((await insertFresh(s, { ownerId })).key.id);
      const seen: string[] = [];
      let beforeId: string | undefined;
      for (;;) {
        const [page] = await Promise.all([
          s.listKeys({ ownerId, limit: 4, ...(beforeId !== undefined && { beforeId }) }),
          insertFresh(s, { ownerId }),
          insertFresh(s, { ownerId }),
        ]);
        seen.push(...page.map((k) => k.id).filter((id) => id <= original[original.length - 1]!));
        if (page.length < 4) break;
        beforeId = page[page.length - 1]!.id;
      }
      expect(seen).toEqual([...original].reverse());
    });
  });

  describe("recordUsage", () => {
    it("keeps the latest lastUsedAt and adds counts; ignores unknown ids", async () => {
      const s = await store();
      const { key } = await insertFresh(s, { lastUsedAt: null, usageCount: 0 });
      const { key: other } = await insertFresh(s, { lastUsedAt: 9_000, usageCount: 10 });
      await s.recordUsage([
        { id: key.id, lastUsedAt: 5_000, count: 3 },
        { id: other.id, lastUsedAt: 1_000, count: 2 },
        { id: freshId(), lastUsedAt: 1, count: 1 },
      ]);
      await s.recordUsage([{ id: key.id, lastUsedAt: 4_000, count: 4 }]);
      await s.recordUsage([]);
      expect(await s.getKey(key.id)).toMatchObject({ lastUsedAt: 5_000, usageCount: 7 });
      expect(await s.getKey(other.id)).toMatchObject({ lastUsedAt: 9_000, usageCount: 12 });
      await s.recordUsage([{ id: key.id, lastUsedAt: 6_000, count: 1 }]);
      expect(await s.getKey(key.id)).toMatchObject({
        lastUsedAt: 6_000,
        usageCount: 8,
        updatedAt: key.updatedAt,
      });
    });
  });

  describe("purge", () => {
    it("removes keys revoked or expired before the cutoff, in batches, and expired secrets", async () => {
      const s = await store();
      // Ancient times, so that only this test's keys are old enough to go.
      const base = 300_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1_000;
      const old = { createdAt: base, updatedAt: base };
      const revoked = (await insertFresh(s, { ...old, revokedAt: base + 10 })).key;
      const expired = (await insertFresh(s, { ...old, expiresAt: base + 20 })).key;
      const expired2 = (await insertFresh(s, { ...old, expiresAt: base + 30 })).key;
      const lateRevoked = (await insertFresh(s, { ...old, revokedAt: base + 5_000 })).key;
      const live = await insertFresh(s, { ...old, expiresAt: base + 5_000 });
      const next = secretOf(live.key, { createdAt: base + 1 });
      await s.rotateKey(live.key.id, next, base + 40);

      const first = await s.purge(base + 1_000, 2);
      expect(first).toBe(2);
      const second = await s.purge(base + 1_000, 2);
      expect(second).toBe(1);
      for (const gone of [revoked, expired, expired2]) expect(await s.getKey(gone.id)).toBeNull();
      expect(await s.getKey(lateRevoked.id)).toEqual(lateRevoked);
      expect(await s.getKey(live.key.id)).toMatchObject({ id: live.key.id });
      expect(await s.findByHash(live.secret.hash)).toBeNull();
      expect((await s.findByHash(next.hash))?.key.id).toBe(live.key.id);
      expect(await s.purge(base + 1_000, 100)).toBe(0);
    });
  });
}
