/**
 * Two keyward instances, as two app servers would run them: each its own Redis connection,
 * its own store and its own verified-key cache (default 30 s TTL), one Redis (or one Cluster)
 * between them. Run on the standalone Redis with ioredis in `multi-instance.test.ts` and on
 * the local Cluster with each client in `multi-instance-cluster.test.ts`.
 */

import { createKeyward, type Keyward } from "@keyward/core";
import { RATE_LIMIT_ALGORITHMS } from "@keyward/core/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AnyRedisClient, redisStore } from "../src/index.js";
import { randomPrefix } from "./helpers.js";

/** Two connections to the same Redis, and how to clean up after them. */
export interface InstancePair {
  readonly clients: readonly [AnyRedisClient, AnyRedisClient];
  deletePrefix(prefix: string): Promise<unknown>;
  close(): Promise<unknown>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function runMultiInstance(name: string, connect: () => Promise<InstancePair>): void {
  const prefix = randomPrefix("multi");
  let pair: InstancePair;
  let a: Keyward;
  let b: Keyward;

  beforeAll(async () => {
    pair = await connect();
    const make = (client: AnyRedisClient) =>
      createKeyward({
        store: redisStore({ client, prefix }),
        prefix: "sk_multi",
        writeBehind: { interval: 60_000 },
      });
    a = make(pair.clients[0]);
    b = make(pair.clients[1]);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await a.store.close?.();
    await b.store.close?.();
    await pair.deletePrefix(prefix);
    await pair.close();
  });

  describe(name, () => {
    for (const algorithm of RATE_LIMIT_ALGORITHMS) {
      it(`${algorithm}: exactly L of N parallel verifications pass across both`, async () => {
        const L = 37;
        const N = 200;
        const { token } = await a.create({ rateLimit: { limit: L, window: "1h", algorithm } });
        const results = await Promise.all(
          Array.from({ length: N }, (_, i) => (i % 2 === 0 ? a : b).verify(token)),
        );
        const passed = results.filter((r) => r.ok).length;
        const limited = results.filter((r) => !r.ok && r.code === "rate_limited").length;
        expect(passed).toBe(L);
        expect(limited).toBe(N - L);
      });
    }

    it("a quota of Q allows exactly Q across both", async () => {
      const Q = 25;
      const { token } = await a.create({ rateLimit: null, quota: { limit: Q } });
      const results = await Promise.all(Array.from({ length: 80 }, (_, i) => (i % 2 ? a : b).verify(token)));
      expect(results.filter((r) => r.ok).length).toBe(Q);
      expect(results.filter((r) => !r.ok && r.code === "usage_exceeded").length).toBe(80 - Q);
    });

    it("a revoke on one instance is rejected by the other within a second", async () => {
      const { token, key } = await a.create({ rateLimit: null });
      // b caches the key (its TTL is 30 s: only the invalidation message can evict it in time).
      expect((await b.verify(token)).ok).toBe(true);
      expect((await b.verify(token)).ok).toBe(true);

      const started = performance.now();
      await a.revoke(key.id);
      let elapsed = Number.POSITIVE_INFINITY;
      let last = await b.verify(token);
      while (performance.now() - started < 1_000) {
        if (!last.ok && last.code === "revoked_key") {
          elapsed = performance.now() - started;
          break;
        }
        await sleep(2);
        last = await b.verify(token);
      }
      console.log(`${name}: revocation on instance A rejected by instance B after ${elapsed.toFixed(1)} ms`);
      expect(last).toMatchObject({ ok: false, code: "revoked_key", status: 401 });
      expect(elapsed).toBeLessThan(1_000);
    });
  });
}
