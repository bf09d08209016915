/**
 * The concurrency half of the key contract: parallel inserts, parallel partial updates of one
 * key, a revoke racing verifications through a real `createKeyward`, and (when the store has
 * a bus) a revoke seen by a second instance within a second.
 */
import { createKeyward } from "../service/keyward.js";
import type { KeywardStore } from "../store/types.js";
import type { Keyward, VerifyResult } from "../types.js";
import {
  type ContractRunner,
  freshOwner,
  insertFresh,
  type MakeStore,
  type StoreCapabilities,
  secretOf,
  storedKey,
  watchSubscription,
} from "./contract-helpers.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Registers the concurrency tests. */
export function runRaceContract(
  t: ContractRunner,
  makeStore: MakeStore,
  capabilities: StoreCapabilities,
): void {
  const { describe, it, expect } = t;
  const store = (): Promise<KeywardStore> => Promise.resolve(makeStore());

  async function withKeyward<T>(s: KeywardStore, run: (keyward: Keyward) => Promise<T>): Promise<T> {
    const keyward = createKeyward({ store: s, prefix: "sk_contract", writeBehind: { interval: 60_000 } });
    try {
      return await run(keyward);
    } finally {
      await keyward.close();
    }
  }

  describe("concurrency", () => {
    it("keeps all of 50 parallel inserts, each once", async () => {
      const s = await store();
      const ownerId = freshOwner();
      const keys = Array.from({ length: 50 }, () => storedKey({ ownerId }));
      await Promise.all(keys.map((key) => s.insertKey(key, secretOf(key))));
      const listed = await s.listKeys({ ownerId, limit: 100 });
      expect(listed.map((k) => k.id)).toEqual(
        keys
          .map((k) => k.id)
          .sort()
          .reverse(),
      );
    });

    it("applies every field of parallel partial updates to one key", async () => {
      const s = await store();
      const { key } = await insertFresh(s);
      const at = key.createdAt + 1;
      await Promise.all([
        s.updateKey(key.id, { name: "renamed", updatedAt: at }),
        s.updateKey(key.id, { enabled: false, updatedAt: at }),
        s.updateKey(key.id, { scopes: ["task:write"], updatedAt: at }),
        s.updateKey(key.id, { metadata: { v: 2 }, updatedAt: at }),
        s.updateKey(key.id, { expiresAt: at + 1_000, updatedAt: at }),
        s.updateKey(key.id, { quota: null, updatedAt: at }),
      ]);
      expect(await s.getKey(key.id)).toEqual({
        ...key,
        name: "renamed",
        enabled: false,
        scopes: ["task:write"],
        metadata: { v: 2 },
        expiresAt: at + 1_000,
        quota: null,
        updatedAt: at,
      });
    });

    it("lets the last of parallel writes to one field win, whole", async () => {
      const s = await store();
      const { key } = await insertFresh(s);
      const values = Array.from({ length: 20 }, (_, i) => ({ writer: i, list: [i, i + 1] }));
      await Promise.all(
        values.map((metadata, i) => s.updateKey(key.id, { metadata, updatedAt: key.createdAt + i })),
      );
      const final = (await s.getKey(key.id))!;
      expect(values.map((v) => JSON.stringify(v))).toContain(JSON.stringify(final.metadata));
      expect(final.name).toBe(key.name);
    });

    it("rejects every verification that starts after revoke() resolved", async () => {
      const s = await store();
      await withKeyward(s, async (keyward) => {
        const { token, key } = await keyward.create({ ownerId: freshOwner() });
        // Not verified beforehand: the first verifications race to look the key up and cache it
        // while the revoke is under way, which is where a stale entry could slip back in.
        let revoked = false;
        const late: Promise<VerifyResult>[] = [];
        const early: Promise<VerifyResult>[] = [];
        const hammer = (async () => {
          for (let i = 0; i < 200; i++) {
            (revoked ? late : early).push(keyward.verify(token));
            if (i % 10 === 0) await sleep(0);
          }
        })();
        await sleep(1);
        await keyward.revoke(key.id);
        revoked = true;
        await hammer;
        late.push(keyward.verify(token));
        const lateResults = await Promise.all(late);
        expect(lateResults.filter((r) => r.ok)).toHaveLength(0);
        for (const r of lateResults) expect(r).toMatchObject({ ok: false, code: "revoked_key" });
        for (const r of await Promise.all(early))
          expect(r.ok || (!r.ok && r.code === "revoked_key")).toBe(true);
      });
    });
  });

  if (capabilities.invalidation) {
    describe("invalidation across instances", () => {
      it("a revoke on one instance stops the key on another within a second", async () => {
        const [a, b] = await Promise.all([store(), store()]);
        const listener = watchSubscription(b);
        await withKeyward(a, (first) =>
          withKeyward(listener.store, async (second) => {
            const { token, key } = await first.create({ ownerId: freshOwner() });
            expect((await second.verify(token)).ok).toBe(true); // cached on the second instance
            await listener.subscribed; // the second instance hears the bus from here on
            await first.revoke(key.id);
            const deadline = Date.now() + 1_000;
            let last = await second.verify(token);
            while (last.ok && Date.now() < deadline) {
              await sleep(20);
              last = await second.verify(token);
            }
            expect(last).toMatchObject({ ok: false, code: "revoked_key" });
          }),
        );
      });

      it("an update on one instance reaches another's cache", async () => {
        const [a, b] = await Promise.all([store(), store()]);
        const listener = watchSubscription(b);
        await withKeyward(a, (first) =>
          withKeyward(listener.store, async (second) => {
            const { token, key } = await first.create({ scopes: ["task:read"] });
            expect((await second.verify(token, { scopes: ["task:write"] })).ok).toBe(false);
            await listener.subscribed;
            await first.update(key.id, { scopes: ["task:write"] });
            const deadline = Date.now() + 1_000;
            let last = await second.verify(token, { scopes: ["task:write"] });
            while (!last.ok && Date.now() < deadline) {
              await sleep(20);
              last = await second.verify(token, { scopes: ["task:write"] });
            }
            expect(last.ok).toBe(true);
          }),
        );
      });
    });
  }
}
