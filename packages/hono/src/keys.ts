/**
 * `keysRoutes()`: the management API as a Hono sub-app. It only translates: the request into a
 * `KeysApiRequest`, the core's `HttpResponse` into a `Response`. Every decision (routes,
 * validation, isolation, status codes) is made by `createKeysApi()` in @keyward/core.
 */
import { createKeysApi, type KeysApiOptions, type Keyward } from "@keyward/core";
import { type Context, type Env, Hono } from "hono";

/** Options of {@link keysRoutes}: those of `createKeysApi()`, with `owner` typed for Hono. */
export interface KeysRoutesOptions<E extends Env = Env> extends Omit<KeysApiOptions, "owner"> {
  /**
   * Who is calling: the owner id whose keys this request may manage, or null when the caller
   * is not signed in (401).
   *
   * @example
   * owner: (c) => c.get("session")?.orgId ?? null
   */
  owner?: (c: Context<E>) => string | null | undefined | Promise<string | null | undefined>;
}

/**
 * The management API (`/keys`, `/keys/:id`, `/keys/:id/rotate`, `/keys/:id/revoke`,
 * `/openapi.json`) as a Hono app: mount it with `app.route(prefix, keysRoutes(...))`.
 *
 * @example
 * app.route("/api", keysRoutes(keyward, {
 *   owner: (c) => c.get("session")?.orgId ?? null,
 *   allowedScopes: ["project:read", "task:*"],
 * }));
 * // POST /api/keys, GET /api/keys, GET /api/openapi.json, …
 *
 * The body is read by core (`bodyLimit`, default 100 KiB: 413 `payload_too_large` before a
 * larger body is buffered; 415 for other media types or encodings), as on every adapter.
 *
 * @throws TypeError for any option `createKeysApi()` refuses.
 */
export function keysRoutes<E extends Env = Env>(keyward: Keyward, options: KeysRoutesOptions<E>): Hono<E> {
  const api = createKeysApi(keyward, options as KeysApiOptions);
  const app = new Hono<E>();
  app.all("/*", async (c) => {
    const request = c.req.raw;
    const url = new URL(request.url);
    // The path under the mount point: routePath is "<mount>/*".
    const mount = c.req.routePath.replace(/\/?\*$/, "");
    const response = await api({
      method: request.method,
      path: c.req.path.slice(mount.length),
      query: url.searchParams,
      headers: request.headers,
      // Core reads the stream itself, counting bytes against `bodyLimit`: never buffered whole.
      ...(request.body === null ? {} : { stream: request.body }),
      raw: c,
    });
    const empty = response.body === "" || response.status === 204 || response.status === 304;
    return new Response(empty ? null : response.body, { status: response.status, headers: response.headers });
  });
  return app;
}
