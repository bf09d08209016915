/**
 * `createKeysApi()`: the whole management API as one function from a framework-neutral request
 * to a response. The Express, Fastify and Next adapters only translate requests and copy
 * responses back, so the three answer every request with the same bytes.
 */

import { isKeywardError } from "../errors/index.js";
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from "../errors/retry.js";
import { createAuthenticator } from "../http/authenticate.js";
import type { Authenticator, HttpResponse } from "../http/types.js";
import type { Keyward } from "../types.js";
import { readRequestBody } from "./body.js";
import { NOT_FOUND_DETAIL, OPERATIONS, type OperationContext } from "./handlers.js";
import { openApiDocument } from "./openapi.js";
import { type ResolvedKeysApiOptions, resolveKeysApiOptions } from "./options.js";
import { queryObject } from "./request.js";
import { type Problems, problems as problemBuilders } from "./responses.js";
import { allowHeader, matchRoute, type Operation } from "./routes.js";
import { requestSchemas } from "./schemas/requests.js";
import { tokenRoutes } from "./token.js";
import type { KeysApi, KeysApiOptions, KeysApiRequest } from "./types.js";

/** Retry-After (seconds) on a 503 from the management API. */
const UNAVAILABLE_RETRY_AFTER = String(UNAVAILABLE_RETRY_AFTER_SECONDS);

/** Who is calling: an owner id plus headers to add, or the response that ends the request. */
type CallerOutcome =
  | { ok: true; owner: string; headers: Record<string, string> }
  | { ok: false; response: HttpResponse };

function callerResolver(
  options: ResolvedKeysApiOptions,
  problems: Problems,
): (request: KeysApiRequest, write: boolean) => Promise<CallerOutcome> {
  const { auth, owner } = options;
  if (auth !== null) {
    const { keyward: authKeyward, readScope, writeScope, ...authOptions } = auth;
    const read: Authenticator = createAuthenticator(authKeyward, { ...authOptions, scopes: [readScope] });
    const write: Authenticator = createAuthenticator(authKeyward, { ...authOptions, scopes: [writeScope] });
    return async (request, isWrite) => {
      const search = new URLSearchParams();
      for (const [name, value] of Object.entries(queryObject(request.query))) {
        for (const item of Array.isArray(value) ? value : [value]) search.append(name, item);
      }
      const query = search.size === 0 ? "" : `?${search}`;
      const outcome = await (isWrite ? write : read)({
        method: request.method,
        url: `${request.path}${query}`,
        headers: request.headers ?? {},
      });
      if (!outcome.ok) return outcome;
      const ownerId = outcome.key?.ownerId ?? null;
      if (ownerId === null) {
        const detail = "This API key has no owner, so it cannot manage keys.";
        return { ok: false, response: problems.problem("insufficient_scope", detail) };
      }
      return { ok: true, owner: ownerId, headers: outcome.headers };
    };
  }
  const ownerOf = owner!;
  return async (request) => {
    const ownerId = await ownerOf(request.raw);
    if (typeof ownerId !== "string" || ownerId === "") {
      return { ok: false, response: problems.problem("unauthorized", "Sign in to manage API keys.") };
    }
    return { ok: true, owner: ownerId, headers: {} };
  };
}

function mapError(error: unknown, problems: Problems): HttpResponse {
  if (!isKeywardError(error)) throw error;
  switch (error.code) {
    case "not_found":
      // One detail for every 404, whatever the store said, so nothing distinguishes a missing
      // key from another owner's.
      return problems.problem("not_found", NOT_FOUND_DETAIL);
    case "unavailable":
      return problems.problem("unavailable", error.message, undefined, {
        "Retry-After": UNAVAILABLE_RETRY_AFTER,
      });
    default:
      return problems.problem(error.code, error.message);
  }
}

/**
 * The 400 `invalid_request` problem for a request path whose percent-encoding is broken
 * (`/keys/%ZZ`; RFC 3986 §2.1), as the management API answers it. Exported for frameworks that
 * refuse such URLs before any route runs (Fastify: pass `keysFrameworkErrors` from
 * @keyward/fastify as the server's `frameworkErrors`).
 *
 * @param problemTypeBase - base URI of the problem `type`; the default when omitted
 */
export function malformedPathResponse(problemTypeBase?: string): HttpResponse {
  return problemBuilders(problemTypeBase).problem(
    "invalid_request",
    "The URL path is not valid percent-encoded UTF-8 (RFC 3986 §2.1).",
  );
}

