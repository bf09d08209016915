/**
 * The Next.js example, built and served for real (see app.ts: `next build` once per run, then
 * `next start` on 127.0.0.1 and an ephemeral port), then real HTTP requests through
 * withApiKeyAuth() route handlers and the keysHandlers() catch-all.
 */
import { generateToken } from "@keyward/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "./app.js";

// A token in keyward's format that the app imports at startup (KEYWARD_DEMO_TOKEN).
const demoToken = generateToken("sk_test");

let app: RunningApp | undefined;
let url = "";

beforeAll(async () => {
  app = await startApp({ KEYWARD_DEMO_TOKEN: demoToken });
  url = app.url;
}, 400_000);

afterAll(async () => {
  await app?.stop();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const json = { "content-type": "application/json" };
const owner = { ...json, "x-demo-owner": "org_1" };

async function mint(scopes: string[]): Promise<{ token: string; id: string }> {
  const response = await fetch(`${url}/api/keys`, {
    method: "POST",
    headers: owner,
    body: JSON.stringify({ scopes }),
  });
  expect(response.status).toBe(201);
  const { token, key } = (await response.json()) as { token: string; key: { id: string } };
  return { token, id: key.id };
}

describe("examples/next, built and started", () => {
  it("answers 200 with the rate-limit headers for the imported demo key", async () => {
    const response = await fetch(`${url}/api/tasks`, { headers: bearer(demoToken) });
    expect(response.status).toBe(200);
    expect(response.headers.get("ratelimit-policy")).toBe('"default";q=100;w=60');
    expect(response.headers.get("ratelimit")).toMatch(/^"default";r=\d+;t=\d+$/);
    expect(await response.json()).toEqual({ tasks: [] });
  });

  it("answers 401 problem+json with a Bearer challenge without a key, and for a bad one", async () => {
    const missing = await fetch(`${url}/api/tasks`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="api"');
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
    expect(await missing.json()).toMatchObject({ status: 401, code: "missing_key" });

    const invalid = await fetch(`${url}/api/tasks`, { headers: bearer(`${demoToken.slice(0, -1)}!`) });
    expect(invalid.status).toBe(401);
    expect(invalid.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("mints keys through the management API, lists them, and a reader gets 403 on a write", async () => {
    const reader = await mint(["reader"]);
    const listed = await fetch(`${url}/api/keys`, { headers: owner });
    expect(listed.status).toBe(200);
    const { items } = (await listed.json()) as { items: { id: string; scopes: string[] }[] };
    expect(items).toContainEqual(expect.objectContaining({ id: reader.id, scopes: ["reader"] }));
    expect(JSON.stringify(items)).not.toContain(reader.token);

    // The key minted by one route handler is verified by another: one shared instance.
    expect((await fetch(`${url}/api/tasks`, { headers: bearer(reader.token) })).status).toBe(200);
    const denied = await fetch(`${url}/api/tasks`, {
      method: "POST",
      headers: { ...bearer(reader.token), ...json },
      body: JSON.stringify({ title: "Restock" }),
    });
    expect(denied.status).toBe(403);
    expect(denied.headers.get("www-authenticate")).toMatch(/error="insufficient_scope".*scope="task:write"/);
    expect(await denied.json()).toMatchObject({ code: "insufficient_scope" });
  });

  it("creates a task and reads it back through the dynamic route (params as a Promise)", async () => {
    const created = await fetch(`${url}/api/tasks`, {
      method: "POST",
      headers: { ...bearer(demoToken), ...json },
      body: JSON.stringify({ title: "Ship the example" }),
    });
    expect(created.status).toBe(201);
    const task = (await created.json()) as { id: string };
    const read = await fetch(`${url}/api/tasks/${task.id}`, { headers: bearer(demoToken) });
    expect(read.status).toBe(200);
    expect(read.headers.get("ratelimit")).toMatch(/^"default";r=\d+;t=\d+$/);
    expect(await read.json()).toMatchObject({ id: task.id, title: "Ship the example" });

    // The admin route's scope query ("task:delete OR admin:*") refuses a writer.
    const denied = await fetch(`${url}/api/tasks/${task.id}`, {
      method: "DELETE",
      headers: bearer(demoToken),
    });
    expect(denied.status).toBe(403);
  });

  it('rate-limits search on the named limit "search": ten calls, then 429 with Retry-After', async () => {
    const { token } = await mint(["reader"]);
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 11; i++) {
      last = await fetch(`${url}/api/tasks/search?q=ship`, { headers: bearer(token) });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(last!.headers.get("ratelimit-policy")).toContain('"search";q=10;w=60');
    expect(await last!.json()).toMatchObject({ code: "rate_limited" });
  });

  it("lets the public route through without a key but rejects a bad one (optional mode)", async () => {
    expect(await (await fetch(`${url}/api/status`)).json()).toEqual({ status: "ok", keyId: null });
    expect((await fetch(`${url}/api/status`, { headers: bearer("sk_test_bad") })).status).toBe(401);
  });

  it("rejects a key revoked through the management API", async () => {
    const { token, id } = await mint(["writer"]);
    expect((await fetch(`${url}/api/tasks`, { headers: bearer(token) })).status).toBe(200);
    expect((await fetch(`${url}/api/keys/${id}/revoke`, { method: "POST", headers: owner })).status).toBe(
      200,
    );
    const rejected = await fetch(`${url}/api/tasks`, { headers: bearer(token) });
    expect(rejected.status).toBe(401);
    expect(await rejected.json()).toMatchObject({ code: "revoked_key" });
  });

  it("serves the management API's OpenAPI document", async () => {
    const response = await fetch(`${url}/api/openapi.json`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ openapi: expect.stringMatching(/^3\.1\./) });
  });
});
