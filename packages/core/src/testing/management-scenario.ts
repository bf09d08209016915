/**
 * The management API's HTTP scenario, run against every adapter (Express 5 and 4, Fastify,
 * Next): each endpoint, pagination, validation errors with their paths, the once-only token,
 * 404 / 405, and tenant isolation checked property-style over random owners and keys.
 *
 * An adapter test calls {@link runKeysApiScenario} with its runner and a function that mounts
 * the API on a real HTTP server (127.0.0.1, ephemeral port) and identifies the caller by a
 * header. Response bodies are checked against the served OpenAPI document, so the scenario
 * needs the optional peer dependencies `ajv` and `@readme/openapi-parser` installed.
 *
 * @example
 * import { afterAll, beforeAll, describe, expect, it } from "vitest";
 * import { runKeysApiScenario } from "@keyward/core/testing";
 * runKeysApiScenario({ describe, it, expect, beforeAll, afterAll }, "my-adapter", async (keyward, options, ownerHeader) =>
 *   listen(mountKeysApi(keyward, { ...options, owner: (req) => req.headers[ownerHeader] ?? null })),
 * );
 */

import type { KeysApiOptions } from "../management/index.js";
import { createKeyward } from "../service/index.js";
import { memoryStore } from "../store/memory/index.js";
import type { ApiKey, Keyward, KeywardEvent } from "../types.js";
import { loadOpenApiTools, type SchemaCheck } from "./management-schema.js";

/** The matchers the scenario uses; Vitest's and Jest's `expect` both provide them. */
export interface ScenarioAssertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toMatch(expected: RegExp): void;
  toMatchObject(expected: object): void;
  toBeNull(): void;
  toBeGreaterThan(expected: number): void;
  toHaveLength(expected: number): void;
  toHaveProperty(name: string): void;
  readonly not: ScenarioAssertion;
}

/** `{ describe, it, expect, beforeAll, afterAll }` from your test runner. */
export interface ScenarioRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void> | void, timeout?: number): void;
  expect(actual: unknown, message?: string): ScenarioAssertion;
  beforeAll(body: () => Promise<void> | void, timeout?: number): void;
  afterAll(body: () => Promise<void> | void, timeout?: number): void;
}

/** A running server; `baseUrl` includes the mount prefix (`http://127.0.0.1:1234/api`). */
export interface KeysServer {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * Mounts the API with these options, plus an `owner` callback that returns the value of the
 * `ownerHeader` request header (or null without it).
 */
export type StartKeysServer = (
  keyward: Keyward,
  options: Omit<KeysApiOptions, "owner" | "auth">,
  ownerHeader: string,
) => Promise<KeysServer>;

const OWNER_HEADER = "x-test-owner";

/** The options every adapter is run with. */
export const SCENARIO_OPTIONS = {
  allowedScopes: ["project:read", "task:*", "reader"],
  defaults: { metadata: { createdFrom: "api" } },
  maxExpiresIn: "400d",
  editableLimits: true,
  maxPageSize: 50,
} satisfies Omit<KeysApiOptions, "owner" | "auth">;

// biome-ignore lint/suspicious/noExplicitAny: bodies are checked against the served OpenAPI schemas instead
type Loose = any;

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Loose;
}

interface CallOptions {
  body?: unknown;
  rawBody?: string;
  contentType?: string;
  query?: string;
}

/** A small seeded PRNG (mulberry32), so a failing isolation run can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The parts of a key that any write would change. */
function fingerprint(key: ApiKey | null) {
  if (key === null) return null;
  const { id, name, ownerId, start, scopes, metadata, enabled, expiresAt, revokedAt, updatedAt } = key;
  return { id, name, ownerId, start, scopes, metadata, enabled, expiresAt, revokedAt, updatedAt };
}

