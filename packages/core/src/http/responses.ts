/**
 * From a verification failure to the exact HTTP response: status, `WWW-Authenticate`,
 * rate-limit headers, `Retry-After`, problem+json body. The one place that decides them.
 */

import type { VerifyFailureCode } from "../errors/index.js";
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from "../errors/retry.js";
import type { RateLimitState, VerifyFailure } from "../types.js";
import type { ResolvedAuthOptions } from "./options.js";
import { problemResponse } from "./problem.js";
import { draft10Writer, rateLimitHeaders, violatedPolicies } from "./ratelimit-headers.js";
import type { HttpResponse } from "./types.js";
import { type BearerError, bearerChallenge } from "./www-authenticate.js";

/** `Retry-After` on 503 when the verifier names no delay, in seconds. */
const UNAVAILABLE_RETRY_AFTER = UNAVAILABLE_RETRY_AFTER_SECONDS;

/** The RFC 6750 error and description each challenge-carrying code sends. */
const CHALLENGES: Partial<Record<VerifyFailureCode, { error: BearerError; description: string }>> = {
  invalid_key: { error: "invalid_token", description: "The API key is not valid" },
  expired_key: { error: "invalid_token", description: "The API key has expired" },
  revoked_key: { error: "invalid_token", description: "The API key has been revoked" },
  disabled_key: { error: "invalid_token", description: "The API key is disabled" },
  insufficient_scope: { error: "insufficient_scope", description: "The API key lacks a required scope" },
};

/** The challenge of a `disabled_key` whose owner resolved to null. */
const OWNER_INACTIVE = {
  error: "invalid_token",
  description: "The key's owner is no longer active",
} as const;

/** What a route's failure responses depend on, fixed at construction. */
export interface ResponseContext {
  options: ResolvedAuthOptions;
  /** Scopes named in `scope="…"` on 403 (the route's requirement, presets expanded). */
  requiredScopes: readonly string[];
}

/** Whole seconds, at least 1: a `Retry-After` of 0 on a rejection only invites a retry storm. */
function seconds(value: number): string {
  return String(Math.max(1, Math.ceil(value)));
}

/** Rate-limit headers for `states` in the route's format (none for an empty list). */
export function limitHeaders(
  states: readonly RateLimitState[] | undefined,
  options: ResolvedAuthOptions,
): Record<string, string> {
  if (!states || states.length === 0 || options.headersFormat === false) return {};
  return rateLimitHeaders(states, options.headersFormat);
}

/**
 * {@link limitHeaders} for one route: in the default draft-10 syntax the `RateLimit-Policy`
 * value is written once per set of policies, not per request (see `draft10Writer`).
 */
export function limitHeaderWriter(
  options: ResolvedAuthOptions,
): (states: readonly RateLimitState[] | undefined) => Record<string, string> {
  if (options.headersFormat !== "draft-10") return (states) => limitHeaders(states, options);
  const write = draft10Writer();
  return (states) => (!states || states.length === 0 ? {} : write(states));
}

/** 401 `missing_key`: a challenge without an error attribute (RFC 6750 §3.1). */
export function missingKeyResponse(context: ResponseContext, detail: string): HttpResponse {
  const { realm, problem } = context.options;
  return problemResponse(
    "missing_key",
    detail,
    undefined,
    { "WWW-Authenticate": bearerChallenge(realm) },
    problem,
  );
}

/** The problem `detail` of a request with more than one credential. */
export const MULTIPLE_DETAIL =
  "The request carries more than one credential; send the API key in exactly one place.";

/** 400 `invalid_request`: more than one credential in one request (RFC 6750 §2). */
export function multipleCredentialsResponse(context: ResponseContext): HttpResponse {
  const { realm, problem } = context.options;
  const description = "Send exactly one API key per request";
  const challenge = bearerChallenge(realm, { error: "invalid_request", description });
  return problemResponse(
    "invalid_request",
    MULTIPLE_DETAIL,
    undefined,
    { "WWW-Authenticate": challenge },
    problem,
  );
}

/** The response for a failed verification. */
export function failureResponse(result: VerifyFailure, context: ResponseContext): HttpResponse {
  const { options } = context;
  const headers: Record<string, string> = {};
  let extra: Record<string, unknown> | undefined;
  const challenge = result.reason === "owner_inactive" ? OWNER_INACTIVE : CHALLENGES[result.code];
  if (result.code === "missing_key") {
    headers["WWW-Authenticate"] = bearerChallenge(options.realm);
  } else if (challenge) {
    const scope = result.code === "insufficient_scope" ? context.requiredScopes : undefined;
    headers["WWW-Authenticate"] = bearerChallenge(options.realm, { ...challenge, scope });
    if (scope && scope.length > 0) extra = { scope: scope.join(" ") };
  }
  Object.assign(headers, limitHeaders(result.rateLimit, options));
  if (result.code === "rate_limited") {
    extra = { "violated-policies": violatedPolicies(result.rateLimit ?? []) };
  }
  if (result.code === "rate_limited" || result.code === "usage_exceeded") {
    if (result.retryAfter !== undefined) headers["Retry-After"] = seconds(result.retryAfter);
  } else if (result.code === "unavailable") {
    headers["Retry-After"] = seconds(result.retryAfter ?? UNAVAILABLE_RETRY_AFTER);
  }
  return problemResponse(result.code, result.message, extra, headers, options.problem);
}
