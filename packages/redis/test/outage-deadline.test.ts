import { createKeyward, type Keyward, type VerifyResult } from "@keyward/core";
import { Redis, type RedisOptions } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RECOMMENDED_CLIENT_OPTIONS, redisStore } from "../src/index.js";
import { connect, deletePrefix, randomPrefix, startOwnRedis } from "./helpers.js";
import { startProxy, type TcpProxy } from "./proxy.js";

// Work keyward gave up on must not happen later: a call answered 503 consumes no limit unit and
// no credit — with Redis paused for writes, cut (ioredis's offline queue left on, its default),
// or frozen — and the store recovers by itself within seconds of the network healing, even
// when the sockets from before the freeze stay silent forever.
// CLIENT PAUSE holds every client of a server: this file pauses a redis-server of its own, not
// the one the other test files use at the same time.
const prefix = randomPrefix("deadline");
const COST = 2;
let own: Awaited<ReturnType<typeof startOwnRedis>>;
let admin: Redis;
let proxy: TcpProxy;
let client: Redis | undefined;
let keyward: Keyward | undefined;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  own = await startOwnRedis();
  admin = await connect({}, own.url);
  const { hostname, port } = new URL(own.url);
  proxy = await startProxy({ host: hostname, port: Number(port) });
});

afterEach(async () => {
  await admin.call("CLIENT", "UNPAUSE");
  await keyward?.close().catch(() => {});
  client?.disconnect();
  await proxy.close();
  await proxy.open();
});

afterAll(async () => {
  await proxy.close();
  await deletePrefix(admin, prefix);
  await admin.quit();
  await own.stop();
});

/** A keyward whose Redis client runs through the proxy with the given ioredis options. */
async function open(options: RedisOptions): Promise<Keyward> {
  client = new Redis(`redis://127.0.0.1:${proxy.port}`, { ...options, lazyConnect: true });
  client.on("error", () => {});
  await client.connect();
  keyward = createKeyward({
    store: redisStore({ client, prefix }),
    prefix: "sk_deadline",
    timeout: "300ms",
    writeBehind: { interval: "1h" },
  });
  return keyward;
}

/** A cached key with a limit and a quota of 1000 each; its first call (200) is counted. */
async function cachedKey(kw: Keyward) {
  const { token, key } = await kw.create({
    // A fixed window starts at a multiple of its length since the epoch: with "1h" a case that
    // ran across the top of an hour found its count reset and failed (seen in a parallel run).
    rateLimit: { limit: 1_000, window: "30d", algorithm: "fixed-window" },
    quota: { limit: 1_000 },
  });
  expect((await kw.verify(token, { cost: COST })).ok).toBe(true);
  return { token, id: key.id };
}

/** Units and credits spent, read straight from Redis (not through the proxy). */
async function spent(id: string) {
  const [limitKey] = await admin.keys(`${prefix}:{${id}}:k:*`);
  const count = limitKey === undefined ? null : await admin.hget(limitKey, "b"); // fixed window: b = count
  const quota = await admin.hget(`${prefix}:{${id}}:q:${id}`, "qr");
  return { limitUnits: Number(count ?? 0), credits: 1_000 - Number(quota ?? 1_000) };
}

const tally = (results: VerifyResult[]) => ({
  ok: results.filter((r) => r.ok).length,
  unavailable: results.filter((r) => !r.ok && r.code === "unavailable").length,
});

/** Calls once every 50 ms until one passes; ms from `since` to that 200, or -1 within `limit` ms. */
async function recovery(kw: Keyward, token: string, since: number, limit: number): Promise<number> {
  while (performance.now() - since < limit) {
    if ((await kw.verify(token, { cost: COST })).ok) return performance.now() - since;
    await sleep(50);
  }
  return -1;
}

describe("Redis: a call answered 503 consumes nothing", () => {
  it("while Redis is paused for writes (CLIENT PAUSE WRITE): the scripts that run after the pause consume nothing", async () => {
    const kw = await open(RECOMMENDED_CLIENT_OPTIONS);
    const { token, id } = await cachedKey(kw);
    await admin.call("CLIENT", "PAUSE", "1000", "WRITE");
    const during = await Promise.all(Array.from({ length: 3 }, () => kw.verify(token, { cost: COST })));
    expect(tally(during)).toEqual({ ok: 0, unavailable: 3 });
    await sleep(1_200); // the pause ends; the held scripts run now, long past their deadline
    const ok = 1 + ((await recovery(kw, token, performance.now(), 5_000)) >= 0 ? 1 : 0);
    expect(ok).toBe(2);
    expect(await spent(id)).toEqual({ limitUnits: ok * COST, credits: ok * COST });
  });

  it("while Redis is paused for writes: a revoke answered 503 does not take effect once the pause ends", async () => {
    const kw = await open(RECOMMENDED_CLIENT_OPTIONS);
    const { token, id } = await cachedKey(kw);
    await admin.call("CLIENT", "PAUSE", "1000", "WRITE");
    const refused = await kw.revoke(id).catch((error: unknown) => error);
    expect((refused as { code?: string }).code).toBe("unavailable");
    await sleep(1_200);
    expect((await kw.get(id))?.revokedAt).toBeNull();
    expect((await kw.verify(token, { cost: COST })).ok).toBe(true);
  });

  it("through a cut with ioredis's offline queue on (its defaults): nothing is queued and replayed on reconnect", async () => {
    const kw = await open({}); // enableOfflineQueue: true, maxRetriesPerRequest: 20
    const { token, id } = await cachedKey(kw);
    await proxy.close();
    const during: VerifyResult[] = [];
    for (let i = 0; i < 30; i++) during.push(await kw.verify(token, { cost: COST }));
    expect(tally(during)).toEqual({ ok: 0, unavailable: 30 });
    await proxy.open();
    const healed = performance.now();
    const after = await recovery(kw, token, healed, 10_000);
    console.log(`cut Redis (offline queue on): 200 again ${after.toFixed(0)} ms after it came back`);
    expect(after).toBeGreaterThanOrEqual(0);
    await sleep(300);
    expect(await spent(id)).toEqual({ limitUnits: 2 * COST, credits: 2 * COST });
  });

  for (const [label, options] of [
    ["the recommended client options", RECOMMENDED_CLIENT_OPTIONS],
    ["ioredis's defaults", {}],
  ] as const) {
    it(`recovers within seconds when frozen sockets never come back, with ${label}`, async () => {
      const kw = await open(options);
      const { token, id } = await cachedKey(kw);
      proxy.freeze();
      const during: VerifyResult[] = [];
      for (let i = 0; i < 6; i++) during.push(await kw.verify(token, { cost: COST }));
      expect(tally(during).ok).toBe(0);
      proxy.healNewOnly();
      const after = await recovery(kw, token, performance.now(), 10_000);
      console.log(
        `frozen Redis socket (${label}): 200 again ${after.toFixed(0)} ms after the network healed`,
      );
      expect(after).toBeGreaterThanOrEqual(0);
      expect(after).toBeLessThan(5_000);
      await sleep(300);
      expect(await spent(id)).toEqual({ limitUnits: 2 * COST, credits: 2 * COST });
    });
  }
});
