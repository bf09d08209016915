/**
 * The management API and who a key acts for: the role ceiling on create and update (403),
 * `allowedIps` set, validated and shown, and the `start…last4` preview on every key.
 */
import { createKeysApi, createKeyward, type KeysApiRequest, memoryStore } from "@keyward/core";
import { afterEach, describe, expect, it } from "vitest";
import { schemaChecker } from "./management-schema.js";

const JSON_HEADERS = { "content-type": "application/json", "content-length": "1" };
const roles = new Map<string, string | null>();
const keyward = createKeyward({
  store: memoryStore(),
  prefix: "sk_test",
  scopes: { reader: ["task:read", "project:read"], writer: ["task:*", "project:*"] },
  resolveOwner: async (id: string) => {
    const role = roles.get(id);
    return role === undefined || role === null ? null : { id, role };
  },
  ownerScopes: (org) => [(org as { role: string }).role],
});
afterEach(() => roles.clear());

const api = createKeysApi(keyward, { owner: (raw) => (raw as { owner: string }).owner });
const send = async (method: string, path: string, body?: unknown, owner = "org_1") => {
  const request: KeysApiRequest = { method, path, headers: JSON_HEADERS, body, raw: { owner } };
  const response = await api(request);
  return { ...response, json: response.body === "" ? null : JSON.parse(response.body) };
};

describe("role ceiling", () => {
  it("a reader may mint keys within its role and is refused 403 above it, one error per scope", async () => {
    roles.set("org_1", "reader");
    const ok = await send("POST", "/keys", { scopes: ["task:read", "reader"] });
    expect(ok.status).toBe(201);
    const above = await send("POST", "/keys", { scopes: ["task:read", "task:write", "writer"] });
    expect(above.status).toBe(403);
    expect(above.headers["Content-Type"]).toBe("application/problem+json");
    expect(above.json).toMatchObject({
      code: "insufficient_scope",
      status: 403,
      errors: [
        { path: "/scopes/1", message: "is above what you may grant now: task:write" },
        { path: "/scopes/2", message: "is above what you may grant now: writer" },
      ],
    });
    expect((await send("GET", "/keys")).json.items).toHaveLength(1); // nothing was minted
  });

  it("update may not widen a key above the role; narrowing and other fields pass", async () => {
    roles.set("org_1", "writer");
    const created = await send("POST", "/keys", { scopes: ["task:read"] });
    roles.set("org_1", "reader");
    const id = created.json.key.id;
    expect((await send("PATCH", `/keys/${id}`, { scopes: ["task:*"] })).status).toBe(403);
    expect((await send("PATCH", `/keys/${id}`, { scopes: ["project:read"] })).status).toBe(200);
    expect((await send("PATCH", `/keys/${id}`, { name: "renamed" })).status).toBe(200);
  });

  it("an inactive owner cannot grant scopes", async () => {
    roles.set("org_1", null);
    const refused = await send("POST", "/keys", { scopes: ["task:read"] });
    expect(refused.status).toBe(403);
    expect(refused.json.detail).toMatch(/no longer active/);
  });

  it("a wildcard request is above a role that grants only some of its actions", async () => {
    roles.set("org_1", "reader");
    expect((await send("POST", "/keys", { scopes: ["task:*"] })).status).toBe(403);
    expect((await send("POST", "/keys", { scopes: ["*"] })).status).toBe(403);
  });
});

describe("allowedIps and the preview", () => {
  it("are set on create and update, shown on every key, and match the OpenAPI schema", async () => {
    roles.set("org_1", "writer");
    const created = await send("POST", "/keys", { allowedIps: ["203.0.113.0/24", "2001:db8::/32"] });
    expect(created.status).toBe(201);
    const { token, key } = created.json;
    expect(key.allowedIps).toEqual(["203.0.113.0/24", "2001:db8::/32"]);
    expect(key.last4).toBe(token.slice(-4));
    expect(key.preview).toBe(`${token.slice(0, 12)}…${token.slice(-4)}`);
    expect(token.startsWith(key.preview.slice(0, 12))).toBe(true);
    const updated = await send("PATCH", `/keys/${key.id}`, { allowedIps: null });
    expect(updated.json.allowedIps).toBeNull();
    const listed = (await send("GET", "/keys")).json.items[0];
    expect(listed).toMatchObject({ preview: key.preview, last4: key.last4, allowedIps: null });
    const document = JSON.parse((await send("GET", "/openapi.json")).body);
    const check = schemaChecker(document);
    expect(check("ApiKey", listed)).toEqual([]);
    expect(document.paths["/keys"].post.responses["403"].description).toMatch(
      /above the caller's current role/,
    );
    expect(document.paths["/keys/{id}"].patch.responses["403"]).toBeDefined();
    expect(document.paths["/keys/{id}"].delete.responses["403"]).toBeUndefined();
  });

  it("refuses malformed entries with 400, one error per entry", async () => {
    roles.set("org_1", "writer");
    const bad = await send("POST", "/keys", { allowedIps: ["10.0.0.0/8", "10.0.0.0/99", "example.com"] });
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toEqual([
      { path: "/allowedIps/1", message: "is not an IPv4 or IPv6 address or CIDR range" },
      { path: "/allowedIps/2", message: "is not an IPv4 or IPv6 address or CIDR range" },
    ]);
  });
});
