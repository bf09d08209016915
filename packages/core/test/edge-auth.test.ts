/**
 * `createEdgeAuth()`: the fetch-style edge step answers the adapters' HTTP table for access
 * tokens — 401 with RFC 6750 challenges, 403 insufficient_scope naming the scope, problem+json.
 */
import { createKeyward, type Keyward, memoryStore } from "@keyward/core";
import { createEdgeAuth } from "@keyward/core/edge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signingKey } from "./edge-fixtures.js";

let keyward: Keyward;
let apiKey: string;

beforeAll(async () => {
  keyward = createKeyward({ store: memoryStore(), prefix: "sk_test", signingKeys: [await signingKey("k1")] });
  apiKey = (await keyward.create({ ownerId: "org_1", scopes: ["task:read"] })).token;
});

afterAll(() => keyward.close());

const request = (authorization?: string) =>
  new Request("https://edge.test/v1/tasks", authorization ? { headers: { authorization } } : {});

describe("createEdgeAuth", () => {
  it("lets a valid token through with the key it speaks for", async () => {
    const auth = createEdgeAuth({ jwks: keyward.jwks(), audience: "edge", scopes: ["task:read"] });
    const { accessToken } = await keyward.exchange(apiKey, { audience: "edge" });
    const outcome = await auth(request(`Bearer ${accessToken}`));
    expect(outcome).toMatchObject({ ok: true, key: { ownerId: "org_1", scopes: ["task:read"] } });
    // Any object with headers will do (e.g. a framework's request).
    const plain = await auth({ headers: { authorization: `bearer ${accessToken}` } });
    expect(plain.ok).toBe(true);
  });

  it("answers 401 missing_key with a bare Bearer challenge when there is no token", async () => {
    const auth = createEdgeAuth({ jwks: keyward.jwks(), realm: "tasks" });
    const outcome = await auth(request());
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.response.status).toBe(401);
    expect(outcome.response.headers.get("www-authenticate")).toBe('Bearer realm="tasks"');
    expect(outcome.response.headers.get("content-type")).toBe("application/problem+json");
    expect(outcome.response.headers.get("cache-control")).toBe("no-store");
    expect(await outcome.response.json()).toMatchObject({ status: 401, code: "missing_key" });
  });

  it("answers 401 invalid_token for a bad token and expired_key for an expired one", async () => {
    const auth = createEdgeAuth({ jwks: keyward.jwks() });
    const bad = await auth(request("Bearer eyJhbGciOiJub25lIn0.e30."));
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.response.status).toBe(401);
    expect(bad.response.headers.get("www-authenticate")).toMatch(
      /^Bearer realm="api", error="invalid_token"/,
    );
    expect(await bad.response.json()).toMatchObject({ code: "invalid_key" });
    // An API key is not an access token: the edge does not accept it.
    const raw = await auth(request(`Bearer ${apiKey}`));
    expect(raw.ok ? 200 : raw.response.status).toBe(401);

    const { accessToken } = await keyward.exchange(apiKey, { ttl: "1s" });
    const late = createEdgeAuth({ jwks: keyward.jwks(), clock: () => Date.now() + 5_000 });
    const expired = await late(request(`Bearer ${accessToken}`));
    expect(expired.ok).toBe(false);
    if (expired.ok) return;
    expect(expired.failure?.code).toBe("expired_key");
    expect(await expired.response.json()).toMatchObject({
      code: "expired_key",
      detail: "The access token has expired.",
    });
  });

  it("answers 403 insufficient_scope naming the required scopes", async () => {
    const auth = createEdgeAuth({ jwks: keyward.jwks(), scopes: ["task:write"] });
    const { accessToken } = await keyward.exchange(apiKey);
    const outcome = await auth(request(`Bearer ${accessToken}`));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.response.status).toBe(403);
    expect(outcome.response.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    expect(outcome.response.headers.get("www-authenticate")).toContain('scope="task:write"');
    expect(await outcome.response.json()).toMatchObject({ code: "insufficient_scope", scope: "task:write" });
  });

  it("with optional, lets a request without a token through but still refuses a bad one", async () => {
    const auth = createEdgeAuth({ jwks: keyward.jwks(), optional: true });
    expect(await auth(request())).toEqual({ ok: true, key: null, claims: null });
    expect((await auth(request("Bearer nope"))).ok).toBe(false);
  });

  it("checks its options at construction, naming the bad one", () => {
    expect(() => createEdgeAuth({ jwks: keyward.jwks(), scope: ["a:b"] } as never)).toThrow(/"scope"/);
    expect(() => createEdgeAuth({})).toThrow(/"jwks"/);
    expect(() => createEdgeAuth({ jwks: keyward.jwks(), scopes: "a:b OR" })).toThrow(TypeError);
    expect(() => createEdgeAuth({ jwks: keyward.jwks(), realm: "bad\u0000realm" })).toThrow(/realm/);
  });
});