/** Whether every `%` escape of `path` is well formed and the bytes decode as UTF-8. */
function wellEncodedPath(path: string): boolean {
  if (!path.includes("%")) return true;
  try {
    decodeURI(path);
    return true;
  } catch {
    return false;
  }
}

function withHeaders(response: HttpResponse, headers: Record<string, string>): HttpResponse {
  return Object.keys(headers).length === 0
    ? response
    : { ...response, headers: { ...headers, ...response.headers } };
}

/**
 * Creates the management API of a keyward instance: `POST /keys`, `GET /keys`,
 * `GET|PATCH|DELETE /keys/{id}`, `POST /keys/{id}/rotate`, `POST /keys/{id}/revoke` and
 * `GET /openapi.json`. Every operation is confined to the caller's own keys: another owner's
 * key answers 404 exactly like an id that does not exist.
 *
 * The returned function answers every client mistake with a problem+json response; it throws
 * only what it cannot classify (an `owner` callback that throws, a bug), for the framework's
 * error handling.
 *
 * @param keyward - the instance whose keys are managed
 * @param options - who the caller is (`owner` or `auth`) and what callers may do
 * @throws TypeError naming the option, for bad options
 *
 * @example
 * const api = createKeysApi(keyward, {
 *   owner: (req) => (req as MyRequest).session?.orgId ?? null,
 *   allowedScopes: ["project:read", "task:*"],
 *   defaults: { rateLimit: { limit: 100, window: "1m" } },
 *   maxExpiresIn: "365d",
 * });
 * const res = await api({ method: "GET", path: "/keys", query: new URLSearchParams("limit=10"), raw: req });
 */
export function createKeysApi(keyward: Keyward, options: KeysApiOptions): KeysApi {
  const resolved = resolveKeysApiOptions(keyward, options);
  const schemas = requestSchemas({
    editableLimits: resolved.editableLimits,
    maxPageSize: resolved.maxPageSize,
  });
  const problems = problemBuilders(resolved.problemTypeBase);
  const resolveCaller = callerResolver(resolved, problems);
  const authQuery = resolved.auth?.query;
  const credentialParameter =
    authQuery === true ? "api_key" : typeof authQuery === "string" ? authQuery : null;
  let openapi: string | null = null;
  const tokens = tokenRoutes(
    keyward,
    resolved.tokenExchange,
    problems,
    resolved.problemTypeBase,
    resolved.bodyLimit,
  );

  return async (request) => {
    if (!wellEncodedPath(request.path)) return malformedPathResponse(resolved.problemTypeBase);
    const token = tokens?.(request);
    if (token) return token;
    const match = matchRoute(request.path, resolved.openapi !== false);
    if (match === null) return problems.problem("not_found", "No such endpoint.");
    const method = request.method.toUpperCase();
    if (method === "OPTIONS") return { status: 204, headers: { Allow: allowHeader(match) }, body: "" };
    const operation: Operation | undefined = match.methods[method === "HEAD" ? "GET" : method];
    if (operation === undefined) {
      return problems.problem("method_not_allowed", `${method} is not supported here.`, undefined, {
        Allow: allowHeader(match),
      });
    }
    const response = await answer(operation, match.id, request);
    return method === "HEAD" ? { ...response, body: "" } : response;
  };

  async function answer(
    operation: Operation,
    id: string | null,
    request: KeysApiRequest,
  ): Promise<HttpResponse> {
    if (operation === "openapi") {
      openapi ??= JSON.stringify(openApiDocument(schemas, resolved));
      return { status: 200, headers: { "Content-Type": "application/json" }, body: openapi };
    }
    const isWrite = operation !== "listKeys" && operation !== "getKey" && operation !== "listScopes";
    const caller = await resolveCaller(request, isWrite);
    if (!caller.ok) return caller.response;

    const body = await readRequestBody(request, isWrite, resolved.bodyLimit, problems);
    if (!body.ok) return withHeaders(body.response, caller.headers);

    const context: OperationContext = {
      keyward,
      options: resolved,
      schemas,
      problems,
      owner: caller.owner,
      id,
      body: body.value,
      query: queryObject(request.query),
    };
    // The caller's own credential is not a list filter.
    if (credentialParameter !== null) delete context.query[credentialParameter];
    try {
      return withHeaders(await OPERATIONS[operation](context), caller.headers);
    } catch (error) {
      return withHeaders(mapError(error, problems), caller.headers);
    }
  }
}
