import { createKeyward, type Keyward } from "@keyward/core";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisStore } from "../src/index.js";
import { connect, deletePrefix, REDIS_URL, randomPrefix } from "./helpers.js";
import { startProxy, type TcpProxy } from "./proxy.js";

// Instance A talks to Redis directly; instance B (store, subscriber and all) through a TCP
// proxy the test closes and reopens. B's cache TTL is 30 s, so only the invalidation message
// can make B refuse a revoked key within a second.
const prefix = randomPrefix("bus");
const channel = `${prefix}:invalidate`;
const redisUrl = new URL(REDIS_URL);
let proxy: TcpProxy;
let admin: Redis;
let direct: Redis;
let proxied: Redis;
const instances: Keyward[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const subscribers = async () => Number(((await admin.pubsub("NUMSUB", channel)) as [string, number])[1]);

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await sleep(20);
  }
  return check();
}

function instance(client: Redis): Keyward {
  const keyward = createKeyward({
    store: redisStore({ client, prefix }),
    prefix: "sk_bus",
    rateLimit: false,
    cache: { ttl: "30s" },
    writeBehind: { interval: 60_000 },
  });
  instances.push(keyward);
  return keyward;
}

/** Revokes on `from` and answers how long `to` kept accepting the key (Infinity: > 1 s). */
async function revokeSeenWithin(from: Keyward, to: Keyward, id: string, token: string): Promise<number> {
  const started = performance.now();
  await from.revoke(id);
  while (performance.now() - started < 1_000) {
    const result = await to.verify(token);
    if (!result.ok && result.code === "revoked_key") return performance.now() - started;
    await sleep(2);
  }
  return Number.POSITIVE_INFINITY;
}

beforeAll(async () => {
  proxy = await startProxy({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379) });
  admin = await connect();
  direct = await connect();
  proxied = await connect({}, `redis://127.0.0.1:${proxy.port}`);
});
afterAll(async () => {
  for (const keyward of instances) {
    await keyward.close().catch(() => {});
    await keyward.store.close?.();
  }
  proxied.disconnect();
  await proxy.close();
  await deletePrefix(admin, prefix);
  await Promise.all([admin.quit(), direct.quit()]);
});

describe("invalidation over pub/sub", () => {
  it("re-subscribes after the subscriber's connection dropped, and revocations reach it again", async () => {
    const a = instance(direct);
    const b = instance(proxied);
    const { token, key } = await a.create();
    expect((await b.verify(token)).ok).toBe(true);
    expect(await waitFor(async () => (await subscribers()) === 2, 2_000)).toBe(true);

    await proxy.close();
    expect(await waitFor(async () => (await subscribers()) === 1, 2_000)).toBe(true);
    await proxy.open();
    // B's duplicated connection reconnects and subscribes again by itself.
    expect(await waitFor(async () => (await subscribers()) === 2, 10_000)).toBe(true);
    expect((await b.verify(token)).ok).toBe(true);

    const elapsed = await revokeSeenWithin(a, b, key.id, token);
    console.log(`after a re-subscription: revoke on A refused by B after ${elapsed.toFixed(1)} ms`);
    expect(elapsed).toBeLessThan(1_000);
  });

  it("an instance started while Redis is away starts listening once it is back", async () => {
    const a = instances[0]!;
    const { token, key } = await a.create();
    await proxy.close();
    const before = await subscribers();
    const c = instance(proxied); // its subscribe() gives up waiting after 2 s and keeps trying
    expect(await c.verify(token)).toMatchObject({ ok: false, code: "unavailable" });
    await proxy.open();
    expect(await waitFor(async () => (await subscribers()) >= before + 1, 10_000)).toBe(true);
    expect(await waitFor(async () => (await c.verify(token)).ok, 5_000)).toBe(true);

    const elapsed = await revokeSeenWithin(a, c, key.id, token);
    console.log(`instance started during the outage: revoke refused after ${elapsed.toFixed(1)} ms`);
    expect(elapsed).toBeLessThan(1_000);
  });
});
