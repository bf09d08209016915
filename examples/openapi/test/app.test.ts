/**
 * examples/openapi end to end: the spec is enforced over real HTTP (each operation's scopes,
 * any-of, security-requirement scopes, public, unknown path), and the generated scope types
 * are what `keyward openapi types` writes for the spec today.
 */
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { scopeTypesSource } from "@keyward/openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import app, { keyward, spec } from "../src/main.js";

let server: Server;
let url = "";
const tokens = { reader: "", admin: "", hooks: "", other: "" };

beforeAll(async () => {
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tokens.reader = (await keyward.create({ ownerId: "org_1", scopes: ["reader"] })).token;
  tokens.admin = (await keyward.create({ ownerId: "org_1", scopes: ["admin"] })).token;
  tokens.hooks = (await keyward.create({ ownerId: "org_1", scopes: ["webhooks:read"] })).token;
  tokens.other = (await keyward.create({ ownerId: "org_2", scopes: ["admin"] })).token;
});
afterAll(async () => {
  server.close();
  await keyward.close();
});

const call = (method: string, path: string, token?: string, body?: unknown) =>
  fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { "content-type": "application/json" } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

describe("examples/openapi enforces openapi/v1.yaml", () => {
  it("answers the public health check without a key", async () => {
    expect((await call("GET", "/v1/health")).status).toBe(200);
  });

  it("lets a reader list keys and read usage, but not create keys", async () => {
    expect((await call("GET", "/v1/keys", tokens.reader)).status).toBe(200);
    expect((await call("GET", "/v1/usage", tokens.reader)).status).toBe(200);
    const refused = await call("POST", "/v1/keys", tokens.reader, { scopes: ["keys:read"] });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("www-authenticate")).toContain('scope="keys:write"');
  });

  it("lets an admin create a key that works at once, and revoke it", async () => {
    const created = await call("POST", "/v1/keys", tokens.admin, { name: "sync", scopes: ["usage:read"] });
    expect(created.status).toBe(201);
    const { token, id } = await created.json();
    expect((await call("GET", "/v1/usage", token)).status).toBe(200); // any of usage:read, keys:read
    expect((await call("GET", "/v1/keys", token)).status).toBe(403);
    expect((await call("DELETE", `/v1/keys/${id}`, tokens.other)).status).toBe(404); // another organisation
    expect((await call("DELETE", `/v1/keys/${id}`, tokens.admin)).status).toBe(204);
    expect((await call("GET", "/v1/usage", token)).status).toBe(401);
  });

  it("checks webhooks:read from the operation's security requirement", async () => {
    expect((await call("GET", "/v1/webhooks", tokens.hooks)).status).toBe(200);
    expect((await call("GET", "/v1/keys", tokens.hooks)).status).toBe(403);
  });

  it("refuses a path the spec does not describe with 404 problem+json", async () => {
    const response = await call("GET", "/v1/projects", tokens.admin);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect((await response.json()).code).toBe("not_found");
  });

  it("limits the management API to the spec's scope catalogue", async () => {
    const response = await fetch(`${url}/api/keys`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-demo-owner": "org_1" },
      body: JSON.stringify({ name: "x", scopes: ["billing:read"] }),
    });
    expect(response.status).toBe(400);
  });
});

describe("src/scopes.ts", () => {
  it("is what keyward openapi types writes for the spec today", () => {
    const committed = readFileSync(join(import.meta.dirname, "..", "src", "scopes.ts"), "utf8");
    expect(scopeTypesSource(spec, "../openapi/v1.yaml")).toBe(committed);
  });
});
