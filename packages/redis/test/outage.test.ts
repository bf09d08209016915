import { createServer, type Server } from "node:http";
import { createAuthenticator, createKeyward, type Keyward } from "@keyward/core";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisStore } from "../src/index.js";
import { connect, deletePrefix, REDIS_URL, randomPrefix } from "./helpers.js";
import { startProxy, type TcpProxy } from "./proxy.js";

// A real HTTP server authenticating through keyward, whose Redis connection runs through a
// local TCP proxy. Closing the proxy is Redis going away; stalling it is Redis too slow.
// keyward's own deadline is set far out (20 s), so a quick 503 can only come from the
// client failing fast, not from requests waiting in a queue until the deadline.
const prefix = randomPrefix("outage");
const redisUrl = new URL(REDIS_URL);
let proxy: TcpProxy;
let client: Redis;
let admin: Redis;
let keyward: Keyward;
let server: Server;
let base: string;
let token: string;
const statuses: number[] = [];

beforeAll(async () => {
  proxy = await startProxy({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379) });
  admin = await connect();
  client = await connect({}, `redis://127.0.0.1:${proxy.port}`);
  keyward = createKeyward({
    store: redisStore({ client, prefix }),
    prefix: "sk_outage",
    rateLimit: { limit: 1_000_000, window: "1m" },
    timeout: "20s",
  });
  const auth = createAuthenticator(keyward);
  server = createServer(async (req, res) => {
    try {
      const outcome = await auth({ method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers });
      if (outcome.ok) {
        res.writeHead(200, { ...outcome.headers, "content-type": "application/json" });
        res.end(JSON.stringify({ id: outcome.key?.id }));
      } else {
        res.writeHead(outcome.response.status, outcome.response.headers);
        res.end(outcome.response.body);
      }
    } catch {
      res.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  ({ token } = await keyward.create({ name: "outage" }));
});

afterAll(async () => {
  await keyward.close().catch(() => {});
  await keyward.store.close?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  client.disconnect();
  await proxy.close();
  await deletePrefix(admin, prefix);
  await admin.quit();
});

async function call(): Promise<{
  status: number;
  body: { code?: string };
  retryAfter: string | null;
  ms: number;
}> {
  const started = performance.now();
  const response = await fetch(`${base}/v1/tasks`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  statuses.push(response.status);
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as { code?: string }) : {},
    retryAfter: response.headers.get("retry-after"),
    ms: performance.now() - started,
  };
}

/** Calls until one answers 200 (the client reconnects by itself), up to `attempts` times. */
async function untilOk(attempts: number): Promise<number> {
  for (let i = 1; i <= attempts; i++) {
    if ((await call()).status === 200) return i;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return -1;
}

describe("Redis outage through a closed proxy", () => {
  it("answers 200, then 503 unavailable at once while Redis is away, then 200 again", async () => {
    expect((await call()).status).toBe(200);

    await proxy.close();
    const during = await Promise.all(Array.from({ length: 20 }, () => call()));
    const slowest = Math.max(...during.map((r) => r.ms));
    console.log(`during the outage: ${during.length} requests, slowest 503 after ${slowest.toFixed(1)} ms`);
    for (const response of during) {
      expect(response.status).toBe(503);
      expect(response.body.code).toBe("unavailable");
      expect(response.retryAfter).not.toBeNull();
    }
    // Far below keyward's 20 s deadline: nothing waited in an offline queue.
    expect(slowest).toBeLessThan(10_000);

    await proxy.open();
    const attempts = await untilOk(100);
    console.log(`after the proxy reopened: 200 again on attempt ${attempts}`);
    expect(attempts).toBeGreaterThan(0);
    const after = await Promise.all(Array.from({ length: 10 }, () => call()));
    expect(after.map((r) => r.status)).toEqual(Array(10).fill(200));
  });

  it("answers 503 when Redis is slower than the command timeout, and recovers", async () => {
    expect((await call()).status).toBe(200);
    proxy.stall();
    const during = await Promise.all(Array.from({ length: 5 }, () => call()));
    proxy.resume();
    const slowest = Math.max(...during.map((r) => r.ms));
    console.log(`stalled Redis: slowest 503 after ${slowest.toFixed(1)} ms (commandTimeout 1000 ms)`);
    expect(during.map((r) => r.status)).toEqual(Array(5).fill(503));
    expect(slowest).toBeLessThan(10_000);
    expect(await untilOk(100)).toBeGreaterThan(0);
  });

  it("never answered 500", () => {
    expect(statuses.length).toBeGreaterThan(30);
    expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
  });
});
