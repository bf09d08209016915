/**
 * Management-API scenario, part 1: the OpenAPI document, and each endpoint of a key's life
 * (create, read, update, rotate with grace, revoke, delete).
 */
import type { Scenario, ScenarioRunner } from "./management-scenario-context.js";

/** Registers these cases; `s` is filled in by the scenario's `beforeAll`. */
export function lifecycleCases(t: ScenarioRunner, s: Scenario): void {
  const { it, expect } = t;
  const { call, create, expectProblem, remember } = s;
  it("serves a valid OpenAPI 3.1 document without authentication", async () => {
    const reply = await call(null, "GET", "/openapi.json");
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
    expect(reply.json.openapi).toBe("3.1.0");
    const { errors, warnings } = await s.tools.validateOpenApiDocument(reply.json);
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
    expect(s.check("KeyWithToken", reply.json)).toEqual([]);
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
    const verified = await s.keyward.verify(token, { scopes: ["task:read"] });
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
    expect(s.check("ApiKey", reply.json)).toEqual([]);
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
    expect(s.check("ApiKey", reply.json)).toEqual([]);
    expect(reply.json).toMatchObject({
      name: "after",
      enabled: false,
      scopes: ["task:read", "task:write"],
      metadata: { team: "ops" },
      expiresAt,
      rateLimit: [],
      quota: { limit: 5, remaining: 5 },
    });
    expect((await s.keyward.verify(token)).ok).toBe(false);
    const empty = await call("org_a", "PATCH", `/keys/${key.id}`, { body: {} });
    expect(empty.status).toBe(200);
    expect(empty.json.updatedAt).toBe(reply.json.updatedAt);
  });

  it("POST /keys/:id/rotate issues a new token; the old one works through the grace period", async () => {
    const { key, token: oldToken } = await create("org_a", { name: "rotate me" });
    const reply = await call("org_a", "POST", `/keys/${key.id}/rotate`, { body: { gracePeriod: "1h" } });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.headers.get("cache-control")).toBe("no-store");
    expect(s.check("KeyWithToken", reply.json)).toEqual([]);
    const newToken = remember(reply);
    expect(newToken).not.toBe(oldToken);
    expect(reply.json.key.id).toBe(key.id);
    expect(reply.json.key.start).toBe(newToken.slice(0, reply.json.key.start.length));
    expect((await s.keyward.verify(newToken)).ok).toBe(true);
    expect((await s.keyward.verify(oldToken)).ok).toBe(true);

    const { key: other, token: otherOld } = await create("org_a");
    const noGrace = await call("org_a", "POST", `/keys/${other.id}/rotate`);
    expect(noGrace.status, noGrace.text).toBe(200);
    remember(noGrace);
    expect((await s.keyward.verify(otherOld)).ok).toBe(false);
  });

  it("POST /keys/:id/revoke stops the key; DELETE /keys/:id removes it (204)", async () => {
    const { key, token } = await create("org_a");
    const revoked = await call("org_a", "POST", `/keys/${key.id}/revoke`);
    expect(revoked.status, revoked.text).toBe(200);
    expect(s.check("ApiKey", revoked.json)).toEqual([]);
    expect(revoked.json.revokedAt).not.toBeNull();
    expect(await s.keyward.verify(token)).toMatchObject({ ok: false, code: "revoked_key" });

    const deleted = await call("org_a", "DELETE", `/keys/${key.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expectProblem(await call("org_a", "GET", `/keys/${key.id}`), 404, "not_found");
    expect(await s.keyward.get(key.id)).toBeNull();
  });
}
