/**
 * The store contract for who a key acts for: `allowedIps` and `last4` round-trip through
 * insert, lookup, listing and update (an empty allowlist is never stored in place of one that
 * was set: that would open a restricted key to every address), and — when the store has an
 * invalidation bus — `invalidateOwner` on one instance makes another resolve the owner again
 * within a second.
 */
import { createKeyward } from "../service/keyward.js";
import type { KeywardStore } from "../store/types.js";
import {
  type ContractRunner,
  freshOwner,
  insertFresh,
  type MakeStore,
  type StoreCapabilities,
  watchSubscription,
} from "./contract-helpers.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Registers the key-access and owner-invalidation cases. */
export function runOwnerContract(
  t: ContractRunner,
  makeStore: MakeStore,
  capabilities: StoreCapabilities,
): void {
  const { describe, it, expect } = t;
  const store = (): Promise<KeywardStore> => Promise.resolve(makeStore());

  describe("key access fields", () => {
    it("allowedIps and last4 round-trip through insert, findByHash, getKey and listKeys", async () => {
      const s = await store();
      const allowedIps = ["203.0.113.0/24", "2001:db8::/32", "::ffff:10.0.0.0/104"];
      const { key, secret } = await insertFresh(s, { allowedIps, last4: "Zz09" });
      expect((await s.findByHash(secret.hash))?.key).toMatchObject({ allowedIps, last4: "Zz09" });
      expect(await s.getKey(key.id)).toMatchObject({ allowedIps, last4: "Zz09" });
      const listed = await s.listKeys({ ownerId: key.ownerId!, limit: 10 });
      expect(listed.map((k) => [k.allowedIps, k.last4])).toEqual([[allowedIps, "Zz09"]]);
    });

    it("updateKey sets, replaces and clears allowedIps and last4, and a patch without them keeps them", async () => {
      const s = await store();
      const { key, secret } = await insertFresh(s, { allowedIps: null, last4: "" });
      const later = key.updatedAt + 1;
      expect(
        await s.updateKey(key.id, { updatedAt: later, allowedIps: ["198.51.100.7"], last4: "abCD" }),
      ).toMatchObject({ allowedIps: ["198.51.100.7"], last4: "abCD" });
      expect(await s.updateKey(key.id, { updatedAt: later + 1, name: "renamed" })).toMatchObject({
        name: "renamed",
        allowedIps: ["198.51.100.7"],
        last4: "abCD",
      });
      expect((await s.findByHash(secret.hash))?.key.allowedIps).toEqual(["198.51.100.7"]);
      expect(await s.updateKey(key.id, { updatedAt: later + 2, allowedIps: null })).toMatchObject({
        allowedIps: null,
      });
      expect((await s.findByHash(secret.hash))?.key.allowedIps).toBeNull();
    });
  });

  if (capabilities.invalidation) {
    describe("owner invalidation across instances", () => {
      it("invalidateOwner on one instance makes another resolve the owner again within a second", async () => {
        const [a, b] = await Promise.all([store(), store()]);
        const plans = new Map<string, string>();
        const ownerId = freshOwner();
        plans.set(ownerId, "free");
        const calls = { a: 0, b: 0 };
        const make = (s: KeywardStore, name: "a" | "b") =>
          createKeyward({
            store: s,
            prefix: "sk_contract",
            writeBehind: { interval: 60_000 },
            resolveOwner: async (id: string) => {
              calls[name]++;
              const plan = plans.get(id);
              return plan === undefined ? null : { id, plan };
            },
          });
        const listener = watchSubscription(b);
        const first = make(a, "a");
        const second = make(listener.store, "b");
        try {
          const { token } = await first.create({ ownerId });
          for (let i = 0; i < 5; i++)
            expect(await second.verify(token)).toMatchObject({ owner: { plan: "free" } });
          expect(calls.b).toBe(1);
          await listener.subscribed; // the second instance hears the bus from here on
          plans.set(ownerId, "pro");
          await first.invalidateOwner(ownerId);
          const deadline = Date.now() + 1_000;
          let last = await second.verify(token);
          while (last.ok && (last.owner as { plan: string }).plan !== "pro" && Date.now() < deadline) {
            await sleep(20);
            last = await second.verify(token);
          }
          expect(last).toMatchObject({ ok: true, owner: { plan: "pro" } });
          expect(calls.b).toBe(2);
        } finally {
          await Promise.all([first.close(), second.close()]);
        }
      });
    });
  }
}
