import type { RateLimitAlgorithm } from "@keyward/core";
import { memoryStore } from "@keyward/core";
import type { ConsumeRequest, LimitRequest } from "@keyward/core/store";
import { RATE_LIMIT_ALGORITHMS } from "@keyward/core/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, postgresStore } from "../src/index.js";
import { createPool, dropSchema, randomSchema } from "./helpers.js";

// The SQL consume() must give the memory store's answers, call for call, for the same request
// at the same `now` — window roll-overs, idle gaps, clocks running behind, costs above the
// limit, quotas refilling and running dry.
const schema = randomSchema("equiv");
const pool = createPool();

beforeAll(async () => {
  await migrate(pool, { schema });
});
afterAll(async () => {
  await pool.end();
  await dropSchema(schema);
});

// A small deterministic generator, so a failure can be replayed.
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const algorithms: readonly RateLimitAlgorithm[] = RATE_LIMIT_ALGORITHMS;

describe("SQL consume equals the memory counter store", () => {
  for (const algorithm of [...algorithms, "mixed" as const]) {
    it(`${algorithm}: same answers over a random sequence`, async () => {
      // the mixed run also covers durableCounters (synchronous commit): same answers either way
      const store = postgresStore({ client: pool, schema, durableCounters: algorithm === "mixed" });
      const memory = memoryStore({ sweepInterval: 0 });
      const next = random(algorithms.indexOf(algorithm as RateLimitAlgorithm) + 11);
      const pick = (): RateLimitAlgorithm =>
        algorithm === "mixed" ? algorithms[Math.floor(next() * algorithms.length)]! : algorithm;
      const partition = `p-${algorithm}`;
      const limits: LimitRequest[] = [
        { key: "k:a:default", algorithm: pick(), limit: 5, window: 120, cost: 1 },
        { key: "k:a:burst", algorithm: pick(), limit: 3, window: 70, cost: 1 },
        { key: "o:owner", algorithm: pick(), limit: 9, window: 1_000, cost: 1 },
      ];
      const outcomes = { allowed: 0, rejected: 0 };
      let now = 1_700_000_000_000 + Math.floor(next() * 10_000);
      for (let i = 0; i < 400; i++) {
        const roll = next();
        // mostly forward in small steps, sometimes a long idle gap, sometimes a clock behind
        now += roll < 0.05 ? 5_000 : roll < 0.1 ? -Math.floor(next() * 150) : Math.floor(next() * 40);
        const cost = next() < 0.1 ? 10 : next() < 0.15 ? 4 : next() < 0.3 ? 2 : 1;
        const quota =
          next() < 0.5
            ? { key: "q:a", config: { limit: 40, refill: { interval: 900, amount: 30 } }, cost }
            : null;
        const request: ConsumeRequest = {
          partition,
          now,
          limits: limits.filter(() => next() < 0.8).map((limit) => ({ ...limit, cost })),
          quota,
        };
        const [fromSql, fromMemory] = [await store.consume(request), await memory.consume(request)];
        expect(fromSql, `call ${i}: ${JSON.stringify(request)}`).toEqual(fromMemory);
        outcomes[fromSql.allowed ? "allowed" : "rejected"]++;
      }
      // the sequence must exercise both answers, or it proves little
      expect(outcomes.allowed).toBeGreaterThan(50);
      expect(outcomes.rejected).toBeGreaterThan(50);
    });
  }

  it("quota without refill, getQuota and setQuota agree", async () => {
    const store = postgresStore({ client: pool, schema });
    const memory = memoryStore({ sweepInterval: 0 });
    const ref = { partition: "p-quota", key: "q:b" };
    const config = { limit: 5, refill: null };
    const refill = { limit: 5, refill: { interval: 1_000, amount: 4 } };
    let now = 1_000_000;
    for (const s of [store, memory]) expect(await s.getQuota(ref, config, now)).toBeDefined();
    expect(await store.getQuota(ref, config, now)).toEqual(await memory.getQuota(ref, config, now));
    for (let i = 0; i < 8; i++) {
      const request = {
        partition: ref.partition,
        now: ++now,
        limits: [],
        quota: { key: ref.key, config, cost: 1 },
      };
      expect(await store.consume(request)).toEqual(await memory.consume(request));
    }
    expect(await store.getQuota(ref, config, now)).toEqual(await memory.getQuota(ref, config, now));
    await store.setQuota(ref, refill, 2, now);
    await memory.setQuota(ref, refill, 2, now);
    for (const at of [now, now + 999, now + 1_000, now + 3_500]) {
      expect(await store.getQuota(ref, refill, at)).toEqual(await memory.getQuota(ref, refill, at));
    }
    const request = {
      partition: ref.partition,
      now: now + 3_500,
      limits: [],
      quota: { key: ref.key, config: refill, cost: 3 },
    };
    expect(await store.consume(request)).toEqual(await memory.consume(request));
    await store.clearCounters(ref.partition, [ref.key]);
    await memory.clearCounters(ref.partition, [ref.key]);
    expect(await store.getQuota(ref, refill, now + 4_000)).toEqual(
      await memory.getQuota(ref, refill, now + 4_000),
    );
  });
});
