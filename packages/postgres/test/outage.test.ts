import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAuthenticator, createKeyward, type Keyward } from "@keyward/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, postgresStore } from "../src/index.js";
import { createPool, DATABASE_URL, dropSchema, randomSchema } from "./helpers.js";
import { startProxy, type TcpProxy } from "./tcp-proxy.js";

// The database goes away under a running service: verifications answer 503 (never a thrown
// error, never 500) and come back to 200 by themselves; usage counted meanwhile is not lost.
const schema = randomSchema("outage");
const direct = createPool({ max: 2 });
let proxy: TcpProxy;
let proxied: ReturnType<typeof createPool>;
let keyward: Keyward;
let server: Server;
let url: string;

beforeAll(async () => {
  await migrate(direct, { schema });
  proxy = await startProxy(Number(new URL(DATABASE_URL).port || 5432), new URL(DATABASE_URL).hostname);
  const through = new URL(DATABASE_URL);
  through.hostname = "127.0.0.1";
  through.port = String(proxy.port);
  proxied = createPool({
    connectionString: through.toString(),
    max: 5,
    connectionTimeoutMillis: 300,
    query_timeout: 1_000,
  });
  keyward = createKeyward({
    store: postgresStore({ client: proxied, schema }),
    prefix: "sk_outage",
    cache: false, // every verification goes to the database
    timeout: "400ms",
    writeBehind: { interval: "1h" }, // flushed by the test only
  });
  const authenticate = createAuthenticator(keyward);
  server = createServer(async (req, res) => {
    const outcome = await authenticate({
      method: req.method ?? "GET",
      url: req.url ?? "/",
      headers: req.headers,
    });
    if (outcome.ok) {
      res.writeHead(200, { "content-type": "application/json", ...outcome.headers });
      res.end(JSON.stringify({ id: outcome.key?.id }));
    } else {
      res.writeHead(outcome.response.status, outcome.response.headers);
      res.end(outcome.response.body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/things`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await keyward.close().catch(() => {});
  await proxied.end();
  await proxy.close();
  await direct.end();
  await dropSchema(schema);
});

const call = async (token: string): Promise<number> =>
  (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status;

const usageOf = async (id: string) =>
  (await direct.query(`SELECT usage_count, last_used_at FROM "${schema}".keys WHERE id = $1`, [id])).rows[0];

describe("PostgreSQL outage", () => {
  it("answers 503 while the database is unreachable, 200 after, and loses no usage count", async () => {
    const { token, key } = await keyward.create({
      name: "outage",
      rateLimit: { limit: 1_000, window: "1h" },
    });
    let ok = 0;
    const statuses: number[] = [];

    for (let i = 0; i < 5; i++) statuses.push(await call(token));
    ok += 5;
    expect(statuses).toEqual([200, 200, 200, 200, 200]);

    await proxy.stop();
    const during: number[] = [];
    for (let i = 0; i < 8; i++) during.push(await call(token));
    expect(during).toEqual(Array(8).fill(503));
    const direct503 = await keyward.verify(token);
    expect(direct503).toMatchObject({ ok: false, code: "unavailable", status: 503 });
    // A flush during the outage fails, and keeps its counts for the next one.
    await expect(keyward.flush()).rejects.toThrow();
    expect(Number((await usageOf(key.id)).usage_count)).toBe(0);

    await proxy.start();
    // The pool reconnects by itself; the first calls after the outage may still see it.
    const after: number[] = [];
    for (let i = 0; i < 50 && after.filter((s) => s === 200).length < 5; i++) {
      const status = await call(token);
      after.push(status);
      if (status === 200) ok++;
    }
    expect(after.filter((s) => s === 200)).toHaveLength(5);
    expect(after.every((s) => s === 200 || s === 503)).toBe(true);

    await keyward.flush();
    const usage = await usageOf(key.id);
    expect(Number(usage.usage_count)).toBe(ok);
    expect(usage.last_used_at).not.toBeNull();
  });

  it("answers 503 when the database hangs past the timeout, and 200 once it answers again", async () => {
    const { token } = await keyward.create({ name: "hang", rateLimit: null });
    expect(await call(token)).toBe(200);
    proxy.freeze();
    try {
      const statuses = await Promise.all(Array.from({ length: 5 }, () => call(token)));
      expect(statuses).toEqual(Array(5).fill(503));
    } finally {
      proxy.thaw();
    }
    await expect.poll(() => call(token), { timeout: 5_000, interval: 50 }).toBe(200);
  });
});
