import { randomBytes } from "node:crypto";
import { createKeyward, type Keyward, type KeywardStore } from "@keyward/core";
import { postgresStore } from "@keyward/postgres";
import { createRedisClient, redisStore } from "@keyward/redis";
import { createPool, createSchema, dropSchema, randomSchema } from "../lib/pg.js";
import { percentile } from "../lib/stats.js";
import type { BenchCase, BenchContext, Ratio, VariantResult } from "../lib/types.js";

const TARGET_MS = 100;
const GIVE_UP_MS = 5_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two app instances on one backend: separate clients, separate stores, each with its own cache. */
interface Pair {
  a: Keyward;
  b: Keyward;
  close(): Promise<void>;
}

const instance = (store: KeywardStore) =>
  createKeyward({ store, prefix: "sk_bench", rateLimit: false, cache: { ttl: "10m", max: 10_000 } });

/**
 * One revocation: mint on A, verify on B (B caches the key; only an invalidation can evict it
 * before the TTL), revoke on A, then verify on B about every millisecond until it rejects.
 * Returns ms from just before `revoke()` to B's first rejection, or null after GIVE_UP_MS.
 */
async function revocation({ a, b }: Pair): Promise<{ elapsed: number | null; revokeMs: number }> {
  const { token, key } = await a.create({ name: "to revoke", rateLimit: null });
  const warm = await b.verify(token);
  if (!warm.ok) throw new Error(`instance B rejected a fresh key: ${warm.code}`);
  const started = performance.now();
  await a.revoke(key.id);
  const revokeMs = performance.now() - started;
  while (performance.now() - started < GIVE_UP_MS) {
    const result = await b.verify(token);
    if (!result.ok) {
      if (result.code !== "revoked_key")
        throw new Error(`instance B answered ${result.code}, not revoked_key`);
      return { elapsed: performance.now() - started, revokeMs };
    }
    await sleep(1);
  }
  return { elapsed: null, revokeMs };
}

/** Runs `count` revocations after a warm-up that also waits for B's subscription to be live. */
async function measure(pair: Pair, count: number) {
  let live = false;
  for (let i = 0; i < 5 && !live; i++) live = (await revocation(pair)).elapsed !== null;
  if (!live) throw new Error(`no revocation reached the other instance within ${GIVE_UP_MS} ms`);
  const elapsed: number[] = [];
  const revokeMs: number[] = [];
  let lost = 0;
  for (let i = 0; i < count; i++) {
    const one = await revocation(pair);
    revokeMs.push(one.revokeMs);
    if (one.elapsed === null) lost++;
    else elapsed.push(one.elapsed);
  }
  return { elapsed, revokeMs, lost };
}

async function redisPair(ctx: BenchContext): Promise<Pair> {
  const prefix = `kwbench_prop_${randomBytes(4).toString("hex")}`;
  const clients = [await createRedisClient(ctx.redisUrl), await createRedisClient(ctx.redisUrl)];
  const stores = clients.map((client) => redisStore({ client, prefix }));
  const [a, b] = stores.map(instance) as [Keyward, Keyward];
  return {
    a,
    b,
    async close() {
      await Promise.all([a.close(), b.close()]);
      await Promise.all(stores.map((store) => store.close?.()));
      let cursor = "0";
      do {
        const [next, keys] = await clients[0]!.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
        if (keys.length > 0) await clients[0]!.del(...keys);
        cursor = next;
      } while (cursor !== "0");
      for (const client of clients) client.disconnect();
    },
  };
}

async function postgresPair(ctx: BenchContext): Promise<Pair> {
  const schema = randomSchema("prop");
  const pools = [createPool(ctx.databaseUrl, 4), createPool(ctx.databaseUrl, 4)];
  await createSchema(pools[0]!, schema);
  const stores = pools.map((client) => postgresStore({ client, schema }));
  const [a, b] = stores.map(instance) as [Keyward, Keyward];
  return {
    a,
    b,
    async close() {
      await Promise.all([a.close(), b.close()]);
      await Promise.all(stores.map((store) => store.close()));
      await dropSchema(pools[0]!, schema);
      await Promise.all(pools.map((pool) => pool.end()));
    },
  };
}

export const propagationCase: BenchCase = {
  id: "propagation",
  title: "Revocation propagation between two instances",
  async run(ctx) {
    const count = ctx.quick ? 10 : 100;
    const variants: VariantResult[] = [];
    const ratios: Ratio[] = [];
    const notes: string[] = [
      `${count} revocations per store. Each: mint on A, verify on B (cached there, TTL 10 min), revoke on A, then B verifies every ~1 ms until it rejects; time from just before revoke() to B's first rejection.`,
    ];
    for (const [name, open] of [
      ["Redis (pub/sub)", redisPair],
      ["PostgreSQL (LISTEN/NOTIFY)", postgresPair],
    ] as const) {
      const pair = await open(ctx);
      try {
        const { elapsed, revokeMs, lost } = await measure(pair, count);
        const all = lost > 0 ? [...elapsed, ...Array<number>(lost).fill(Number.POSITIVE_INFINITY)] : elapsed;
        const p50 = percentile(all, 50);
        const p99 = percentile(all, 99);
        const min = Math.min(...elapsed);
        const max = lost > 0 ? Number.POSITIVE_INFINITY : Math.max(...elapsed);
        variants.push(
          { label: `${name}: p50 (ms)`, median: p50, min, max, samples: elapsed },
          { label: `${name}: p99 (ms)`, median: p99, min, max, samples: [] },
        );
        ratios.push({
          label: `${name} p99 / ${TARGET_MS} ms`,
          value: p99 / TARGET_MS,
          target: 1,
          atMost: true,
          pass: p99 < TARGET_MS,
        });
        notes.push(
          `${name}: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms; revoke() itself took ${percentile(revokeMs, 50).toFixed(2)} ms (p50)${lost > 0 ? `; ${lost} revocation(s) never reached B within ${GIVE_UP_MS} ms` : ""}.`,
        );
      } finally {
        await pair.close();
      }
    }
    return { id: this.id, title: this.title, unit: "ms", higherIsBetter: false, variants, ratios, notes };
  },
};
