import { memoryStore } from "@keyward/core";
import type { ConsumeRequest, CounterStore, RateLimitAlgorithm } from "@keyward/core/store";
import { createRedisClient, redisCounters } from "@keyward/redis";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import { compareThroughput, ratio } from "../lib/compare.js";
import { missedTargetNotes } from "../lib/notes.js";
import type { BenchCase, BenchContext } from "../lib/types.js";

// Generous limits: every contender admits every call, so we measure the bookkeeping only.
const LIMIT = 1_000_000_000;
const WINDOW_MS = 60_000;
const KEYS = 1_000;

/** A consume() of one limit on one of KEYS keys, round-robin, for a keyward counter store. */
function keywardConsumer(store: CounterStore, algorithm: RateLimitAlgorithm) {
  let i = 0;
  const requests: ConsumeRequest[] = Array.from({ length: KEYS }, (_, k) => ({
    partition: `key_${k}`,
    now: 0,
    limits: [{ key: `k:key_${k}:default`, limit: LIMIT, window: WINDOW_MS, algorithm, cost: 1 }],
    quota: null,
  }));
  // The store's own promise, like rate-limiter-flexible's below: no wrapper adds a hop to one
  // contender only. Nothing can reach LIMIT, and `checkedConsumer` checks that it did not.
  return () => {
    const request = requests[i++ % KEYS]!;
    request.now = Date.now();
    return store.consume(request);
  };
}

/** `keywardConsumer`, after checking that one call is admitted (as every call must be). */
async function checkedConsumer(store: CounterStore, algorithm: RateLimitAlgorithm) {
  const consume = keywardConsumer(store, algorithm);
  if (!(await consume()).allowed) throw new Error("keyward rejected a call under a huge limit");
  return consume;
}

function flexibleConsumer(limiter: RateLimiterMemory | RateLimiterRedis) {
  let i = 0;
  return () => limiter.consume(`key_${i++ % KEYS}`, 1);
}

const rounds = (ctx: BenchContext) => ({ rounds: ctx.quick ? 3 : 12, roundMs: ctx.quick ? 150 : 600 });

// From `node --cpu-prof` on these loops (bench/cpu-top.ts); printed only when a target is missed.
const MEMORY_MISSED =
  "Where the time goes: per call keyward finds the counter in a two-level Map (partition, then counter name: the partition keeps a key's counters together, as the Redis and PostgreSQL stores must), rolls and tests the window, consumes the counter's state in place, and reports remaining and reset in a result object per limit plus the call's result; rate-limiter-flexible increments one mutable record in one Map and reports one object. To close it: report a single limit without the per-call result array and objects (a store-internal shape for the verifier), or key the table by counter name alone.";

export const memoryLimiterCase: BenchCase = {
  id: "ratelimit-memory",
  title: "rate limiting in memory",
  async run(ctx) {
    const store = memoryStore();
    const flexible = new RateLimiterMemory({ points: LIMIT, duration: WINDOW_MS / 1000 });
    const results = await compareThroughput(
      [
        { label: "keyward memory (sliding window)", op: await checkedConsumer(store, "sliding-window") },
        { label: "keyward memory (fixed window)", op: await checkedConsumer(store, "fixed-window") },
        { label: "rate-limiter-flexible memory", op: flexibleConsumer(flexible) },
      ],
      { ...rounds(ctx), time: "cpu" },
    );
    await store.close?.();
    const ratios = [
      ratio(
        "keyward sliding / rate-limiter-flexible",
        results,
        "keyward memory (sliding window)",
        "rate-limiter-flexible memory",
        1,
      ),
      ratio(
        "keyward fixed / rate-limiter-flexible",
        results,
        "keyward memory (fixed window)",
        "rate-limiter-flexible memory",
        1,
      ),
    ];
    return {
      id: this.id,
      title: this.title,
      unit: "ops/s",
      higherIsBetter: true,
      variants: results,
      ratios,
      notes: [
        `${KEYS} keys round-robin, one limit each, sequential calls, timed by this process's CPU time (user + system); each contender's call is the library's own promise, awaited. rate-limiter-flexible's memory limiter is a fixed window.`,
        ...missedTargetNotes(ratios, {}, MEMORY_MISSED),
      ],
    };
  },
};

export const redisLimiterCase: BenchCase = {
  id: "ratelimit-redis",
  title: "rate limiting on Redis",
  async run(ctx) {
    const prefix = `kwbench${process.pid}`;
    const client = await createRedisClient(ctx.redisUrl);
    const plain = await createRedisClient(ctx.redisUrl);
    const concurrency = 32;
    try {
      const counters = redisCounters({ client, prefix });
      const flexible = new RateLimiterRedis({
        storeClient: plain,
        points: LIMIT,
        duration: WINDOW_MS / 1000,
        keyPrefix: `${prefix}rlf`,
      });
      await plain.set(`${prefix}:floor`, "1");
      const results = await compareThroughput(
        [
          { label: "bare Redis GET (floor)", op: () => plain.get(`${prefix}:floor`), concurrency },
          {
            label: "keyward Redis (sliding window)",
            op: keywardConsumer(counters, "sliding-window"),
            concurrency,
          },
          { label: "rate-limiter-flexible Redis", op: flexibleConsumer(flexible), concurrency },
        ],
        rounds(ctx),
      );
      return {
        id: this.id,
        title: this.title,
        unit: "ops/s",
        higherIsBetter: true,
        variants: results,
        ratios: [
          ratio(
            "keyward / rate-limiter-flexible",
            results,
            "keyward Redis (sliding window)",
            "rate-limiter-flexible Redis",
            1,
          ),
          ratio(
            "keyward / bare GET",
            results,
            "keyward Redis (sliding window)",
            "bare Redis GET (floor)",
            0.8,
          ),
        ],
        notes: [`${concurrency} calls in flight, ${KEYS} keys round-robin, one connection per contender.`],
      };
    } finally {
      const stale = await plain.keys(`${prefix}*`);
      if (stale.length > 0) await plain.del(...stale);
      client.disconnect();
      plain.disconnect();
    }
  },
};
