/**
 * `keysHandlers()`: the management API as App Router route handlers (Web `Request` in, Web
 * `Response` out), so it also serves Hono, Bun and Deno. It only translates; every decision is
 * made by `createKeysApi()` in @keyward/core.
 */
import { createKeysApi, type KeysApiOptions, type Keyward } from "@keyward/core";
import { checkOptionNames, KEYS_API_OPTION_NAMES } from "@keyward/core/http";

/** Options of {@link keysHandlers}: those of `createKeysApi()`, with `owner` typed for Web requests. */
export interface KeysHandlersOptions extends Omit<KeysApiOptions, "owner"> {
  /**
   * Who is calling: the owner id whose keys this request may manage, or null when the caller
   * is not signed in (401).
   *
   * @example
   * owner: async (request) => (await auth())?.user.orgId ?? null
   */
  owner?: (request: Request) => string | null | undefined | Promise<string | null | undefined>;
  /**
   * The path the catch-all route is mounted at, as it appears in `request.url` (include
   * Next's own `basePath` if you configured one): `"/api"` for `app/api/[...keyward]/route.ts`.
   * @defaultValue "/api"
   */
  basePath?: string;
}

/** A route handler; the second argument (Next's route context) is not needed. */
export type KeysRouteHandler = (request: Request) => Promise<Response>;

/** What {@link keysHandlers} returns: one handler per method, to re-export from `route.ts`. */
export interface KeysHandlers {
  GET: KeysRouteHandler;
  HEAD: KeysRouteHandler;
  POST: KeysRouteHandler;
  PUT: KeysRouteHandler;
  PATCH: KeysRouteHandler;
  DELETE: KeysRouteHandler;
  OPTIONS: KeysRouteHandler;
}

/**
 * The management API (`/keys`, `/keys/:id`, `/keys/:id/rotate`, `/keys/:id/revoke`,
 * `/openapi.json`) for a Next.js App Router catch-all route.
 *
 * @example
 * // app/api/[...keyward]/route.ts
 * export const { GET, POST, PATCH, DELETE } = keysHandlers(keyward, {
 *   basePath: "/api",
 *   owner: async () => (await auth())?.user.orgId ?? null,
 * });
 */
export function keysHandlers(keyward: Keyward, options: KeysHandlersOptions): KeysHandlers {
  checkOptionNames(options, [...KEYS_API_OPTION_NAMES, "basePath"], "keysHandlers()");
  const { basePath = "/api", ...apiOptions } = options;
  if (
    typeof basePath !== "string" ||
    (basePath !== "" && (!basePath.startsWith("/") || basePath.endsWith("/")))
  ) {
    throw new TypeError(
      'keyward: option "basePath" of keysHandlers() must be "" or a path like "/api" (no trailing slash)',
    );
  }
  const api = createKeysApi(keyward, apiOptions as KeysApiOptions);

  const handler: KeysRouteHandler = async (request) => {
    const url = new URL(request.url);
    const mounted = url.pathname === basePath || url.pathname.startsWith(`${basePath}/`);
    const response = await api({
      method: request.method,
      // Outside the mount point nothing matches: core answers 404 like for any unknown path.
      path: mounted ? url.pathname.slice(basePath.length) : "",
      query: url.searchParams,
      headers: request.headers,
      // Core reads the stream itself, counting bytes against `bodyLimit` (it cancels the
      // stream past the limit): a huge body is refused, never buffered.
      ...(request.body === null ? {} : { stream: request.body }),
      raw: request,
    });
    const empty = response.body === "" || response.status === 204 || response.status === 304;
    return new Response(empty ? null : response.body, { status: response.status, headers: response.headers });
  };
  return {
    GET: handler,
    HEAD: handler,
    POST: handler,
    PUT: handler,
    PATCH: handler,
    DELETE: handler,
    OPTIONS: handler,
  };
}
