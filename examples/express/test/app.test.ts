/**
 * The Express example answers real HTTP requests as its README says: on the memory store
 * (every route, every status) and on PostgreSQL (the same app, keys in the database).
 */
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { type OpenKeyward, openKeyward } from "../src/keyward.js";

const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

async function start(opened: OpenKeyward): Promise<{ url: string; server: Server }> {
  const server = createApp(opened.keyward).listen(0, "127.0.0.1");
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const json = { "content-type": "application/json" };

describe("examples/express on the memory store", () => {
  let opened: OpenKeyward;
  let url: string;
  let server: Server;
  const tokens: Record<"reader" | "writer" | "admin" | "searcher", string> = {
    reader: "",
    writer: "",
    admin: "",
    searcher: "",
  };

  beforeAll(async () => {
    opened = await openKeyward();
    ({ url, server } = await start(opened));
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
    await new Promise((resolve) => server.close(resolve));
    await opened.close();
  });

  it("runs on the memory store when no database URL is given", () => {
    expect(opened.store).toBe("memory");
  });

  it("answers 401 problem+json with a Bearer challenge when the key is missing", async () => {
    const response = await fetch(`${url}/v1/tasks`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="api"');
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 401, code: "missing_key" });
  });

  it("lets a reader list tasks, with the rate-limit headers", async () => {
    const response = await fetch(`${url}/v1/tasks`, { headers: bearer(tokens.reader) });
    expect(response.status).toBe(200);
    expect(response.headers.get("ratelimit-policy")).toBe('"default";q=100;w=60');
    expect(response.headers.get("ratelimit")).toMatch(/^"default";r=\d+;t=\d+$/);
    expect(await response.json()).toEqual({ tasks: [] });
  });

  it("refuses a write with a reader key (403) and accepts it with a writer key (201)", async () => {
    const body = JSON.stringify({ title: "Restock" });
    const denied = await fetch(`${url}/v1/tasks`, {
      method: "POST",
      headers: { ...bearer(tokens.reader), ...json },
      body,
    });
    expect(denied.status).toBe(403);
    expect(denied.headers.get("www-authenticate")).toMatch(
      /^Bearer realm="api", error="insufficient_scope", .*scope="task:write"$/,
    );

    const created = await fetch(`${url}/v1/tasks`, {
      method: "POST",
      headers: { ...bearer(tokens.writer), ...json },
      body,
    });
    expect(created.status).toBe(201);
    const task = (await created.json()) as { id: string; title: string };
    expect(task.title).toBe("Restock");

    const listed = await fetch(`${url}/v1/tasks`, { headers: bearer(tokens.reader) });
    expect(await listed.json()).toEqual({ tasks: [expect.objectContaining({ id: task.id })] });
  });

  it("answers 401 invalid_key for a token whose checksum does not match", async () => {
    const last = tokens.reader.at(-1);
    const typo = tokens.reader.slice(0, -1) + (last === "A" ? "B" : "A");
    const response = await fetch(`${url}/v1/tasks`, { headers: bearer(typo) });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: "invalid_key" });
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
    expect(last!.headers.get("ratelimit-policy")).toContain('"search";q=2;w=60');
    expect(await last!.json()).toMatchObject({ code: "rate_limited" });
    // Other routes only consume "default", so the same key still reads.
    expect((await fetch(`${url}/v1/tasks`, { headers: bearer(tokens.searcher) })).status).toBe(200);
  });

  it("serves the public route without a key, names the key when one is sent, and rejects a bad one", async () => {
    expect(await (await fetch(`${url}/v1/status`)).json()).toEqual({ status: "ok", keyId: null });
    const named = await fetch(`${url}/v1/status`, { headers: bearer(tokens.reader) });
    expect(((await named.json()) as { keyId: string }).keyId).toMatch(/^key_/);
    const bad = await fetch(`${url}/v1/status`, { headers: bearer("sk_test_nope") });
    expect(bad.status).toBe(401);
  });

  it("mounts the management API: the owner header is required, scopes are limited, tokens work", async () => {
    const body = JSON.stringify({ name: "from the API", scopes: ["reader"] });
    const anonymous = await fetch(`${url}/api/keys`, { method: "POST", headers: json, body });
    expect(anonymous.status).toBe(401);

    const owner = { ...json, "x-demo-owner": "org_api" };
    const tooMuch = await fetch(`${url}/api/keys`, {
      method: "POST",
      headers: owner,
      body: JSON.stringify({ scopes: ["admin"] }),
    });
    expect(tooMuch.status).toBe(400);

    const created = await fetch(`${url}/api/keys`, { method: "POST", headers: owner, body });
    expect(created.status).toBe(201);
    const { token, key } = (await created.json()) as { token: string; key: { id: string } };
    expect((await fetch(`${url}/v1/tasks`, { headers: bearer(token) })).status).toBe(200);

    const list = (await (await fetch(`${url}/api/keys`, { headers: owner })).json()) as {
      items: { id: string }[];
    };
    expect(list.items.map((item) => item.id)).toEqual([key.id]);

    const revoked = await fetch(`${url}/api/keys/${key.id}/revoke`, { method: "POST", headers: owner });
    expect(revoked.status).toBe(200);
    const rejected = await fetch(`${url}/v1/tasks`, { headers: bearer(token) });
    expect(rejected.status).toBe(401);
    expect(await rejected.json()).toMatchObject({ code: "revoked_key" });
  });
});

describe("examples/express on PostgreSQL", () => {
  const schema = `kw_example_express_${randomBytes(4).toString("hex")}`;
  let opened: OpenKeyward;
  let url: string;
  let server: Server;

  beforeAll(async () => {
    opened = await openKeyward({ databaseUrl: DATABASE_URL, schema });
    ({ url, server } = await start(opened));
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await opened?.close();
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it("keeps keys in the database: create over HTTP, use, revoke", async () => {
    expect(opened.store).toBe("postgres");
    const owner = { "content-type": "application/json", "x-demo-owner": "org_pg" };
    const created = await fetch(`${url}/api/keys`, {
      method: "POST",
      headers: owner,
      body: JSON.stringify({ name: "pg", scopes: ["writer"] }),
    });
    expect(created.status).toBe(201);
    const { token, key } = (await created.json()) as { token: string; key: { id: string } };

    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    const rows = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".keys WHERE id = $1`, [key.id]);
    await pool.end();
    expect(rows.rows[0].n).toBe(1);

    const write = await fetch(`${url}/v1/tasks`, {
      method: "POST",
      headers: { ...bearer(token), ...json },
      body: JSON.stringify({ title: "in postgres" }),
    });
    expect(write.status).toBe(201);
    expect(write.headers.get("ratelimit")).toMatch(/^"default";r=99;t=\d+$/);

    await fetch(`${url}/api/keys/${key.id}/revoke`, { method: "POST", headers: owner });
    const rejected = await fetch(`${url}/v1/tasks`, { headers: bearer(token) });
    expect(rejected.status).toBe(401);
    expect(await rejected.json()).toMatchObject({ code: "revoked_key" });
  });
});
