/**
 * `createEdgeAuth()`: the authentication step for Next middleware and any fetch-style runtime,
 * with access tokens instead of API keys. It answers with the same HTTP table as the adapters
 * (401 + RFC 6750 `WWW-Authenticate`, 403 `insufficient_scope`, RFC 9457 problem+json), built
 * by the same core response builders, and imports nothing from Node.
 */
import { findCredential } from "../http/credentials.js";
import { resolveAuthOptions } from "../http/options.js";
import {
  failureResponse,
  missingKeyResponse,
  multipleCredentialsResponse,
  type ResponseContext,
} from "../http/responses.js";
import type { HttpResponse, RequestHeaders } from "../http/types.js";
import type { VerifyFailure } from "../types.js";
import type { AccessTokenClaims } from "./claims.js";
import {
  type AccessTokenKey,
  prepareAccessTokenCheck,
  type VerifyAccessTokenOptions,
  verifyAccessToken,
} from "./verify.js";

/** Options of {@link createEdgeAuth}: those of `verifyAccessToken`, plus how failures are answered. */
export interface EdgeAuthOptions extends VerifyAccessTokenOptions {
  /**
   * Let requests without a token through with `key: null` (for pages that also serve
   * anonymous visitors). A token that is present but bad is still rejected.
   * @defaultValue false
   */
  optional?: boolean;
  /** The `realm` of `WWW-Authenticate: Bearer realm="…"`. @defaultValue "api" */
  realm?: string;
  /** Base URI of problem `type` members. @defaultValue "https://keyward.dev/errors/" */
  problemTypeBase?: string;
}

/** The request may proceed; `key` is null only when `optional` let a request without a token through. */
export interface EdgeAuthSuccess {
  ok: true;
  key: AccessTokenKey | null;
  claims: AccessTokenClaims | null;
}

/** The request is refused: return `response` as it is. */
export interface EdgeAuthFailure {
  ok: false;
  response: Response;
  /** Why, in the shape of `verify()` failures (absent for a request with two credentials). */
  failure?: VerifyFailure;
}

export type EdgeAuthOutcome = EdgeAuthSuccess | EdgeAuthFailure;

/** What the edge step reads from a request: a Web `Request`, or just its headers. */
export type EdgeRequest = Request | { headers: RequestHeaders; url?: string };

const OPTION_NAMES = new Set([
  "jwks",
  "key",
  "audience",
  "issuer",
  "clockTolerance",
  "scopes",
  "clock",
  "optional",
  "realm",
  "problemTypeBase",
]);

const toResponse = (response: HttpResponse): Response =>
  new Response(response.body, { status: response.status, headers: response.headers });

/**
 * Creates the edge authentication step. Options are checked once, here (a `TypeError` names a
 * bad one); the returned function never throws and reads only `Authorization: Bearer`.
 *
 * @example
 * // middleware.ts (Next.js)
 * import { createEdgeAuth } from "@keyward/core/edge";
 * const auth = createEdgeAuth({
 *   jwks: new URL("https://api.example.com/auth/.well-known/jwks.json"),
 *   audience: "edge",
 *   scopes: ["task:read"],
 * });
 * export async function middleware(request: Request) {
 *   const outcome = await auth(request);
 *   if (!outcome.ok) return outcome.response;
 *   // outcome.key.id, outcome.key.ownerId, outcome.key.scopes
 * }
 */
export function createEdgeAuth(options: EdgeAuthOptions): (request: EdgeRequest) => Promise<EdgeAuthOutcome> {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("keyward: createEdgeAuth() needs options { jwks | key, audience? }");
  }
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) throw new TypeError(`keyward: unknown createEdgeAuth option "${name}"`);
  }
  const { optional, realm, problemTypeBase, ...verifyOptions } = options;
  const resolved = resolveAuthOptions({
    bearer: true,
    headerNames: [],
    ...(optional === undefined ? {} : { optional }),
    ...(realm === undefined ? {} : { realm }),
    ...(problemTypeBase === undefined ? {} : { problemTypeBase }),
  });
  const { requirement } = prepareAccessTokenCheck(verifyOptions);
  const context: ResponseContext = { options: resolved, requiredScopes: requirement?.scopes ?? [] };
  const detail = "No access token was provided; send it in the Authorization header as a Bearer token.";

  return async (request) => {
    const credential = findCredential(request.headers, request.url ?? "", resolved.sources);
    if (credential.kind === "many")
      return { ok: false, response: toResponse(multipleCredentialsResponse(context)) };
    if (credential.kind === "none") {
      if (resolved.optional) return { ok: true, key: null, claims: null };
      return { ok: false, response: toResponse(missingKeyResponse(context, detail)) };
    }
    const result = await verifyAccessToken(credential.token, verifyOptions);
    if (result.ok) return { ok: true, key: result.key, claims: result.claims };
    return { ok: false, response: toResponse(failureResponse(result, context)), failure: result };
  };
}
