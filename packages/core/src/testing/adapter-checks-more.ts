/**
 * The conformance checks, part two: rate limits and quotas (429), optional mode, router-level
 * and route-level auth together, 503 for a store that throws or hangs, and fail-open.
 */
import { assertions, type ConformanceRunner, get } from "./adapter-checks.js";
import type { ConformanceContext } from "./adapter-conformance.js";

const scope = (scopes: string) =>
  `Bearer realm="api", error="insufficient_scope", error_description="The API key lacks a required scope", scope="${scopes}"`;

/** Registers part two of the checks. */
export function runMoreChecks(t: ConformanceRunner, start: () => Promise<ConformanceContext>): void {
  const { describe, it, expect } = t;
  const a = assertions(t);

  describe("429", () => {
    it("rate limited: RateLimit-Policy and RateLimit on every answer, Retry-After and violated-policies on 429", async () => {
      const { main, fixture } = await start();
      const headers = { authorization: `Bearer ${fixture.tokens.burst}` };
      const first = await get(main, "/limited", headers);
      a.ok(first, fixture.keys.burst);
      a.header(first, "ratelimit-policy", '"burst";q=2;w=60');
      a.header(first, "ratelimit", '"burst";r=1;t=40');
      a.header(first, "retry-after", null);
      const second = await get(main, "/limited", headers);
      a.ok(second, fixture.keys.burst);
      a.header(second, "ratelimit", '"burst";r=0;t=40');
      const third = await get(main, "/limited", headers);
      a.problem(third, "rate_limited", 429);
      a.header(third, "ratelimit-policy", '"burst";q=2;w=60');
      a.header(third, "ratelimit", '"burst";r=0;t=40');
      a.header(third, "retry-after", "40");
      a.header(third, "www-authenticate", null);
      expect(third.json["violated-policies"]).toEqual(["burst"]);
    });

    it("emits the draft-7 syntax when the route asks for it", async () => {
      const { main, fixture } = await start();
      const answer = await get(main, "/limited-draft7", { "x-api-key": fixture.tokens.burst7 });
      a.ok(answer, fixture.keys.burst7);
      a.header(answer, "ratelimit-policy", "2;w=60");
      a.header(answer, "ratelimit", "limit=2, remaining=1, reset=40");
    });

    it("a route without limits sends no rate-limit headers", async () => {
      const { main, fixture } = await start();
      const answer = await get(main, "/tasks", { "x-api-key": fixture.tokens.reader });
      a.ok(answer, fixture.keys.reader);
      a.header(answer, "ratelimit-policy", null);
      a.header(answer, "ratelimit", null);
    });

    it("quota spent: usage_exceeded with Retry-After until the refill", async () => {
      const { main, fixture } = await start();
      const headers = { "x-api-key": fixture.tokens.quota };
      a.ok(await get(main, "/tasks", headers), fixture.keys.quota);
      const spent = await get(main, "/tasks", headers);
      a.problem(spent, "usage_exceeded", 429);
      a.header(spent, "retry-after", "3600");
      a.header(spent, "www-authenticate", null);
    });
  });

  describe("optional", () => {
    it("no credentials: the handler runs without a key", async () => {
      const { main } = await start();
      a.ok(await get(main, "/optional"), null);
      a.ok(await get(main, "/optional", { authorization: "Basic dXNlcjpwYXNz" }), null);
    });

    it("bad credentials are still rejected; good ones are verified", async () => {
      const { main, fixture } = await start();
      a.problem(await get(main, "/optional", { "x-api-key": fixture.tokens.unknown }), "invalid_key", 401);
      a.problem(await get(main, "/optional", { "x-api-key": fixture.tokens.revoked }), "revoked_key", 401);
      a.ok(await get(main, "/optional", { "x-api-key": fixture.tokens.writer }), fixture.keys.writer);
    });
  });

  describe("router and route level", () => {
    it("the router's auth covers its routes and charges limits once", async () => {
      const { main, fixture } = await start();
      const answer = await get(main, "/projects/list", { authorization: `Bearer ${fixture.tokens.project}` });
      a.ok(answer, fixture.keys.project);
      a.header(answer, "ratelimit", '"default";r=9;t=40');
      a.problem(await get(main, "/projects/list"), "missing_key", 401);
      a.problem(
        await get(main, "/projects/list", { "x-api-key": fixture.tokens.admin }),
        "insufficient_scope",
        403,
      );
    });

    it("a stricter route inside decides with its own scopes, on the key the router verified", async () => {
      const { main, fixture } = await start();
      const denied = await get(main, "/projects/edit", { authorization: `Bearer ${fixture.tokens.project}` });
      a.problem(denied, "insufficient_scope", 403);
      a.header(denied, "www-authenticate", scope("project:write"));
      // The router consumed one unit for this request (9 → 8); the route consumed none.
      a.header(denied, "ratelimit", '"default";r=8;t=40');
      const allowed = await get(main, "/projects/edit", {
        authorization: `Bearer ${fixture.tokens.projectWriter}`,
      });
      a.ok(allowed, fixture.keys.projectWriter);
      // Router and route both passed; the request was charged once (10 → 9), not twice.
      a.header(allowed, "ratelimit", '"default";r=9;t=40');
      const outer = await get(main, "/projects/edit", { "x-api-key": fixture.tokens.projectWriteOnly });
      a.problem(outer, "insufficient_scope", 403);
      a.header(outer, "www-authenticate", scope("project:read"));
    });
  });

  describe("503", () => {
    for (const mode of ["throw", "hang"] as const) {
      it(`a store that ${mode === "throw" ? "throws" : "hangs past the timeout"} answers 503 unavailable, never 500`, async () => {
        const { unhealthy, fixture } = await start();
        fixture.storeMode(mode);
        try {
          for (const path of ["/tasks", "/optional", "/limited"]) {
            const answer = await get(unhealthy, path, { authorization: `Bearer ${fixture.tokens.healthy}` });
            a.problem(answer, "unavailable", 503);
            a.header(answer, "retry-after", "1");
            a.header(answer, "www-authenticate", null);
          }
        } finally {
          fixture.storeMode("ok");
        }
        a.ok(await get(unhealthy, "/open"), null);
        const healthy = await get(unhealthy, "/tasks", { authorization: `Bearer ${fixture.tokens.healthy}` });
        expect(healthy.status).toBe(200);
      });
    }

    it("failOpen lets the request through without a key while the store is down, and only then", async () => {
      const { unhealthy, fixture } = await start();
      const headers = { authorization: `Bearer ${fixture.tokens.healthy}` };
      const up = await get(unhealthy, "/failopen", headers);
      expect(up.status).toBe(200);
      expect(up.json.scopes).toEqual(["task:read"]);
      fixture.storeMode("throw");
      try {
        a.ok(await get(unhealthy, "/failopen", headers), null);
        a.problem(await get(unhealthy, "/failopen"), "missing_key", 401);
        a.problem(
          await get(unhealthy, "/failopen", { "x-api-key": "sk_test_malformed" }),
          "invalid_key",
          401,
        );
      } finally {
        fixture.storeMode("ok");
      }
    });
  });
}
