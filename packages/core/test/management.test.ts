/**
 * createKeysApi() called directly: options, the auth mode, HTTP details (HEAD, OPTIONS,
 * trailing slashes), error mapping, and the policies the HTTP scenario runs with only one
 * setting of.
 */
import {
  createKeysApi,
  createKeyward,
  type KeysApiRequest,
  type Keyward,
  type KeywardStore,
  memoryStore,
} from "@keyward/core";
import { afterEach, describe, expect, it } from "vitest";

const open: Keyward[] = [];
function keywardFor(store: KeywardStore = memoryStore()): Keyward {
  const keyward = createKeyward({ store, prefix: "sk_test", cache: false });
  open.push(keyward);
  return keyward;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((keyward) => keyward.close()));
});

const JSON_HEADERS = { "content-type": "application/json", "content-length": "1" };
const asOwner = (owner: string | null) => ({ owner });
const ownerOption = { owner: (raw: unknown) => (raw as { owner: string | null }).owner };

function request(method: string, path: string, extra: Partial<KeysApiRequest> = {}): KeysApiRequest {
  return { method, path, raw: asOwner("org_1"), ...extra };
}

function post(path: string, body: unknown, owner = "org_1"): KeysApiRequest {
  return { method: "POST", path, headers: JSON_HEADERS, body, raw: asOwner(owner) };
}

describe("createKeysApi options", () => {
  it("throws a TypeError naming the option for bad options", () => {
    const keyward = keywardFor();
    expect(() => createKeysApi(keyward, {})).toThrow(/"owner" .*"auth"/);
    expect(() => createKeysApi(keyward, { ...ownerOption, auth: true })).toThrow(TypeError);
    expect(() => createKeysApi(keyward, { owner: "org" as never })).toThrow(/"owner"/);
    expect(() => createKeysApi(keyward, { ...ownerOption, allowedScopes: ["ok:read", "bad scope"] })).toThrow(
      /"allowedScopes"/,
    );
    expect(() => createKeysApi(keyward, { ...ownerOption, maxExpiresIn: "soon" as never })).toThrow(
      /"maxExpiresIn"/,
    );
    expect(() =>
      createKeysApi(keyward, { ...ownerOption, maxExpiresIn: "30d", defaults: { expiresIn: "31d" } }),
    ).toThrow(/"defaults.expiresIn"/);
    expect(() => createKeysApi(keyward, { ...ownerOption, maxPageSize: 0 })).toThrow(/"maxPageSize"/);
    expect(() => createKeysApi({} as Keyward, ownerOption)).toThrow(TypeError);
    expect(() => createKeysApi(keyward, { auth: { readScope: "not a scope" } })).toThrow(/"auth.readScope"/);
  });
});

