/**
 * The framework-neutral HTTP step: credentials, `WWW-Authenticate`, problem+json, rate-limit
 * headers. Adapters call `createAuthenticator()` and copy the outcome.
 * @module
 */
export { authenticate, createAuthenticator } from "./authenticate.js";
export { bearerToken, type FoundCredential, findCredential } from "./credentials.js";
export { mergeAuthOptions } from "./merge-options.js";
export type {
  OperationLike,
  OperationOptions,
  OperationRequirementLike,
  OperationSource,
} from "./operations.js";
export { DEFAULT_HEADER_NAMES, DEFAULT_QUERY_PARAMETER } from "./options.js";
export * from "./problem.js";
export {
  mostRestrictive,
  rateLimitHeaders,
  retryAfterHeader,
  violatedPolicies,
} from "./ratelimit-headers.js";
export type { AuthRejection, OnReject } from "./reject.js";
export type * from "./types.js";
export { type BearerChallenge, type BearerError, bearerChallenge, quoteString } from "./www-authenticate.js";