export function runKeysApiScenario(t: ScenarioRunner, name: string, start: StartKeysServer): void {
  const { describe, it, expect, beforeAll, afterAll } = t;
  describe(`${name}: management API over HTTP`, () => {
    const events: KeywardEvent[] = [];
    /** Every response body the scenario saw, with the index of those allowed to carry a token. */
    const transcript: { label: string; text: string }[] = [];
    const issued = new Map<string, number>();
    let keyward: Keyward;
    let server: KeysServer;
    let check: SchemaCheck;
    let tools: Awaited<ReturnType<typeof loadOpenApiTools>>;

    async function call(
      owner: string | null,
      method: string,
      path: string,
      options: CallOptions = {},
    ): Promise<Reply> {
      const headers: Record<string, string> = {};
      if (owner !== null) headers[OWNER_HEADER] = owner;
      let body: string | undefined;
      if (options.rawBody !== undefined) body = options.rawBody;
      else if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined) headers["content-type"] = options.contentType ?? "application/json";
      const url = `${server.baseUrl}${path}${options.query === undefined ? "" : `?${options.query}`}`;
      const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
      const text = await response.text();
      transcript.push({ label: `${method} ${path}`, text });
      let json: unknown;
      try {
        json = text === "" ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: response.headers, text, json };
    }

    /** Records a token and where it was issued, so later responses can be searched for it. */
    function remember(reply: Reply): string {
      const token = reply.json.token as string;
      issued.set(token, transcript.length - 1);
      return token;
    }

    async function create(
      owner: string,
      body: Record<string, unknown> = {},
    ): Promise<{ token: string; key: Loose }> {
      const reply = await call(owner, "POST", "/keys", { body });
      expect(reply.status, reply.text).toBe(201);
      return { token: remember(reply), key: reply.json.key };
    }

    async function listAll(owner: string, query = "", pageSize = 7): Promise<Loose[]> {
      const items: Loose[] = [];
      let cursor: string | null = null;
      do {
        const q = `limit=${pageSize}${query ? `&${query}` : ""}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
        const reply = await call(owner, "GET", "/keys", { query: q });
        expect(reply.status, reply.text).toBe(200);
        items.push(...reply.json.items);
        cursor = reply.json.nextCursor;
      } while (cursor !== null);
      return items;
    }

    function expectProblem(reply: Reply, status: number, code: string) {
      expect(reply.status, reply.text).toBe(status);
      expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(reply.json).toMatchObject({ status, code });
      expect(check("Problem", reply.json)).toEqual([]);
    }

    beforeAll(async () => {
      tools = await loadOpenApiTools();
      keyward = createKeyward({
        store: memoryStore(),
        prefix: "sk_test",
        scopes: { reader: ["project:read", "task:read"] },
        cache: false,
        onEvent: (event) => {
          events.push(event);
        },
      });
      server = await start(keyward, SCENARIO_OPTIONS, OWNER_HEADER);
      const reply = await call(null, "GET", "/openapi.json");
      expect(reply.status).toBe(200);
      check = tools.schemaChecker(reply.json);
    });

    afterAll(async () => {
      await server?.close();
      await keyward?.close();
    });

    it("serves a valid OpenAPI 3.1 document without authentication", async () => {
      const reply = await call(null, "GET", "/openapi.json");
      expect(reply.status).toBe(200);
      expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
      expect(reply.json.openapi).toBe("3.1.0");
      const { errors, warnings } = await tools.validateOpenApiDocument(reply.json);
      expect(errors).toBe("");
      expect(warnings).toEqual([]);
    });

    it("answers 401 unauthorized when the owner callback gives null", async () => {
      expectProblem(await call(null, "GET", "/keys"), 401, "unauthorized");
      expectProblem(await call(null, "POST", "/keys", { body: {} }), 401, "unauthorized");
    });

    it("POST /keys creates a key for the caller and shows the token once, with no-store", async () => {
      const reply = await call("org_a", "POST", "/keys", {
        body: {
          name: "Warehouse sync",
          scopes: ["reader", "task:write"],
          expiresIn: "90d",
          metadata: { env: "prod" },
        },
      });
      expect(reply.status, reply.text).toBe(201);
      expect(reply.headers.get("cache-control")).toBe("no-store");
      expect(check("KeyWithToken", reply.json)).toEqual([]);
      const token = remember(reply);
      const { key } = reply.json;
      expect(token).toMatch(/^sk_test_[0-9A-Za-z]{38}$/);
      expect(token.startsWith(key.start)).toBe(true);
      expect(key).toMatchObject({
        name: "Warehouse sync",
        ownerId: "org_a",
        prefix: "sk_test",
        scopes: ["reader", "task:write"],
        metadata: { createdFrom: "api", env: "prod" },
        enabled: true,
        revokedAt: null,
      });
      const lifetime = Date.parse(key.expiresAt) - Date.parse(key.createdAt);
      expect(lifetime).toBe(90 * 86_400_000);
      const verified = await keyward.verify(token, { scopes: ["task:read"] });
      expect(verified.ok).toBe(true);
    });

    it("POST /keys without a body uses the defaults (expiry capped by maxExpiresIn)", async () => {
      const reply = await call("org_a", "POST", "/keys");
      expect(reply.status, reply.text).toBe(201);
      const { key } = reply.json;
      remember(reply);
      expect(key.scopes).toEqual([]);
      expect(Date.parse(key.expiresAt) - Date.parse(key.createdAt)).toBe(400 * 86_400_000);
    });

    it("POST /keys accepts limits and a quota when editableLimits is on", async () => {
      const { key } = await create("org_a", {
        rateLimit: { limit: 10, window: "1m" },
        quota: { limit: 500, refill: { interval: "30d" } },
      });
      expect(key.rateLimit).toEqual([
        { name: "default", limit: 10, window: 60_000, algorithm: "sliding-window", autoApply: false },
      ]);
      expect(key.quota).toMatchObject({
        limit: 500,
        remaining: 500,
        refill: { interval: 30 * 86_400_000, amount: 500 },
      });
    });

    it("GET /keys/:id answers the key, without the token", async () => {
      const { key } = await create("org_a", { name: "get me" });
      const reply = await call("org_a", "GET", `/keys/${key.id}`);
      expect(reply.status).toBe(200);
      expect(reply.headers.get("cache-control")).toBe("no-store");
      expect(check("ApiKey", reply.json)).toEqual([]);
      expect(reply.json).toEqual(key);
      expect(reply.json).not.toHaveProperty("token");
    });

    it("PATCH /keys/:id changes name, enabled, scopes, metadata, expiry and limits", async () => {
      const { key, token } = await create("org_a", { name: "before", scopes: ["project:read"] });
      const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
      const reply = await call("org_a", "PATCH", `/keys/${key.id}`, {
        body: {
          name: "after",
          enabled: false,
          scopes: ["task:read", "task:write"],
          metadata: { team: "ops" },
          expiresAt,
          rateLimit: null,
          quota: { limit: 5 },
        },
      });
      expect(reply.status, reply.text).toBe(200);
      expect(check("ApiKey", reply.json)).toEqual([]);
      expect(reply.json).toMatchObject({
        name: "after",
        enabled: false,
        scopes: ["task:read", "task:write"],
        metadata: { team: "ops" },
        expiresAt,
        rateLimit: [],
        quota: { limit: 5, remaining: 5 },
      });
      expect((await keyward.verify(token)).ok).toBe(false);
      const empty = await call("org_a", "PATCH", `/keys/${key.id}`, { body: {} });
      expect(empty.status).toBe(200);
      expect(empty.json.updatedAt).toBe(reply.json.updatedAt);
    });

    it("POST /keys/:id/rotate issues a new token; the old one works through the grace period", async () => {
      const { key, token: oldToken } = await create("org_a", { name: "rotate me" });
      const reply = await call("org_a", "POST", `/keys/${key.id}/rotate`, { body: { gracePeriod: "1h" } });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.headers.get("cache-control")).toBe("no-store");
      expect(check("KeyWithToken", reply.json)).toEqual([]);
      const newToken = remember(reply);
      expect(newToken).not.toBe(oldToken);
      expect(reply.json.key.id).toBe(key.id);
      expect(reply.json.key.start).toBe(newToken.slice(0, reply.json.key.start.length));
      expect((await keyward.verify(newToken)).ok).toBe(true);
      expect((await keyward.verify(oldToken)).ok).toBe(true);

      const { key: other, token: otherOld } = await create("org_a");
      const noGrace = await call("org_a", "POST", `/keys/${other.id}/rotate`);
      expect(noGrace.status, noGrace.text).toBe(200);
      remember(noGrace);
      expect((await keyward.verify(otherOld)).ok).toBe(false);
    });

    it("POST /keys/:id/revoke stops the key; DELETE /keys/:id removes it (204)", async () => {
      const { key, token } = await create("org_a");
      const revoked = await call("org_a", "POST", `/keys/${key.id}/revoke`);
      expect(revoked.status, revoked.text).toBe(200);
      expect(check("ApiKey", revoked.json)).toEqual([]);
      expect(revoked.json.revokedAt).not.toBeNull();
      expect(await keyward.verify(token)).toMatchObject({ ok: false, code: "revoked_key" });

      const deleted = await call("org_a", "DELETE", `/keys/${key.id}`);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe("");
      expectProblem(await call("org_a", "GET", `/keys/${key.id}`), 404, "not_found");
      expect(await keyward.get(key.id)).toBeNull();
    });

    it("GET /keys pages through every key exactly once, newest first, with filters", async () => {
      const owner = "org_pages";
      const created: string[] = [];
      for (let i = 0; i < 11; i++) {
        const { key } = await create(owner, {
          name: `k${i}`,
          scopes: i % 3 === 0 ? ["task:write"] : ["project:read"],
        });
        created.push(key.id);
      }
      await call(owner, "PATCH", `/keys/${created[1]}`, { body: { enabled: false } });

      const first = await call(owner, "GET", "/keys", { query: "limit=4" });
      expect(first.status).toBe(200);
      expect(check("KeyPage", first.json)).toEqual([]);
      expect(first.json.items).toHaveLength(4);
      expect(typeof first.json.nextCursor).toBe("string");

      const all = await listAll(owner, "", 4);
      expect(all.map((key) => key.id)).toEqual([...created].reverse());
      const defaultPage = await call(owner, "GET", "/keys");
      expect(defaultPage.json.items).toHaveLength(11);
      expect(defaultPage.json.nextCursor).toBeNull();

      const writers = await listAll(owner, "scope=task%3Awrite", 2);
      expect(writers.map((key) => key.name).sort()).toEqual(["k0", "k3", "k6", "k9"]);
      const disabled = await listAll(owner, "enabled=false", 2);
      expect(disabled.map((key) => key.id)).toEqual([created[1]]);
      const enabled = await listAll(owner, "enabled=true", 5);
      expect(enabled).toHaveLength(10);
    });

    it("answers 400 invalid_request with one JSON-Pointer path per problem", async () => {
      const bad = await call("org_a", "POST", "/keys", {
        body: {
          name: 42,
          scopes: ["task:read", "bad scope", 7],
          expiresIn: "5 days",
          extra: true,
          metadata: [],
        },
      });
      expectProblem(bad, 400, "invalid_request");
      const paths = bad.json.errors.map((error: { path: string }) => error.path).sort();
      expect(paths).toEqual(["/expiresIn", "/extra", "/metadata", "/name", "/scopes/1", "/scopes/2"]);
      for (const error of bad.json.errors) expect(typeof error.message).toBe("string");

      const nested = await call("org_a", "POST", "/keys", {
        body: { rateLimit: { limit: "ten", window: "1m" } },
      });
      expectProblem(nested, 400, "invalid_request");
      expect(nested.json.errors).toHaveLength(1);
      expect(nested.json.errors[0]).toMatchObject({ path: "/rateLimit/limit" });
      expect(typeof nested.json.errors[0].message).toBe("string");

      const both = await call("org_a", "POST", "/keys", {
        body: { expiresIn: "1d", expiresAt: "2030-01-01T00:00:00Z" },
      });
      expect(both.json.errors.map((error: { path: string }) => error.path)).toEqual(["/expiresAt"]);

      const query = await call("org_a", "GET", "/keys", { query: "limit=0&enabled=maybe&sort=name" });
      expectProblem(query, 400, "invalid_request");
      expect(query.json.errors.map((error: { path: string }) => error.path).sort()).toEqual([
        "/enabled",
        "/limit",
        "/sort",
      ]);
      const tooBig = await call("org_a", "GET", "/keys", { query: "limit=51" });
      expect(tooBig.json.errors.map((error: { path: string }) => error.path)).toEqual(["/limit"]);

      const { key } = await create("org_a");
      const patch = await call("org_a", "PATCH", `/keys/${key.id}`, {
        body: { enabled: "yes", ownerId: "org_b" },
      });
      expect(patch.json.errors.map((error: { path: string }) => error.path).sort()).toEqual([
        "/enabled",
        "/ownerId",
      ]);
      const rotate = await call("org_a", "POST", `/keys/${key.id}/rotate`, { body: { gracePeriod: -5 } });
      expect(rotate.json.errors.map((error: { path: string }) => error.path)).toEqual(["/gracePeriod"]);
      const array = await call("org_a", "POST", "/keys", { body: [1, 2] });
      expect(array.json.errors).toHaveLength(1);
      expect(array.json.errors[0]).toMatchObject({ path: "" });
      expect(typeof array.json.errors[0].message).toBe("string");
    });

    it("answers 400 for malformed JSON and 415 for bodies that are not JSON", async () => {
      const broken = await call("org_a", "POST", "/keys", { rawBody: '{"name": "x"' });
      expectProblem(broken, 400, "invalid_request");
      expect(broken.json.errors).toEqual([{ path: "", message: "must be valid JSON" }]);
      const text = await call("org_a", "POST", "/keys", {
        rawBody: '{"name":"x"}',
        contentType: "text/plain",
      });
      expectProblem(text, 415, "unsupported_media_type");
    });

    it("refuses an empty write declared as a form, as a cross-site form post would send it", async () => {
      const { key } = await create("org_a");
      for (const contentType of [
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "text/plain",
      ]) {
        const reply = await call("org_a", "POST", `/keys/${key.id}/revoke`, { rawBody: "", contentType });
        expectProblem(reply, 415, "unsupported_media_type");
      }
      expect((await keyward.get(key.id))?.revokedAt).toBeNull();
    });

    it("enforces allowedScopes, maxExpiresIn and the caller's own owner id", async () => {
      const scopes = await call("org_a", "POST", "/keys", {
        body: { scopes: ["task:read", "admin:*", "*", "writer"] },
      });
      expectProblem(scopes, 400, "invalid_request");
      expect(scopes.json.errors.map((error: { path: string }) => error.path)).toEqual([
        "/scopes/1",
        "/scopes/2",
        "/scopes/3",
      ]);
      const long = await call("org_a", "POST", "/keys", { body: { expiresIn: "401d" } });
      expect(long.json.errors.map((error: { path: string }) => error.path)).toEqual(["/expiresIn"]);
      const never = await call("org_a", "POST", "/keys", { body: { expiresAt: null } });
      expect(never.json.errors.map((error: { path: string }) => error.path)).toEqual(["/expiresAt"]);
      const past = await call("org_a", "POST", "/keys", { body: { expiresAt: "2001-01-01T00:00:00Z" } });
      expect(past.json.errors.map((error: { path: string }) => error.path)).toEqual(["/expiresAt"]);
      const foreign = await call("org_a", "POST", "/keys", { body: { ownerId: "org_b" } });
      expect(foreign.json.errors.map((error: { path: string }) => error.path)).toEqual(["/ownerId"]);
      const same = await call("org_a", "POST", "/keys", { body: { ownerId: "org_a", scopes: ["task:*"] } });
      expect(same.status).toBe(201);
      remember(same);

      const { key } = await create("org_a");
      const patch = await call("org_a", "PATCH", `/keys/${key.id}`, { body: { scopes: ["*"] } });
      expect(patch.json.errors.map((error: { path: string }) => error.path)).toEqual(["/scopes/0"]);
      expect((await keyward.get(key.id))?.scopes).toEqual([]);
    });

    it("answers 404 for unknown ids and paths, 405 with Allow for a wrong method", async () => {
      for (const [method, path] of [
        ["GET", "/keys/key_doesnotexist000000"],
        ["PATCH", "/keys/nope"],
        ["POST", "/keys/nope/rotate"],
        ["POST", "/keys/nope/revoke"],
        ["DELETE", "/keys/nope"],
        ["GET", "/nothing-here"],
        ["GET", "/keys/a/b/c"],
      ] as const) {
        const reply = await call("org_a", method, path, method === "PATCH" ? { body: {} } : {});
        expectProblem(reply, 404, "not_found");
      }
      const put = await call("org_a", "PUT", "/keys", { body: {} });
      expectProblem(put, 405, "method_not_allowed");
      expect(put.headers.get("allow")).toBe("GET, HEAD, POST, OPTIONS");
      const del = await call("org_a", "DELETE", "/keys");
      expectProblem(del, 405, "method_not_allowed");
      const getRotate = await call("org_a", "GET", "/keys/x/rotate");
      expectProblem(getRotate, 405, "method_not_allowed");
      expect(getRotate.headers.get("allow")).toBe("POST, OPTIONS");
    });

    it("answers OPTIONS with Allow and HEAD like GET without a body", async () => {
      const options = await call("org_a", "OPTIONS", "/keys");
      expect(options.status).toBe(204);
      expect(options.headers.get("allow")).toBe("GET, HEAD, POST, OPTIONS");
      const head = await call("org_a", "HEAD", "/keys");
      expect(head.status).toBe(200);
      expect(head.headers.get("content-type")).toMatch(/^application\/json/);
      expect(head.text).toBe("");
    });

    it("isolates owners: random owners and keys, every cross-owner call is a 404 and changes nothing", async () => {
      const seed = Number(process.env["KEYWARD_SEED"] ?? Math.floor(Math.random() * 2 ** 31));
      const random = prng(seed);
      const owners = Array.from({ length: 5 }, (_, i) => `tenant_${seed}_${i}`);
      const keys: { id: string; owner: string; token: string }[] = [];
      for (let i = 0; i < 40; i++) {
        const owner = owners[Math.floor(random() * owners.length)]!;
        const scopes = random() < 0.5 ? ["project:read"] : ["task:read"];
        const { key, token } = await create(owner, { name: `n${i}`, scopes });
        keys.push({ id: key.id, owner, token });
      }
      const before = new Map<string, unknown>();
      for (const key of keys) before.set(key.id, fingerprint(await keyward.get(key.id)));
      const unknown = await call(owners[0]!, "GET", "/keys/key_00000000000000000000");

      let attempts = 0;
      for (const owner of owners) {
        for (const key of keys.filter((k) => k.owner !== owner)) {
          const replies = [
            await call(owner, "GET", `/keys/${key.id}`),
            await call(owner, "PATCH", `/keys/${key.id}`, { body: { name: "stolen", enabled: false } }),
            await call(owner, "POST", `/keys/${key.id}/rotate`, { body: { gracePeriod: "1h" } }),
            await call(owner, "POST", `/keys/${key.id}/revoke`),
            await call(owner, "DELETE", `/keys/${key.id}`),
          ];
          for (const reply of replies) {
            attempts++;
            expect(reply.status, `seed ${seed}: ${owner} on ${key.id}`).toBe(404);
            // Byte for byte the answer for an id that does not exist: nothing tells them apart.
            expect(reply.text).toBe(unknown.text);
          }
        }
        const listed = await listAll(owner, "", 6);
        const own = keys.filter((k) => k.owner === owner).map((k) => k.id);
        expect(listed.map((key) => key.id).sort(), `seed ${seed}`).toEqual(own.sort());
        expect(listed.every((key) => key.ownerId === owner)).toBe(true);
      }
      expect(attempts).toBeGreaterThan(0);
      for (const key of keys) {
        expect(fingerprint(await keyward.get(key.id)), `seed ${seed}: ${key.id} changed`).toEqual(
          before.get(key.id),
        );
        expect((await keyward.verify(key.token)).ok).toBe(true);
      }
    });

    it("shows each token only in the response that issued it: never in a get, a list or an event", async () => {
      await listAll("org_a");
      expect(issued.size).toBeGreaterThan(40);
      for (const [token, index] of issued) {
        const seenIn = transcript.flatMap((entry, i) => (entry.text.includes(token) ? [i] : []));
        expect(seenIn, `token issued by ${transcript[index]?.label}`).toEqual([index]);
      }
      const eventText = JSON.stringify(events);
      expect(events.length).toBeGreaterThan(0);
      for (const token of issued.keys()) expect(eventText.includes(token)).toBe(false);
    });
  });
}
