/**
 * Enforcement from the document: every operation's requirement (all-of, any-of, security
 * requirement scopes, a query, public, optional, external) and an unknown path, answered the
 * same by an Express app (`apiKeyAuth({ openapi })` on the app and on a router), a Fastify app
 * (the plugin's `openapi` option, applied per route at registration) and Next route handlers
 * (`withApiKeyAuth(…, { openapi, operationId })`).
 */
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createKeyward, memoryStore } from "@keyward/core";
import { apiKeyAuth } from "@keyward/express";
import { keywardPlugin } from "@keyward/fastify";
import { withApiKeyAuth } from "@keyward/next";
import { loadOpenApi, type OpenApiSpec } from "@keyward/openapi";
import express from "express";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const spec = await loadOpenApi(join(import.meta.dirname, "fixtures", "v1.yaml"));
const keyward = createKeyward({ store: memoryStore(), prefix: "sk_test" });
afterAll(() => keyward.close());

const tokens: Record<string, string> = {};
beforeAll(async () => {
  const grants: Record<string, string[]> = {
    reader: ["keys:read", "usage:read"],
    writer: ["keys:write"],
    hooks: ["webhooks:read"],
    bare: [],
  };
  for (const [name, scopes] of Object.entries(grants))
    tokens[name] = (await keyward.create({ name, scopes })).token;
  const revoked = await keyward.create({ name: "revoked", scopes: ["keys:read"] });
  await keyward.revoke(revoked.key.id);
  tokens.revoked = revoked.token;
});

/** [method, path, caller (a token name, or "none"), expected status, expected code]. */
const CASES: [string, string, string, number, string | null][] = [
  ["GET", "/v1/keys", "reader", 200, null],
  ["GET", "/v1/keys", "writer", 403, "insufficient_scope"],
  ["GET", "/v1/keys", "none", 401, "missing_key"],
  ["GET", "/v1/keys", "revoked", 401, "revoked_key"],
  ["POST", "/v1/keys", "writer", 200, null],
  ["POST", "/v1/keys", "reader", 403, "insufficient_scope"],
  ["GET", "/v1/keys/key_1", "reader", 200, null],
  ["GET", "/v1/keys/current", "bare", 200, null], // any valid key: the document's default security
  ["DELETE", "/v1/keys/key_1", "reader", 403, "insufficient_scope"],
  ["GET", "/v1/usage", "reader", 200, null], // any of usage:read, keys:read
  ["GET", "/v1/usage", "hooks", 403, "insufficient_scope"],
  ["GET", "/v1/webhooks", "hooks", 200, null], // scopes of the security requirement
  ["GET", "/v1/webhooks", "reader", 403, "insufficient_scope"],
  ["GET", "/v1/files/report.json", "reader", 200, null], // (keys:read AND usage:read) OR keys:write
  ["GET", "/v1/files/report.json", "writer", 200, null],
  ["GET", "/v1/files/report.json", "hooks", 403, "insufficient_scope"],
  ["GET", "/v1/status", "none", 200, null], // security: []
  ["GET", "/v1/catalog", "none", 200, null], // security: [{}, …]: anonymous allowed
  ["GET", "/v1/catalog", "reader", 200, null],
  ["GET", "/v1/catalog", "writer", 403, "insufficient_scope"],
  ["POST", "/partner/sync", "none", 200, null], // OAuth 2 only: not keyward's
];

function headersFor(caller: string): Record<string, string> {
  return caller === "none" ? {} : { authorization: `Bearer ${tokens[caller]}` };
}

async function expectAnswer(response: Response, status: number, code: string | null) {
  expect(response.status).toBe(status);
  const body = await response.json();
  if (code === null) return;
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect(body.code).toBe(code);
}

