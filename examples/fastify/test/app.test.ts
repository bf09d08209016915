/**
 * The Fastify example answers real HTTP requests as its README says: on the memory store
 * (every route, every status) and on PostgreSQL (the same app, keys in the database).
 */
import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { type OpenKeyward, openKeyward } from "../src/keyward.js";

const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const json = { "content-type": "application/json" };

async function start(opened: OpenKeyward): Promise<{ app: FastifyInstance; url: string }> {
  const app = await createApp(opened.keyward);
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  return { app, url };
}

describe("examples/fastify on the memory store", () => {
  let opened: OpenKeyward;
  let app: FastifyInstance;
  let url: string;
  const tokens = { reader: "", writer: "", admin: "", searcher: "" };

  beforeAll(async () => {
    opened = await openKeyward();
    ({ app, url } = await start(opened));
    const { keyward } = opened;
    tokens.reader = (await keyward.create({ ownerId: "org_1", scopes: ["reader"] })).token;
    tokens.writer = (await keyward.create({ ownerId: "org_1", scopes: ["writer"] })).token;
    tokens.admin = (await keyward.create({ ownerId: "org_1", scopes: ["admin"] })).token;
    tokens.searcher = (
      await keyward.create({
        ownerId: "org_1",
        scopes: ["reader"],
        rateLimit: [
          { name: "default", limit: 100, window: "1m" },
          { name: "search", limit: 2, window: "1m" },
        ],
      })
    ).token;
  });
  afterAll(async () => {
    await app.close();
    await opened.close();
  });

  it("answers 401 problem+json with a Bearer challenge when the key is missing", async () => {
    const response = await fetch(`${url}/v1/tasks`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="api"');
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 401, code: "missing_key" });
  });

  it("lets a reader list tasks (200 with rate-limit headers) but not write (403)", async () => {
    const listed = await fetch(`${url}/v1/tasks`, { headers: bearer(tokens.reader) });
    expect(listed.status).toBe(200);
    expect(listed.headers.get("ratelimit-policy")).toBe('"default";q=100;w=60');
    expect(listed.headers.get("ratelimit")).toMatch(/^"default";r=\d+;t=\d+$/);

    const body = JSON.stringify({ title: "Restock" });
    const denied = await fetch(`${url}/v1/tasks`, {
      method: "POST",
      headers: { ...bearer(tokens.reader), ...json },
      body,
    });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ code: "insufficient_scope", scope: "task:write" });

    const created = await fetch(`${url}/v1/tasks`, {
      method: "POST",
      headers: { ...bearer(tokens.writer), ...json },
      body,
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ title: "Restock" });
  });

  it("protects the admin route with a scope query: writer 403, admin 204", async () => {
    const created = await fetch(`${url}/v1/tasks`, {
      method: "POST",
      headers: { ...bearer(tokens.writer), ...json },
      body: JSON.stringify({ title: "Delete me" }),
    });
    const { id } = (await created.json()) as { id: string };
    const denied = await fetch(`${url}/v1/tasks/${id}`, { method: "DELETE", headers: bearer(tokens.writer) });
    expect(denied.status).toBe(403);
    expect(denied.headers.get("www-authenticate")).toContain('scope="task:delete admin:*"');
    const deleted = await fetch(`${url}/v1/tasks/${id}`, { method: "DELETE", headers: bearer(tokens.admin) });
    expect(deleted.status).toBe(204);
  });

  it('rate-limits the search route on the named limit "search" (429 with Retry-After)', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i++) {
      last = await fetch(`${url}/v1/tasks/search?q=x`, { headers: bearer(tokens.searcher) });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await last!.json()).toMatchObject({ code: "rate_limited" });
    expect((await fetch(`${url}/v1/tasks`, { headers: bearer(tokens.searcher) })).status).toBe(200);
  });

  it("serves the public route without a key and rejects a bad one", async () => {
    expect(await (await fetch(`${url}/v1/status`)).json()).toEqual({ status: "ok", keyId: null });
    const bad = await fetch(`${url}/v1/status`, { headers: bearer("sk_test_nope") });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ code: "invalid_key" });
  });

  it("mounts the management API under /api: create, use, revoke", async () => {
    const owner = { ...json, "x-demo-owner": "org_api" };
    const body = JSON.stringify({ name: "from the API", scopes: ["reader"] });
    expect((await fetch(`${url}/api/keys`, { method: "POST", headers: json, body })).status).toBe(401);
    const created = await fetch(`${url}/api/keys`, { method: "POST", headers: owner, body });
    expect(created.status).toBe(201);
    const { token, key } = (await created.json()) as { token: string; key: { id: string } };
    expect((await fetch(`${url}/v1/tasks`, { headers: bearer(token) })).status).toBe(200);
    expect((await fetch(`${url}/api/keys/${key.id}/revoke`, { method: "POST", headers: owner })).status).toBe(
      200,
    );
    const rejected = await fetch(`${url}/v1/tasks`, { headers: bearer(token) });
    expect(rejected.status).toBe(401);
    expect(await rejected.json()).toMatchObject({ code: "revoked_key" });
  });
});

describe("examples/fastify on PostgreSQL", () => {
  const schema = `kw_example_fastify_${randomBytes(4).toString("hex")}`;
  let opened: OpenKeyward;
  let app: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    opened = await openKeyward({ databaseUrl: DATABASE_URL, schema });
    ({ app, url } = await start(opened));
  });
  afterAll(async () => {
    await app?.close();
    await opened?.close();
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it("keeps keys in the database: a key minted through one app instance works on another", async () => {
    expect(opened.store).toBe("postgres");
    const created = await fetch(`${url}/api/keys`, {
      method: "POST",
      headers: { ...json, "x-demo-owner": "org_pg" },
      body: JSON.stringify({ name: "pg", scopes: ["writer"] }),
    });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    const other = await openKeyward({ databaseUrl: DATABASE_URL, schema });
    try {
      const second = await start(other);
      try {
        const response = await fetch(`${second.url}/v1/tasks`, { headers: bearer(token) });
        expect(response.status).toBe(200);
      } finally {
        await second.app.close();
      }
    } finally {
      await other.close();
    }
  });
});
