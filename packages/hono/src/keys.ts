/**
 * `keysRoutes()`: the management API as a Hono sub-app. It only translates: the request into a
 * `KeysApiRequest`, the core's `HttpResponse` into a `Response`. Every decision (routes,
 * validation, isolation, status codes) is made by `createKeysApi()` in @keyward/core.
 */
import { createKeysApi, type KeysApiOptions, type Keyward, problemBody } from "@keyward/core";
import { type Context, type Env, Hono } from "hono";
import { bodyLimit as limitBody } from "hono/body-limit";

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
  /**
   * Largest request body accepted, in bytes; a larger one is answered 413 with
   * `application/problem+json` before it is read in full.
   * @defaultValue 102400
   */
  bodyLimit?: number;
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
 * @throws TypeError when `bodyLimit` is not a positive integer (and for any option
 *   `createKeysApi()` refuses).
 */
export function keysRoutes<E extends Env = Env>(keyward: Keyward, options: KeysRoutesOptions<E>): Hono<E> {
  const { bodyLimit = 102_400, ...apiOptions } = options;
  if (!Number.isSafeInteger(bodyLimit) || bodyLimit <= 0) {
    throw new TypeError('keyward: option "bodyLimit" of keysRoutes() must be a positive integer (bytes)');
  }
  const api = createKeysApi(keyward, apiOptions as KeysApiOptions);
  const app = new Hono<E>();
  app.use(
    limitBody({
      maxSize: bodyLimit,
      onError: () => {
        const body = problemBody("invalid_request", `The request body is larger than ${bodyLimit} bytes.`);
        body.title = "Content Too Large";
        body.status = 413;
        return new Response(JSON.stringify(body), {
          status: 413,
          headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store" },
        });
      },
    }),
  );
  app.all("/*", async (c) => {
    const request = c.req.raw;
    const url = new URL(request.url);
    // The path under the mount point: routePath is "<mount>/*".
    const mount = c.req.routePath.replace(/\/?\*$/, "");
    const hasBody = request.method !== "GET" && request.method !== "HEAD";
    const response = await api({
      method: request.method,
      path: c.req.path.slice(mount.length),
      query: url.searchParams,
      headers: request.headers,
      ...(hasBody ? { rawBody: await c.req.text() } : {}),
      raw: c,
    });
    const empty = response.body === "" || response.status === 204 || response.status === 304;
    return new Response(empty ? null : response.body, { status: response.status, headers: response.headers });
  });
  return app;
}
