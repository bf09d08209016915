/**
 * keyward's authentication step on Web `Request` / `Response`: `withApiKeyAuth()` for Next.js
 * App Router route handlers (Next 15 and 16, where `params` is a Promise), and the generic
 * `createFetchAuth()` it is built on, for any fetch-style server (Hono, Bun, Deno, workers).
 * Every decision (credentials, status codes, headers, bodies) is made by
 * `createAuthenticator()` in @keyward/core, so these answer exactly like every other adapter.
 */
import type { ApiKey, AuthOptions, HttpResponse, Keyward } from "@keyward/core";
import {
  AUTH_OPTION_NAMES,
  apiKeyMetadata,
  checkOptionNames,
  createRequestAuthenticator,
  describeRoute,
  routeMetadata,
  tagRoute,
} from "@keyward/core/http";

/** What {@link createFetchAuth}'s function resolves to. */
export type FetchAuthResult =
  | {
      ok: true;
      /** The verified key; null for `optional` without credentials or a `failOpen` pass. */
      key: ApiKey | null;
      /** Rate-limit headers to add to your response. */
      headers: Record<string, string>;
      /** True when `failOpen` let the request through because the store was unavailable. */
      degraded?: boolean;
      /** The key owner's object from keyward's `resolveOwner`; absent without one. */
      owner?: unknown;
    }
  | {
      ok: false;
      /** The problem+json response to return as is. */
      response: Response;
    };

/** The key type a handler sees: `ApiKey | null` with `optional` or `failOpen`, else `ApiKey`. */
export type KeyFor<O> = O extends { optional: true } | { failOpen: true } | { openapi: object }
  ? ApiKey | null
  : ApiKey;

/** Next's route-handler context: `params` is a Promise (Next 15 and later). */
export interface RouteContext<P = Record<string, string | string[] | undefined>> {
  params: Promise<P>;
}

/** A core response as a Web `Response`, bytes and headers as given. */
export function toWebResponse(response: HttpResponse): Response {
  return new Response(response.body, { status: response.status, headers: response.headers });
}

/**
 * Authentication for any fetch-style server: give it the `Request`, get the verified key and
 * the headers to add, or the `Response` to return.
 *
 * @example
 * // Hono
 * const auth = createFetchAuth(keyward, { scopes: ["task:read"] });
 * app.get("/v1/tasks", async (c) => {
 *   const result = await auth(c.req.raw);
 *   if (!result.ok) return result.response;
 *   return c.json({ owner: result.key?.ownerId }, 200, result.headers);
 * });
 *
 * @example
 * // Bun / Deno
 * Bun.serve({ fetch: async (request) => {
 *   const result = await auth(request);
 *   return result.ok ? Response.json(await listTasks(result.key), { headers: result.headers }) : result.response;
 * } });
 */
export function createFetchAuth<S extends string>(
  keyward: Keyward<S>,
  options: AuthOptions<NoInfer<S>> = {},
): (request: Request) => Promise<FetchAuthResult> {
  checkOptionNames(options, AUTH_OPTION_NAMES, "createFetchAuth()");
  const authenticate = createRequestAuthenticator(keyward, options);
  return async (request) => {
    const outcome = await authenticate(request, {
      method: request.method,
      url: request.url,
      headers: request.headers,
    });
    if (!outcome.ok) return { ok: false, response: toWebResponse(outcome.response) };
    return outcome;
  };
}

/** Adds `headers` a handler's response does not already carry (copying it when its headers are immutable). */
function withHeaders(response: Response, headers: Record<string, string>): Response {
  const missing = Object.entries(headers).filter(([name]) => !response.headers.has(name));
  if (missing.length === 0) return response;
  let target = response;
  try {
    for (const [name, value] of missing) target.headers.set(name, value);
  } catch {
    target = new Response(response.body, response);
    for (const [name, value] of missing) target.headers.set(name, value);
  }
  return target;
}

/**
 * Wraps an App Router route handler: the handler runs only for an authenticated request and
 * receives the key as `context.apiKey` and its owner (from `resolveOwner`) as `context.owner`; its response gets the rate-limit headers merged in
 * (headers it sets itself win). Otherwise the problem+json answer (400/401/403/429/503) is
 * returned without calling it. Options are validated here, once (at module load).
 *
 * Wrapping a wrapped handler nests like a router and a route: the inner one checks its scopes
 * against the key the outer one verified, without a second lookup or charge.
 *
 * @example
 * // app/api/tasks/[id]/route.ts
 * export const GET = withApiKeyAuth(keyward, async (request, { params, apiKey }) => {
 *   const { id } = await params;
 *   return Response.json({ id, owner: apiKey.ownerId });
 * }, { scopes: ["task:read"] });
 */
export function withApiKeyAuth<
  S extends string,
  const O extends AuthOptions<NoInfer<S>> = Record<never, never>,
  C = RouteContext,
  R extends Request = Request,
  W = unknown,
>(
  keyward: Keyward<S, W>,
  handler: (
    request: R,
    context: C & { apiKey: KeyFor<O>; owner: W | undefined },
  ) => Response | Promise<Response>,
  options?: O,
): (request: R, context: Omit<C, "apiKey" | "owner">) => Promise<Response> {
  checkOptionNames(options, AUTH_OPTION_NAMES, "withApiKeyAuth()");
  const auth = createFetchAuth(keyward, options ?? {});
  // The returned handler's context never asks for `apiKey`, even when the handler annotated
  // its own context with it: Next checks exported handlers against its route types.
  const wrapped = async (request: R, context: Omit<C, "apiKey" | "owner">): Promise<Response> => {
    const result = await auth(request);
    if (!result.ok) return result.response;
    const full = {
      ...context,
      apiKey: result.key as KeyFor<O>,
      owner: result.owner as W | undefined,
    } as C & {
      apiKey: KeyFor<O>;
      owner: W | undefined;
    };
    const response = await handler(request, full);
    return withHeaders(response, result.headers);
  };
  // The route table (`routeTable({ appDir })`) reads what the handler requires from its
  // metadata; a wrapped wrapper keeps the inner one's (the route table combines them).
  const inner = routeMetadata(handler);
  const own = apiKeyMetadata(options as AuthOptions | undefined);
  return tagRoute(wrapped, inner?.auth === "apiKey" ? combine(own, inner) : own);
}

/** Router-level then route-level metadata of a wrapped wrapper, as one. */
function combine(outer: ReturnType<typeof apiKeyMetadata>, inner: ReturnType<typeof apiKeyMetadata>) {
  const row = describeRoute("", "", [outer, inner]);
  return {
    auth: "apiKey" as const,
    scopes: row.scopes,
    rateLimit: row.rateLimit,
    optional: row.optional === true,
  };
}