describe("createKeysApi over the memory store", () => {
  it("answers HEAD like GET without a body, OPTIONS with Allow, and ignores a trailing slash", async () => {
    const api = createKeysApi(keywardFor(), ownerOption);
    const head = await api(request("HEAD", "/keys"));
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    const options = await api(request("OPTIONS", "/keys/key_1"));
    expect(options).toEqual({
      status: 204,
      headers: { Allow: "GET, HEAD, PATCH, DELETE, OPTIONS" },
      body: "",
    });
    const slash = await api(request("GET", "/keys/"));
    expect(slash.status).toBe(200);
    expect(JSON.parse(slash.body)).toEqual({ items: [], nextCursor: null });
  });

  it("refuses rateLimit and quota unless editableLimits, and applies the defaults instead", async () => {
    const keyward = keywardFor();
    const api = createKeysApi(keyward, {
      ...ownerOption,
      defaults: { rateLimit: { limit: 7, window: "1s" }, quota: { limit: 3 }, scopes: ["task:read"] },
    });
    const refused = await api(post("/keys", { rateLimit: null, quota: null }));
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body).errors).toEqual([
      { path: "/rateLimit", message: "is not a known field" },
      { path: "/quota", message: "is not a known field" },
    ]);
    const created = await api(post("/keys", {}));
    expect(created.status).toBe(201);
    const { key } = JSON.parse(created.body);
    expect(key.rateLimit).toEqual([
      { name: "default", limit: 7, window: 1000, algorithm: "sliding-window", autoApply: false },
    ]);
    expect(key.quota).toMatchObject({ limit: 3, remaining: 3 });
    expect(key.scopes).toEqual(["task:read"]);
    const patch = await api({ ...post(`/keys/${key.id}`, { quota: { limit: 1_000_000 } }), method: "PATCH" });
    expect(patch.status).toBe(400);
    expect((await keyward.get(key.id))?.quota?.limit).toBe(3);
  });

  it("uses problemTypeBase and can switch the OpenAPI document off", async () => {
    const api = createKeysApi(keywardFor(), {
      ...ownerOption,
      problemTypeBase: "https://docs.example/errors#",
      openapi: false,
    });
    const missing = await api(request("GET", "/openapi.json"));
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).type).toBe("https://docs.example/errors#not_found");
  });

  it("answers 401 unauthorized for an owner callback that gives null, undefined or an empty string", async () => {
    for (const owner of [null, undefined, ""]) {
      const api = createKeysApi(keywardFor(), { owner: () => owner });
      const response = await api(request("GET", "/keys"));
      expect(response.status).toBe(401);
      expect(JSON.parse(response.body)).toMatchObject({
        code: "unauthorized",
        title: "Authentication required",
      });
    }
  });

  it("lets an owner callback that throws reach the framework's error handling", async () => {
    const api = createKeysApi(keywardFor(), {
      owner: () => {
        throw new Error("session store down");
      },
    });
    await expect(api(request("GET", "/keys"))).rejects.toThrow("session store down");
  });

  it("answers 503 unavailable with Retry-After when the store fails, never throwing", async () => {
    const store = memoryStore();
    const failing: KeywardStore = {
      ...store,
      listKeys: async () => {
        throw new Error("connection refused");
      },
    };
    const api = createKeysApi(keywardFor(failing), ownerOption);
    const response = await api(request("GET", "/keys"));
    expect(response.status).toBe(503);
    expect(response.headers["Retry-After"]).toBe("1");
    expect(JSON.parse(response.body).code).toBe("unavailable");
    expect(response.body).not.toContain("connection refused");
  });

  it("answers 409 conflict when rotating a revoked key, and 400 /cursor for a forged cursor", async () => {
    const api = createKeysApi(keywardFor(), ownerOption);
    const { key } = JSON.parse((await api(post("/keys", {}))).body);
    await api(post(`/keys/${key.id}/revoke`, undefined));
    const rotate = await api(post(`/keys/${key.id}/rotate`, { gracePeriod: "1h" }));
    expect(rotate.status).toBe(409);
    expect(JSON.parse(rotate.body).code).toBe("conflict");
    const forged = await api(request("GET", "/keys", { query: { cursor: "not-a-cursor!" } }));
    expect(forged.status).toBe(400);
    expect(JSON.parse(forged.body).errors).toEqual([
      { path: "/cursor", message: "is not a cursor this API returned" },
    ]);
  });

  it("explains each problem in plain words, never with zod internals", async () => {
    const api = createKeysApi(keywardFor(), { ...ownerOption, editableLimits: true });
    const response = await api(
      post("/keys", {
        expiresIn: "5 days",
        rateLimit: [{ limit: 1, window: "1m" }],
        scopes: ["task:read", "task:read"],
      }),
    );
    expect(JSON.parse(response.body).errors).toEqual([
      { path: "/scopes", message: "must not repeat a scope" },
      { path: "/expiresIn", message: 'must be a duration like "30s", "24h" or "90d", or whole milliseconds' },
      { path: "/rateLimit/0/name", message: "is required" },
    ]);
    expect(response.body).not.toMatch(/Invalid input|regex|\^/);
  });

  it("caps metadata at 4 KiB of JSON, counted in UTF-8 bytes", async () => {
    const api = createKeysApi(keywardFor(), ownerOption);
    const fits = await api(post("/keys", { metadata: { note: "é".repeat(2000) } }));
    expect(fits.status).toBe(201);
    const tooBig = await api(post("/keys", { metadata: { note: "é".repeat(2100) } }));
    expect(tooBig.status).toBe(400);
    expect(JSON.parse(tooBig.body).errors).toEqual([
      { path: "/metadata", message: "must be at most 4096 bytes as JSON" },
    ]);
  });

  it("reads a query given as an object and rejects repeated parameters", async () => {
    const api = createKeysApi(keywardFor(), ownerOption);
    const repeated = await api(request("GET", "/keys", { query: { limit: ["1", "2"] } }));
    expect(repeated.status).toBe(400);
    expect(JSON.parse(repeated.body).errors.map((error: { path: string }) => error.path)).toEqual(["/limit"]);
    const ok = await api(request("GET", "/keys", { query: { limit: "5", scope: undefined } }));
    expect(ok.status).toBe(200);
  });

  it("never lists another owner's key, even when the service hands one back", async () => {
    const keyward = keywardFor();
    const { key: foreign } = await keyward.create({ ownerId: "org_2" });
    const leaky: Keyward = { ...keyward, list: async () => ({ items: [foreign], nextCursor: null }) };
    const api = createKeysApi(leaky, ownerOption);
    const response = await api(request("GET", "/keys"));
    expect(JSON.parse(response.body).items).toEqual([]);
  });

  it("treats a key without an owner as nobody's: no owner id reaches it", async () => {
    const keyward = keywardFor();
    const { key } = await keyward.create({ name: "operator key" });
    const api = createKeysApi(keyward, ownerOption);
    expect((await api(request("GET", `/keys/${key.id}`))).status).toBe(404);
    expect((await api({ ...request("GET", `/keys/${key.id}`), raw: asOwner("null") })).status).toBe(404);
  });
});

