/**
 * `apiKeyAuth()`: keyward's authentication step as Hono middleware. It only translates: the
 * Web `Request` Hono holds into an `AuthRequest`, the outcome back into a `Response` or onto
 * the context. Every decision (credentials, status codes, headers, bodies) is made by
 * `createAuthenticator()` in @keyward/core, so Hono answers exactly like every other adapter.
 */
import type { ApiKey, AuthOptions, Keyward } from "@keyward/core";
import { createRequestAuthenticator } from "@keyward/core/http";
import type { MiddlewareHandler } from "hono";

/** Options of {@link apiKeyAuth}: keyward's `AuthOptions` (scopes, rate limits, optional, …). */
export type ApiKeyAuthOptions<S extends string = string> = AuthOptions<S>;

/** The key type a handler sees: `ApiKey | null` with `optional` or `failOpen`, else `ApiKey`. */
export type KeyFor<O> = O extends { optional: true } | { failOpen: true } ? ApiKey | null : ApiKey;

/**
 * The Hono `Env` that `apiKeyAuth()` provides: `c.var.apiKey` (also `c.get("apiKey")`).
 * Declare it on an app whose middleware is added with `app.use()`:
 * `new Hono<ApiKeyEnv>()`; route-level middleware types it by itself.
 */
export interface ApiKeyEnv<K extends ApiKey | null = ApiKey> {
  Variables: { apiKey: K };
}

/**
 * Hono middleware that requires an API key. On success it sets `c.var.apiKey`, runs the next
 * handler and adds the rate-limit headers to its response (headers the handler set itself
 * win); otherwise it answers 400/401/403/429/503 with `application/problem+json` and the next
 * handler does not run. Options are validated here, once: a bad option throws a `TypeError`
 * naming it.
 *
 * Use it with `app.use()`, per route, or both: a route-level `apiKeyAuth()` behind a broader
 * one re-uses the key already verified and only adds its own scope check, so limits and quota
 * are charged once per request.
 *
 * @example
 * const app = new Hono();
 * app.get("/v1/tasks", apiKeyAuth(keyward, { scopes: ["task:read"] }), (c) =>
 *   c.json({ owner: c.var.apiKey.ownerId }),
 * );
 *
 * @example
 * // every route of a sub-app, one of them with a stricter scope
 * const projects = new Hono<ApiKeyEnv>();
 * projects.use(apiKeyAuth(keyward, { scopes: ["project:read"] }));
 * projects.get("/", (c) => c.json(listProjects(c.var.apiKey.ownerId)));
 * projects.delete("/:id", apiKeyAuth(keyward, { scopes: ["project:write"] }), deleteProject);
 * app.route("/v1/projects", projects);
 */
export function apiKeyAuth<
  S extends string,
  const O extends ApiKeyAuthOptions<NoInfer<S>> = Record<never, never>,
>(keyward: Keyward<S>, options?: O): MiddlewareHandler<ApiKeyEnv<KeyFor<O>>> {
  // The first apiKeyAuth() that verifies a request is remembered against the Web Request, so a
  // route-level one behind an app.use() one only checks its own scopes (core's per-request step).
  const authenticate = createRequestAuthenticator(keyward, options ?? {});
  return async function keywardApiKeyAuth(c, next) {
    const request = c.req.raw;
    const outcome = await authenticate(request, {
      method: request.method,
      url: request.url,
      headers: request.headers,
    });
    if (!outcome.ok) {
      const { status, headers, body } = outcome.response;
      return new Response(body, { status, headers });
    }
    c.set("apiKey", outcome.key as KeyFor<O>);
    await next();
    const missing = Object.entries(outcome.headers).filter(([name]) => !c.res.headers.has(name));
    if (missing.length === 0) return;
    try {
      for (const [name, value] of missing) c.res.headers.set(name, value);
    } catch {
      // A response with immutable headers (e.g. from fetch()): copy it, then add them.
      c.res = new Response(c.res.body, c.res);
      for (const [name, value] of missing) c.res.headers.set(name, value);
    }
  };
}
