/**
 * The Hono example answers real HTTP requests as its README says: protected routes with the
 * key on c.var.apiKey, the protected sub-app, rate limits, and the management API.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { openKeyward } from "../src/keyward.js";

const keyward = openKeyward();
let server: Server;
let url = "";
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  server = createAdaptorServer({ fetch: createApp(keyward).fetch }) as Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await keyward.close();
});

describe("examples/hono", () => {
  it("serves /v1/tasks to a reader with the rate-limit headers, and 401 without a key", async () => {
    const { token } = await keyward.create({ ownerId: "org_1", scopes: ["reader"] });
    const ok = await fetch(`${url}/v1/tasks`, { headers: bearer(token) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ owner: "org_1", tasks: [{ id: "t1" }, { id: "t2" }] });
    expect(ok.headers.get("ratelimit")).toMatch(/^"default";r=4;t=\d+$/);
    const missing = await fetch(`${url}/v1/tasks`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("lets a writer post (cost 2) and refuses a reader with 403", async () => {
    const writer = (await keyward.create({ ownerId: "org_1", scopes: ["writer"] })).token;
    const reader = (await keyward.create({ ownerId: "org_1", scopes: ["reader"] })).token;
    const body = JSON.stringify({ title: "New" });
    const headers = { "content-type": "application/json" };
    const created = await fetch(`${url}/v1/tasks`, {
      method: "POST",
      headers: { ...headers, ...bearer(writer) },
      body,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("ratelimit")).toMatch(/r=3;/);
    const denied = await fetch(`${url}/v1/tasks`, {
      method: "POST",
      headers: { ...headers, ...bearer(reader) },
      body,
    });
    expect(denied.status).toBe(403);
    expect((await denied.json()).code).toBe("insufficient_scope");
  });

  it("protects the admin sub-app as a whole and rate-limits at 5 per minute", async () => {
    const admin = (await keyward.create({ ownerId: "org_2", scopes: ["admin"] })).token;
    const reader = (await keyward.create({ ownerId: "org_2", scopes: ["reader"] })).token;
    expect((await fetch(`${url}/v1/admin/whoami`, { headers: bearer(reader) })).status).toBe(403);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await fetch(`${url}/v1/admin/whoami`, { headers: bearer(admin) })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it("creates and lists keys through the management API for the x-org organisation", async () => {
    const created = await fetch(`${url}/api/keys`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-org": "org_3" },
      body: JSON.stringify({ name: "ci", scopes: ["task:read"] }),
    });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    expect((await fetch(`${url}/v1/tasks`, { headers: bearer(token) })).status).toBe(200);
    const list = await fetch(`${url}/api/keys`, { headers: { "x-org": "org_3" } });
    expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(1);
    expect((await fetch(`${url}/api/keys`)).status).toBe(401);
  });
});