describe("Express: apiKeyAuth({ openapi })", () => {
  let base = "";
  let close: () => void = () => {};
  beforeAll(async () => {
    const app = express();
    const v1 = express.Router();
    v1.use(apiKeyAuth(keyward, { openapi: spec }));
    const reply = (req: express.Request, res: express.Response) =>
      res.json({ key: req.apiKey?.name ?? null });
    v1.get("/keys", reply).post("/keys", reply).get("/keys/current", reply).get("/keys/:id", reply);
    v1.delete("/keys/:id", reply).get("/usage", reply).get("/webhooks", reply).get("/files/:file", reply);
    v1.get("/status", reply).get("/catalog", reply).get("/nothing", reply);
    app.use("/v1", v1);
    // The same document on the app itself, for the operation outside /v1.
    app.post("/partner/sync", apiKeyAuth(keyward, { openapi: spec }), reply);
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  it.each(CASES)("%s %s as %s → %i %s", async (method, path, caller, status, code) => {
    await expectAnswer(await fetch(`${base}${path}`, { method, headers: headersFor(caller) }), status, code);
  });

  it("answers 404 problem+json for a path no operation matches, before the handler", async () => {
    const response = await fetch(`${base}/v1/nothing?x=1`, { headers: headersFor("reader") });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      type: "https://keyward.dev/errors/not_found",
      title: "Not found",
      status: 404,
      detail: "No operation of the API's OpenAPI document matches GET /v1/nothing.",
      code: "not_found",
    });
  });

  it('lets an unknown path through with unknownRoutes: "pass"', async () => {
    const app = express();
    app.use(apiKeyAuth(keyward, { openapi: spec, unknownRoutes: "pass" }));
    app.get("/elsewhere", (req, res) => res.json({ key: req.apiKey ?? null }));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/elsewhere`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ key: null });
    } finally {
      server.close();
    }
  });
});

describe("Fastify: keywardPlugin({ openapi })", () => {
  const app = Fastify();
  let base = "";
  beforeAll(async () => {
    await app.register(keywardPlugin, { keyward, openapi: spec });
    const reply = async (request: { apiKey: { name: string | null } | null }) => ({
      key: request.apiKey?.name ?? null,
    });
    for (const [method, url] of [
      ["GET", "/v1/keys"],
      ["POST", "/v1/keys"],
      ["GET", "/v1/keys/current"],
      ["GET", "/v1/keys/:id"],
      ["DELETE", "/v1/keys/:id"],
      ["GET", "/v1/usage"],
      ["GET", "/v1/webhooks"],
      ["GET", "/v1/files/:file"],
      ["GET", "/v1/status"],
      ["GET", "/v1/catalog"],
      ["GET", "/v1/nothing"],
      ["POST", "/partner/sync"],
    ] as const) {
      app.route({ method, url, handler: reply });
    }
    app.get("/healthz", { config: { apiKey: false } }, async () => ({ ok: true }));
    base = await app.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(() => app.close());

  it.each(CASES)("%s %s as %s → %i %s", async (method, path, caller, status, code) => {
    await expectAnswer(await fetch(`${base}${path}`, { method, headers: headersFor(caller) }), status, code);
  });

  it("answers 404 problem+json for a route the document does not describe, and leaves apiKey: false routes alone", async () => {
    const unknown = await fetch(`${base}/v1/nothing`, { headers: headersFor("reader") });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).code).toBe("not_found");
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

describe("Next: withApiKeyAuth({ openapi, operationId })", () => {
  const handlers = new Map(
    spec.operations.map((operation) => [
      `${operation.method} ${operation.path}`,
      withApiKeyAuth(keyward, async (_request, { apiKey }) => Response.json({ key: apiKey?.name ?? null }), {
        openapi: spec,
        operationId: operation.operationId as string,
      }),
    ]),
  );
  const templateOf = (method: string, path: string) => {
    const operation = (spec as OpenApiSpec).match(method, path);
    return `${operation?.method} ${operation?.path}`;
  };

  it.each(CASES)("%s %s as %s → %i %s", async (method, path, caller, status, code) => {
    const handler = handlers.get(templateOf(method, path));
    expect(handler).toBeDefined();
    const request = new Request(`http://localhost${path}`, { method, headers: headersFor(caller) });
    await expectAnswer(await handler!(request, { params: Promise.resolve({}) }), status, code);
  });
});

describe("misuse", () => {
  it.each([
    [{ openapi: spec, scopes: ["keys:read"] }, /"scopes" and "openapi" cannot both be given/],
    [{ openapi: spec, optional: true }, /"optional" and "openapi" cannot both be given/],
    [{ openapi: spec, operationId: "nope" }, /the OpenAPI document has no operation "nope"/],
    [{ operationId: "listKeys" }, /"operationId" needs the "openapi" option/],
    [{ openapi: spec, unknownRoutes: "ignore" }, /"unknownRoutes": expected "reject" or "pass"/],
    [{ openapi: {} }, /"openapi": expected a loaded document/],
  ])("throws a TypeError naming the option (%#)", (options, message) => {
    expect(() => apiKeyAuth(keyward, options as never)).toThrow(TypeError);
    expect(() => apiKeyAuth(keyward, options as never)).toThrow(message);
  });
});
