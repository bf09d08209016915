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

// Where the time goes, from \`node --cpu-prof\` on this case and \`perf record\` on redis-server
// (CPU per call from /proc/<pid>/schedstat); printed only when a target is missed.
const MISSED_REDIS: Record<string, string> = {
  "keyward / rate-limiter-flexible":
    "Where the time goes: Node's share is even (about 9 µs of CPU per call each: ioredis' command and reply handling and one socket write per command), so the gap is on the Redis side, where a keyward call costs about 10 µs of Redis CPU against 6.6 µs for rate-limiter-flexible's (32 in flight on one connection, as here). The script reads Redis's clock (TIME, about 0.7 µs, which the store's deadline check and cross-instance windows require), loads a hash (HMGET) where rate-limiter-flexible INCRs a string, and runs a sliding window, all-or-nothing over several limits; about 45% of its Redis time is the Lua interpreter itself. To close it: a leaner state encoding (one string per counter) would save a little more, at the price of a counter format that old and new instances could not share during a rolling deploy.",
  "keyward / bare GET":
    "Where the time goes: a GET costs Redis about 2.7 µs of CPU per call and ioredis about 6.3 µs; a keyward call about 10 µs and 9 µs. Of the script's Redis time (about 9.2 µs when pipelined), 2.2 µs is the cost of any EVALSHA (a script that returns 1), 0.7 µs TIME, 0.9 µs HMGET, 0.8 µs HSET, 0.8 µs building the reply, and the rest the Lua interpreter. On a machine where Redis shares the CPUs with the client, throughput follows the sum of both sides' CPU per call, so 0.8× a GET is out of reach for any Lua-scripted limiter; rate-limiter-flexible's script measures about 0.55× here too.",
};

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
      const redisRatios = [
        ratio(
          "keyward / rate-limiter-flexible",
          results,
          "keyward Redis (sliding window)",
          "rate-limiter-flexible Redis",
          1,
        ),
        ratio("keyward / bare GET", results, "keyward Redis (sliding window)", "bare Redis GET (floor)", 0.8),
      ];
      return {
        id: this.id,
        title: this.title,
        unit: "ops/s",
        higherIsBetter: true,
        variants: results,
        ratios: redisRatios,
        notes: [
          `${concurrency} calls in flight, ${KEYS} keys round-robin, one connection per contender.`,
          ...missedTargetNotes(redisRatios, MISSED_REDIS),
        ],
      };
    } finally {
      const stale = await plain.keys(`${prefix}*`);
      if (stale.length > 0) await plain.del(...stale);
      client.disconnect();
      plain.disconnect();
    }
  },
};
