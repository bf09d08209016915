import type { RateLimitAlgorithm } from "@keyward/core";
import { memoryStore } from "@keyward/core";
import type { ConsumeRequest, LimitRequest, LimitState } from "@keyward/core/store";
import { LIMIT_ALGORITHMS, RATE_LIMIT_ALGORITHMS } from "@keyward/core/store";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisCounters } from "../src/index.js";
import { connect, deletePrefix, randomPrefix } from "./helpers.js";

// The Lua must give the memory store's answers. Each call runs on Redis first; the memory
// store then gets the same request at the time Redis reported, so both see the same clock.
const prefix = randomPrefix("equiv");
let client: Redis;

beforeAll(async () => {
  client = await connect();
});
afterAll(async () => {
  await deletePrefix(client, prefix);
  await client.quit();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A small deterministic generator, so a failure can be replayed.
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe("Lua consume equals the memory counter store", () => {
  const algorithms: readonly RateLimitAlgorithm[] = RATE_LIMIT_ALGORITHMS;
  for (const algorithm of algorithms) {
    it(`${algorithm}: same answers over a random sequence with window roll-overs`, async () => {
      const redis = redisCounters({ client, prefix });
      const memory = memoryStore({ sweepInterval: 0 });
      const next = random(algorithms.indexOf(algorithm) + 7);
      const partition = `p-${algorithm}`;
      const limits: LimitRequest[] = [
        { key: "k:a:default", algorithm, limit: 5, window: 120, cost: 1 },
        { key: "k:a:burst", algorithm, limit: 3, window: 70, cost: 1 },
      ];
      for (let i = 0; i < 120; i++) {
        const cost = next() < 0.15 ? 4 : next() < 0.3 ? 2 : 1;
        const quota =
          next() < 0.5
            ? { key: "q:a", config: { limit: 40, refill: { interval: 400, amount: 30 } }, cost }
            : null;
        const request: ConsumeRequest = {
          partition,
          now: 0,
          limits: limits.filter(() => next() < 0.8).map((limit) => ({ ...limit, cost })),
          quota,
        };
        const fromRedis = await redis.consume(request);
        const fromMemory = await memory.consume({ ...request, now: fromRedis.now });
        expect(fromRedis, `call ${i}`).toEqual(fromMemory);
        if (next() < 0.4) await sleep(Math.floor(next() * 60));
      }
      await memory.close?.();
    });
  }

  it("uses Redis's clock and reports it", async () => {
    const redis = redisCounters({ client, prefix });
    const [seconds, micros] = await client.time();
    const before = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    const result = await redis.consume({ partition: "clock", now: 0, limits: [], quota: null });
    expect(result.now).toBeGreaterThanOrEqual(before);
    expect(result.now - before).toBeLessThan(60_000);
  });

  it("quota: getQuota and setQuota agree with the memory store", async () => {
    const redis = redisCounters({ client, prefix });
    const memory = memoryStore({ sweepInterval: 0 });
    const ref = { partition: "quota", key: "q:b" };
    const config = { limit: 10, refill: { interval: 200, amount: 8 } };
    const fresh = await redis.getQuota(ref, config, 0);
    expect(fresh.remaining).toBe(10);
    await redis.setQuota(ref, config, 3, 0);
    const charged = await redis.consume({
      partition: "quota",
      now: 0,
      limits: [],
      quota: { key: "q:b", config, cost: 2 },
    });
    expect(charged.quota).toMatchObject({ allowed: true, remaining: 1 });
    await memory.setQuota(ref, config, 3, charged.now);
    await memory.consume({
      partition: "quota",
      now: charged.now,
      limits: [],
      quota: { key: "q:b", config, cost: 2 },
    });
    const [a, b] = [await redis.getQuota(ref, config, 0), await memory.getQuota(ref, config, charged.now)];
    expect(a.remaining).toBe(b.remaining);
    await sleep(250);
    const refilled = await redis.getQuota(ref, config, 0);
    expect(refilled.remaining).toBe(8);
    await redis.clearCounters("quota", ["q:b"]);
    expect((await redis.getQuota(ref, config, 0)).remaining).toBe(10);
    await memory.close?.();
  });
});

describe("counter expiry", () => {
  // The script writes the expiry only when a counter enters a new window (fixed, sliding) or
  // always (bucket); within a window it writes the count alone. The expiry must still be the
  // reference idleAt of the stored state after every call.
  const stored: Record<RateLimitAlgorithm, (a: number, b: number, c: number) => LimitState> = {
    "fixed-window": (start, count) => ({ start, count }),
    "sliding-window": (start, prev, curr) => ({ start, prev, curr }),
    "token-bucket": (level, updatedAt) => ({ level, updatedAt }),
  };

  for (const algorithm of RATE_LIMIT_ALGORITHMS) {
    it(`${algorithm}: the counter expires at the stored state's idleAt, after every call of a window`, async () => {
      const redis = redisCounters({ client, prefix });
      const limit: LimitRequest = {
        key: `k:exp:${algorithm}`,
        algorithm,
        limit: 10,
        window: 60_000,
        cost: 1,
      };
      const key = `${prefix}:{exp}:${limit.key}`;
      for (let i = 0; i < 3; i++) {
        const result = await redis.consume({ partition: "exp", now: 0, limits: [limit], quota: null });
        expect(result.allowed).toBe(true);
        const [a, b, c] = (await client.hmget(key, "a", "b", "c")).map(Number);
        const idleAt = LIMIT_ALGORITHMS[algorithm].idleAt(stored[algorithm](a!, b!, c!), limit);
        expect(await client.call("PEXPIRETIME", key)).toBe(idleAt);
      }
    });
  }
});
