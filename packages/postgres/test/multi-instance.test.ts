import { createKeyward, type Keyward } from "@keyward/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, type PostgresStore, postgresStore } from "../src/index.js";
import { createPool, dropSchema, randomSchema } from "./helpers.js";

// Two app instances: separate pools, separate stores, separate caches, one database.
const schema = randomSchema("multi");
const pools = [createPool({ max: 10 }), createPool({ max: 10 })];
const stores: PostgresStore[] = pools.map((client) => postgresStore({ client, schema }));
let instances: Keyward[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  await migrate(pools[0]!, { schema });
  instances = stores.map((store) =>
    createKeyward({ store, prefix: "sk_multi", cache: { ttl: "5m" }, writeBehind: { interval: "1h" } }),
  );
});
afterAll(async () => {
  for (const keyward of instances) await keyward.close();
  for (const store of stores) await store.close();
  await Promise.all(pools.map((pool) => pool.end()));
  await dropSchema(schema);
});

describe("two keyward instances on one database", () => {
  it("a shared limit of 40 admits exactly 40 of 300 parallel calls split across both", async () => {
    const [a, b] = instances as [Keyward, Keyward];
    const { token } = await a.create({ name: "shared", rateLimit: { limit: 40, window: "1h" } });
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? a : b).verify(token)),
    );
    const byCode = new Map<string, number>();
    for (const r of results) {
      const code = r.ok ? "ok" : r.code;
      byCode.set(code, (byCode.get(code) ?? 0) + 1);
    }
    expect(Object.fromEntries(byCode)).toEqual({ ok: 40, rate_limited: 260 });
  });

  it("a quota of 25 is spent exactly once across both instances", async () => {
    const [a, b] = instances as [Keyward, Keyward];
    const { token } = await b.create({ name: "metered", rateLimit: null, quota: { limit: 25 } });
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, i) => (i % 3 === 0 ? a : b).verify(token)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(25);
    expect(results.filter((r) => !r.ok && r.code === "usage_exceeded")).toHaveLength(95);
  });

  it("a key revoked on one instance is rejected by the other within a second", async () => {
    const [a, b] = instances as [Keyward, Keyward];
    const { token, key } = await a.create({ name: "to revoke", rateLimit: null });
    // Both instances have the key cached (cache TTL 5 minutes: only invalidation can evict it).
    expect((await a.verify(token)).ok).toBe(true);
    expect((await b.verify(token)).ok).toBe(true);

    const started = performance.now();
    await a.revoke(key.id);
    let elapsed = Number.POSITIVE_INFINITY;
    while (performance.now() - started < 1_000) {
      const r = await b.verify(token);
      if (!r.ok && r.code === "revoked_key") {
        elapsed = performance.now() - started;
        break;
      }
      await sleep(2);
    }
    console.log(`revocation reached the other instance in ${elapsed.toFixed(1)} ms`);
    expect(elapsed).toBeLessThan(1_000);
  });

  it("an update and a delete on one instance reach the other's cache too", async () => {
    const [a, b] = instances as [Keyward, Keyward];
    const { token, key } = await a.create({ name: "to disable", rateLimit: null });
    expect((await b.verify(token)).ok).toBe(true);
    await a.update(key.id, { enabled: false });
    await expect
      .poll(async () => (await b.verify(token)) as object, { timeout: 1_000, interval: 5 })
      .toMatchObject({
        code: "disabled_key",
      });
    await a.update(key.id, { enabled: true });
    await expect.poll(async () => (await b.verify(token)).ok, { timeout: 1_000, interval: 5 }).toBe(true);
    await a.delete(key.id);
    await expect
      .poll(async () => (await b.verify(token)) as object, { timeout: 1_000, interval: 5 })
      .toMatchObject({
        code: "invalid_key",
      });
  });
});