describe("createKeysApi protected by API keys (auth)", () => {
  async function setup() {
    const keyward = keywardFor();
    const api = createKeysApi(keyward, { auth: true, allowedScopes: ["task:read"] });
    const reader = await keyward.create({ ownerId: "org_1", scopes: ["keys:read"] });
    const writer = await keyward.create({ ownerId: "org_1", scopes: ["keys:write"] });
    const ownerless = await keyward.create({ scopes: ["keys:*"] });
    const other = await keyward.create({ ownerId: "org_2", scopes: ["task:read"] });
    const as = (token: string, method: string, path: string, body?: unknown): KeysApiRequest => ({
      method,
      path,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : JSON_HEADERS) },
      body,
    });
    return { keyward, api, reader, writer, ownerless, other, as };
  }

  it("needs keys:read to read and keys:write to write; the caller key's owner is the owner", async () => {
    const { api, reader, writer, other, as } = await setup();
    const list = await api(as(reader.token, "GET", "/keys"));
    expect(list.status).toBe(200);
    const ids = JSON.parse(list.body).items.map((key: { id: string }) => key.id);
    expect(ids.sort()).toEqual([reader.key.id, writer.key.id].sort());
    expect((await api(as(reader.token, "GET", `/keys/${other.key.id}`))).status).toBe(404);

    const denied = await api(as(reader.token, "POST", "/keys", { scopes: ["task:read"] }));
    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.body).code).toBe("insufficient_scope");
    expect(denied.headers["WWW-Authenticate"]).toContain('scope="keys:write"');

    const created = await api(as(writer.token, "POST", "/keys", { scopes: ["task:read"] }));
    expect(created.status).toBe(201);
    expect(JSON.parse(created.body).key.ownerId).toBe("org_1");
    const escalate = await api(as(writer.token, "POST", "/keys", { scopes: ["keys:write"] }));
    expect(escalate.status).toBe(400);
  });

  it("answers 401 without a key and 403 for a key without an owner", async () => {
    const { api, ownerless, as } = await setup();
    const missing = await api({ method: "GET", path: "/keys", headers: {} });
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body).code).toBe("missing_key");
    expect(missing.headers["WWW-Authenticate"]).toMatch(/^Bearer realm=/);
    const nobody = await api(as(ownerless.token, "GET", "/keys"));
    expect(nobody.status).toBe(403);
    expect(JSON.parse(nobody.body).code).toBe("insufficient_scope");
  });

  it("finds the caller's key in the query string when auth.query allows it", async () => {
    const { keyward, reader } = await setup();
    const api = createKeysApi(keyward, { auth: { query: "api_key" } });
    const query = new URLSearchParams({ api_key: reader.token, limit: "5" });
    const list = await api({ method: "GET", path: "/keys", query, headers: {} });
    expect(list.status, list.body).toBe(200);
    expect(JSON.parse(list.body).items).toHaveLength(2);
    const denied = await api({
      method: "GET",
      path: "/keys",
      query: { api_key: "sk_test_nope" },
      headers: {},
    });
    expect(denied.status).toBe(401);
  });

  it("verifies callers with a separate keyward instance when auth.keyward is given", async () => {
    const managed = keywardFor();
    const admin = keywardFor();
    const caller = await admin.create({ ownerId: "org_9", scopes: ["keys:read"] });
    await managed.create({ ownerId: "org_9", name: "visible" });
    const api = createKeysApi(managed, { auth: { keyward: admin } });
    const list = await api({ method: "GET", path: "/keys", headers: { "x-api-key": caller.token } });
    expect(list.status).toBe(200);
    expect(JSON.parse(list.body).items.map((key: { name: string }) => key.name)).toEqual(["visible"]);
  });
});

