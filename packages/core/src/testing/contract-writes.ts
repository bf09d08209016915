/**
 * Concurrent management writes to one key, through several `createKeyward` instances over the
 * one store under test (each instance serializes its own writes, so what these cases pin is the
 * store's own per-key serialization): parallel rotations leave exactly one current token,
 * parallel revokes agree on one time, and a consume past its deadline consumes nothing.
 */
import { sha256Hex } from "../hash/hasher.js";
import { createKeyward } from "../service/keyward.js";
import type { KeywardStore } from "../store/types.js";
import { tokenStart } from "../token/index.js";
import type { Keyward, RotateOptions } from "../types.js";
import { type ContractRunner, freshOwner, type MakeStore } from "./contract-helpers.js";

const INSTANCES = 5;
const ROTATIONS = 10;
const RUNS = 100;

/** Registers the concurrent-write cases. */
export function runWriteContract(t: ContractRunner, makeStore: MakeStore): void {
  const { describe, it, expect } = t;

  /**
   * Several instances on one store, without cache (every verify reads the store). With `skew`,
   * instance i's clock runs i ms ahead, so that writes made "at once" carry different times.
   */
  async function withInstances<T>(
    run: (instances: Keyward[], store: KeywardStore) => Promise<T>,
    { skew = false } = {},
  ): Promise<T> {
    const store = await makeStore();
    const instances = Array.from({ length: INSTANCES }, (_, i) =>
      createKeyward({
        store,
        prefix: "sk_contract",
        cache: false,
        writeBehind: { interval: 60_000 },
        ...(skew && { clock: () => Date.now() + i }),
      }),
    );
    try {
      return await run(instances, store);
    } finally {
      await Promise.all(instances.map((keyward) => keyward.close()));
    }
  }

  /** Rotates one key ROTATIONS times at once, spread over the instances; the tokens, oldest first. */
  async function rotateInParallel(instances: Keyward[], gracePeriod?: RotateOptions["gracePeriod"]) {
    const { token, key } = await instances[0]!.create({ ownerId: freshOwner() });
    const rotated = await Promise.all(
      Array.from({ length: ROTATIONS }, (_, i) =>
        instances[i % instances.length]!.rotate(key.id, gracePeriod === undefined ? {} : { gracePeriod }),
      ),
    );
    return { id: key.id, tokens: [token, ...rotated.map((r) => r.token)] };
  }

  describe("concurrent writes to one key", () => {
    it(`leaves exactly one working token after ${ROTATIONS} parallel rotations without grace, and the key's start is that token's (${RUNS} runs)`, async () => {
      await withInstances(async (instances) => {
        const checker = instances[INSTANCES - 1]!;
        for (let run = 0; run < RUNS; run++) {
          const { id, tokens } = await rotateInParallel(instances);
          const results = await Promise.all(tokens.map((token) => checker.verify(token)));
          const working = tokens.filter((_, i) => results[i]!.ok);
          expect(working, `run ${run}: working tokens`).toHaveLength(1);
          const key = await checker.get(id);
          expect(key?.start, `run ${run}: the key's start`).toBe(tokenStart(working[0]!));
        }
      });
    }, 300_000);

    it(`keeps one current token and gives every replaced one its own end after ${ROTATIONS} parallel rotations with grace`, async () => {
      await withInstances(async (instances, store) => {
        const checker = instances[INSTANCES - 1]!;
        for (let run = 0; run < 10; run++) {
          const before = Date.now();
          const { id, tokens } = await rotateInParallel(instances, "1h");
          const results = await Promise.all(tokens.map((token) => checker.verify(token)));
          expect(
            results.filter((r) => r.ok),
            `run ${run}: tokens still working`,
          ).toHaveLength(tokens.length);
          const found = await Promise.all(tokens.map((token) => store.findByHash(sha256Hex(token))));
          const current = tokens.filter((_, i) => found[i]?.secret.expiresAt === null);
          expect(current, `run ${run}: tokens without an end`).toHaveLength(1);
          for (const entry of found) {
            const end = entry?.secret.expiresAt;
            if (end === null || end === undefined) continue;
            expect(end).toBeGreaterThanOrEqual(before + 3_600_000);
            expect(end).toBeLessThanOrEqual(Date.now() + 3_600_000);
          }
          const key = await checker.get(id);
          expect(key?.start, `run ${run}: the key's start`).toBe(tokenStart(current[0]!));
        }
      });
    }, 60_000);

    it("keeps the first revocation time when a key is revoked from several instances at once", async () => {
      // Skewed clocks: each revoke carries its own time, so a store that lets a later revoke
      // overwrite the first time fails every run, not only when the revokes straddle a millisecond.
      await withInstances(
        async (instances) => {
          const { key } = await instances[0]!.create({ ownerId: freshOwner() });
          const revoked = await Promise.all(instances.map((keyward) => keyward.revoke(key.id)));
          const times = new Set(revoked.map((k) => k.revokedAt?.getTime()));
          expect(times.size).toBe(1);
          expect((await instances[0]!.get(key.id))?.revokedAt?.getTime()).toBe([...times][0]);
        },
        { skew: true },
      );
    });

    it("applies parallel quota updates of one instance whole: the balance belongs to the quota set last", async () => {
      await withInstances(async ([keyward]) => {
        const { key } = await keyward!.create({ ownerId: freshOwner() });
        await Promise.all(
          Array.from({ length: 10 }, (_, i) => keyward!.update(key.id, { quota: { limit: i + 1 } })),
        );
        const after = await keyward!.get(key.id);
        expect(after?.quota?.remaining).toBe(after?.quota?.limit);
        expect(after?.quota?.limit).toBe(10);
      });
    });

    it("consumes nothing for a call that reaches the store after its deadline", async () => {
      const store = await makeStore();
      const partition = freshOwner();
      const limits = [
        { key: "deadline", limit: 5, window: 60_000, algorithm: "fixed-window" as const, cost: 2 },
      ];
      let refused: unknown = null;
      try {
        await store.consume({
          partition,
          now: Date.now(),
          limits,
          quota: null,
          deadline: Date.now() - 1_000,
        });
      } catch (error) {
        refused = error;
      }
      expect(refused === null, "a consume past its deadline throws").toBe(false);
      const next = await store.consume({ partition, now: Date.now(), limits, quota: null });
      expect(next.limits[0]!.remaining).toBe(3);
    });
  });
}
