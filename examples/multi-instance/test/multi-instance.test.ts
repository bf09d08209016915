/**
 * Two instances of the example app — separate connections, separate caches — on one
 * PostgreSQL and on one Redis: a key minted on one works on the other, a shared limit holds
 * exactly across both, and a revocation on one is rejected by the other within a second
 * (through the store's invalidation, since the cache would keep the key for five minutes).
 * The `pnpm tour` script, which does the same with two processes, is run too.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { type Instance, openInstance, type SharedStore } from "../src/keyward.js";

const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** Removes what a namespace left behind: the PostgreSQL schema, or every Redis key under the prefix. */
async function dropNamespace(store: SharedStore, namespace: string): Promise<void> {
  if (store === "postgres") {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    await pool.query(`DROP SCHEMA IF EXISTS "${namespace}" CASCADE`);
    await pool.end();
    return;
  }
  const redis = new Redis(REDIS_URL);
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${namespace}*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== "0");
  await redis.quit();
}

async function listen(instance: Instance, name: string): Promise<{ server: Server; url: string }> {
  const server = createApp(instance.keyward, name).listen(0, "127.0.0.1");
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const owner = { "content-type": "application/json", "x-demo-owner": "org_multi" };

describe.each(["postgres", "redis"] as const)("two instances on %s", (store) => {
  const namespace = `kw_example_multi_${randomBytes(4).toString("hex")}`;
  const instances: Instance[] = [];
  const servers: Server[] = [];
  let a = "";
  let b = "";

  beforeAll(async () => {
    instances.push(await openInstance({ store, namespace }), await openInstance({ store, namespace }));
    const started = await Promise.all([listen(instances[0]!, "A"), listen(instances[1]!, "B")]);
    servers.push(...started.map((s) => s.server));
    [a, b] = started.map((s) => s.url) as [string, string];
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    for (const instance of instances) await instance.close();
    await dropNamespace(store, namespace);
  });

  it("a key minted through A works on B, and a revocation on A reaches B within a second", async () => {
    const created = await fetch(`${a}/api/keys`, {
      method: "POST",
      headers: owner,
      body: JSON.stringify({}),
    });
    expect(created.status).toBe(201);
    const { token, key } = (await created.json()) as { token: string; key: { id: string } };
    const auth = { authorization: `Bearer ${token}` };

    // Both instances verify (and cache) the key.
    expect(await (await fetch(`${a}/v1/whoami`, { headers: auth })).json()).toMatchObject({ instance: "A" });
    expect(await (await fetch(`${b}/v1/whoami`, { headers: auth })).json()).toMatchObject({
      instance: "B",
      keyId: key.id,
    });

    expect((await fetch(`${a}/api/keys/${key.id}/revoke`, { method: "POST", headers: owner })).status).toBe(
      200,
    );
    await expect
      .poll(async () => (await fetch(`${b}/v1/whoami`, { headers: auth })).status, {
        timeout: 1_000,
        interval: 10,
      })
      .toBe(401);
    const rejected = await fetch(`${b}/v1/whoami`, { headers: auth });
    expect(await rejected.json()).toMatchObject({ code: "revoked_key" });
  });

  it("a limit of 6 admits exactly 6 of 20 parallel requests split across both instances", async () => {
    const { token } = await instances[0]!.keyward.create({ rateLimit: { limit: 6, window: "1h" } });
    const auth = { authorization: `Bearer ${token}` };
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${i % 2 ? a : b}/v1/whoami`, { headers: auth }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(6);
    expect(statuses.filter((status) => status === 429)).toHaveLength(14);
  });
});

describe("pnpm tour", () => {
  const namespace = `kw_example_tour_${randomBytes(4).toString("hex")}`;
  afterAll(() => dropNamespace("redis", namespace));

  it("starts two processes on Redis and shows the revocation reaching the second", async () => {
    const cwd = fileURLToPath(new URL("..", import.meta.url));
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=@keyward/source", "src/tour.ts"],
      {
        cwd,
        env: { ...process.env, STORE: "redis", NAMESPACE: namespace },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const code = await new Promise((resolve) => child.once("close", resolve));
    expect(output).toMatch(/GET A\/v1\/whoami → 200 .*"instance":"A"/);
    expect(output).toMatch(/GET B\/v1\/whoami → 200 .*"instance":"B"/);
    expect(output).toMatch(/GET B\/v1\/whoami → 401 \(revocation reached B after \d+ ms\)/);
    expect(code).toBe(0);
  });
});