describe("GET /scopes: the catalogue of grantable scopes", () => {
  const presets = { reader: ["task:read"], writer: ["reader", "task:write"] };

  it("lists keyward's presets and then their scopes when allowedScopes is not given", async () => {
    const keyward = createKeyward({ store: memoryStore(), scopes: presets });
    open.push(keyward);
    const api = createKeysApi(keyward, {
      ...ownerOption,
      scopeDescriptions: { "task:write": "Write tasks" },
    });
    const response = await api(request("GET", "/scopes"));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).items).toEqual([
      { name: "reader", description: null, preset: true, scopes: ["task:read"] },
      { name: "writer", description: null, preset: true, scopes: ["task:read", "task:write"] },
      { name: "task:read", description: null, preset: false, scopes: ["task:read"] },
      { name: "task:write", description: "Write tasks", preset: false, scopes: ["task:write"] },
    ]);
  });

  it("is empty for an instance without presets or allowedScopes", async () => {
    const api = createKeysApi(keywardFor(), ownerOption);
    expect(JSON.parse((await api(request("GET", "/scopes"))).body)).toEqual({ items: [] });
  });

  it("throws a TypeError naming scopeDescriptions for a name outside the catalogue or an empty text", () => {
    const keyward = keywardFor();
    expect(() =>
      createKeysApi(keyward, {
        ...ownerOption,
        allowedScopes: ["task:read"],
        scopeDescriptions: { "task:rede": "x" },
      }),
    ).toThrow(/scopeDescriptions\.task:rede.*allowedScopes/);
    expect(() =>
      createKeysApi(keyward, {
        ...ownerOption,
        allowedScopes: ["task:read"],
        scopeDescriptions: { "task:read": " " },
      }),
    ).toThrow(TypeError);
    expect(() =>
      createKeysApi(keyward, { ...ownerOption, scopeDescriptions: { "task:read": "Read" } }),
    ).toThrow(/neither a preset nor a scope of a preset/);
  });

  it("needs keys:read in API-key auth mode, like the other reads", async () => {
    const keyward = keywardFor();
    const api = createKeysApi(keyward, { auth: true, allowedScopes: ["task:read"] });
    const { token: writer } = await keyward.create({ ownerId: "org_1", scopes: ["keys:write"] });
    const { token: reader } = await keyward.create({ ownerId: "org_1", scopes: ["keys:read"] });
    const as = (token: string) =>
      request("GET", "/scopes", { headers: { authorization: `Bearer ${token}` } });
    expect((await api(as(writer))).status).toBe(403);
    expect((await api(as(reader))).status).toBe(200);
    expect((await api(request("GET", "/scopes"))).status).toBe(401);
  });
});
