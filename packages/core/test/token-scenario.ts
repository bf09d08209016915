/**
 * The token endpoints of the management API over real HTTP, run against every adapter:
 * `POST /token` (RFC 8693 request and response, problem+json errors carrying the OAuth
 * `error`) and `GET /.well-known/jwks.json`, with tokens checked by jose against the served keys.
 *
 * An adapter test calls {@link runTokenExchangeScenario} with the same server starter it gives
 * the keys scenario.
 */
import { createKeyward, type Keyward, memoryStore } from "@keyward/core";
import type { KeysServer, StartKeysServer } from "@keyward/core/testing";
import { compileErrors, parse as parseOpenApi, validate as validateOpenApi } from "@readme/openapi-parser";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signingKey } from "./edge-fixtures.js";

const GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: bodies are asserted member by member
  json: any;
}

export function runTokenExchangeScenario(name: string, start: StartKeysServer): void {
  describe(`${name}: token exchange over HTTP`, () => {
    let keyward: Keyward;
    let server: KeysServer;

    beforeAll(async () => {
      keyward = createKeyward({
        store: memoryStore(),
        prefix: "sk_test",
        scopes: { reader: ["project:read", "task:read"] },
        signingKeys: [await signingKey("scenario-1")],
        issuer: "https://keys.example.test",
      });
      server = await start(
        keyward,
        { tokenExchange: { audiences: ["edge", "billing"], ttl: "2m" } },
        "x-owner",
      );
    });

    afterAll(async () => {
      await server?.close();
      await keyward?.close();
    });

    async function post(parameters: Record<string, string>, type = "form", body?: string): Promise<Reply> {
      const encoded =
        body ?? (type === "form" ? new URLSearchParams(parameters).toString() : JSON.stringify(parameters));
      const contentType =
        type === "form" ? "application/x-www-form-urlencoded" : type === "json" ? "application/json" : type;
      const response = await fetch(`${server.baseUrl}/token`, {
        method: "POST",
        headers: { "content-type": contentType },
        body: encoded,
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        json: text === "" ? undefined : JSON.parse(text),
      };
    }

    const exchange = (token: string, extra: Record<string, string> = {}, type = "form") =>
      post({ grant_type: GRANT, subject_token: token, subject_token_type: ACCESS_TOKEN, ...extra }, type);

    function expectProblem(reply: Reply, status: number, code: string, error: string): void {
      expect(reply.status, JSON.stringify(reply.json)).toBe(status);
      // Fastify appends "; charset=utf-8" to the type core sets.
      expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json(;|$)/);
      expect(reply.headers.get("cache-control")).toBe("no-store");
      expect(reply.json).toMatchObject({ status, code, error, error_description: reply.json.detail });
    }

    it("exchanges an API key for an access token that jose verifies against the served JWK Set", async () => {
      const { token, key } = await keyward.create({ ownerId: "org_1", scopes: ["reader", "task:write"] });
      const reply = await exchange(token, { scope: "task:read task:write", audience: "edge" });
      expect(reply.status, JSON.stringify(reply.json)).toBe(200);
      expect(reply.headers.get("cache-control")).toBe("no-store");
      expect(reply.json).toEqual({
        access_token: expect.any(String),
        issued_token_type: ACCESS_TOKEN,
        token_type: "Bearer",
        expires_in: 120,
        scope: "task:read task:write",
      });
      const jwks = createRemoteJWKSet(new URL(`${server.baseUrl}/.well-known/jwks.json`));
      const { payload } = await jwtVerify(reply.json.access_token, jwks, {
        audience: "edge",
        issuer: "https://keys.example.test",
        typ: "at+jwt",
      });
      expect(payload).toMatchObject({ sub: key.id, owner: "org_1", scope: "task:read task:write" });
    });

    it("takes the parameters as JSON too, and all of the key's scopes when none are asked for", async () => {
      const { token } = await keyward.create({ scopes: ["reader"] });
      const reply = await exchange(token, {}, "json");
      expect(reply.status).toBe(200);
      expect(reply.json.scope).toBe("project:read task:read");
    });

    it("refuses a revoked key with 401 revoked_key and a Bearer challenge", async () => {
      const { token, key } = await keyward.create();
      await keyward.revoke(key.id);
      const reply = await exchange(token);
      expectProblem(reply, 401, "revoked_key", "invalid_request");
      expect(reply.headers.get("www-authenticate")).toContain('error="invalid_token"');
      expectProblem(await exchange("sk_test_nope"), 401, "invalid_key", "invalid_request");
    });

    it("answers 429 rate_limited with Retry-After and RateLimit headers once the key's limit is spent", async () => {
      const { token } = await keyward.create({ rateLimit: { limit: 2, window: "1m" } });
      const first = await exchange(token);
      expect(first.status).toBe(200);
      expect(first.headers.get("ratelimit")).toMatch(/^"default";r=1;t=\d+$/);
      expect((await exchange(token)).status).toBe(200);
      const limited = await exchange(token);
      expectProblem(limited, 429, "rate_limited", "temporarily_unavailable");
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(limited.headers.get("ratelimit-policy")).toBe('"default";q=2;w=60');
    });

    it("refuses a scope the key lacks with 403 invalid_scope", async () => {
      const { token } = await keyward.create({ scopes: ["reader"] });
      const reply = await exchange(token, { scope: "task:write" });
      expectProblem(reply, 403, "insufficient_scope", "invalid_scope");
      expect(reply.json.scope).toBe("task:write");
    });

    it("answers malformed requests with 400 and the RFC 6749 / RFC 8693 error code", async () => {
      const { token } = await keyward.create();
      expectProblem(
        await post({ grant_type: "client_credentials", subject_token: token }),
        400,
        "invalid_request",
        "unsupported_grant_type",
      );
      const untyped = await post({ grant_type: GRANT, subject_token: token });
      expectProblem(untyped, 400, "invalid_request", "invalid_request");
      expect(untyped.json.errors).toEqual([{ path: "/subject_token_type", message: expect.any(String) }]);
      expectProblem(
        await exchange(token, { scope: "not a:scope!" }),
        400,
        "invalid_request",
        "invalid_scope",
      );
      expectProblem(
        await exchange(token, { audience: "elsewhere" }),
        400,
        "invalid_request",
        "invalid_target",
      );
      expectProblem(
        await exchange(token, { resource: "https://x.test" }),
        400,
        "invalid_request",
        "invalid_target",
      );
      expectProblem(await exchange(token, { actor_token: "x" }), 400, "invalid_request", "invalid_request");
      const twice = await post({}, "form", `grant_type=${encodeURIComponent(GRANT)}&scope=a:b&scope=c:d`);
      expectProblem(twice, 400, "invalid_request", "invalid_request");
      expectProblem(
        await post({}, "text/plain", "subject_token=x"),
        400,
        "invalid_request",
        "invalid_request",
      );
      expectProblem(await post({}, "json", "{nope"), 400, "invalid_request", "invalid_request");
    });

    it("serves the public keys, HEAD and OPTIONS, and 405 for other methods", async () => {
      const url = `${server.baseUrl}/.well-known/jwks.json`;
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual(keyward.jwks());
      expect(text).not.toContain('"d"');
      expect((await fetch(url, { method: "HEAD" })).status).toBe(200);
      const options = await fetch(url, { method: "OPTIONS" });
      expect(options.status).toBe(204);
      expect(options.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
      const wrong = await fetch(`${server.baseUrl}/token`, { method: "GET" });
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get("allow")).toBe("POST, OPTIONS");
    });

    it("describes both endpoints in a valid OpenAPI document", async () => {
      const response = await fetch(`${server.baseUrl}/openapi.json`);
      const document = await response.json();
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining(["/token", "/.well-known/jwks.json"]),
      );
      expect(document.components.schemas.TokenExchangeRequest.properties.grant_type.const).toBe(GRANT);
      const result = await validateOpenApi(await parseOpenApi(structuredClone(document)));
      expect(result.valid ? "" : compileErrors(result)).toBe("");
    });
  });
}
