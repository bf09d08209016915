/**
 * @keyward/core/http — what a framework adapter author needs: the authenticator, credential
 * parsing, problem+json, the rate-limit and `WWW-Authenticate` headers, the management API,
 * and the option-name checker every adapter factory uses. An adapter maps its request to an
 * `AuthRequest` and the outcome back; it decides nothing (see docs/architecture.md).
 *
 * Explicit named exports only; `test/surface.test.ts` pins the list.
 * @module
 */

export { STATUS_BY_CODE } from "../errors/index.js";
export {
  authenticate,
  type BearerChallenge,
  type BearerError,
  bearerChallenge,
  bearerToken,
  createAuthenticator,
  DEFAULT_HEADER_NAMES,
  DEFAULT_PROBLEM_TYPE_BASE,
  DEFAULT_QUERY_PARAMETER,
  type FoundCredential,
  findCredential,
  mostRestrictive,
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TITLES,
  type ProblemOptions,
  problemBody,
  problemResponse,
  quoteString,
  rateLimitHeaders,
  retryAfterHeader,
  violatedPolicies,
} from "../http/index.js";
export { mergeAuthOptions } from "../http/merge-options.js";
export type {
  OperationLike,
  OperationOptions,
  OperationRequirementLike,
  OperationSource,
} from "../http/operations.js";
export { AUTH_OPTION_NAMES } from "../http/options.js";
export { createRequestAuthenticator, type RequestAuthenticator } from "../http/per-request.js";
export type {
  Authenticator,
  AuthFailure,
  AuthOptions,
  AuthOutcome,
  AuthRequest,
  AuthSuccess,
  HttpResponse,
  RateLimitHeadersFormat,
  RequestHeaders,
} from "../http/types.js";
export {
  type ApiKeyJson,
  createKeysApi,
  type KeysApi,
  type KeysApiAuthOptions,
  type KeysApiDefaults,
  type KeysApiOptions,
  type KeysApiQuery,
  type KeysApiRequest,
  malformedPathResponse,
  type ValidationError,
} from "../management/index.js";
export { KEYS_API_OPTION_NAMES } from "../management/options.js";
export { checkOptionNames } from "../options/check.js";
export {
  apiKeyMetadata,
  describeRoute,
  openApiPath,
  ROUTE_METADATA,
  type RouteAuth,
  type RouteMetadata,
  type RouteTableEntry,
  routeMetadata,
  tagRoute,
} from "../routes/index.js";
export type { ChargeSuccess, RouteCharge } from "../types.js";
export {
  createWebhookVerifier,
  type WebhookAuthOptions,
  type WebhookOutcome,
  type WebhookProvider,
  type WebhookRequest,
  type WebhookVerifier,
} from "../webhooks/index.js";
