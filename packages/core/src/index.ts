/**
 * @keyward/core — API-key authentication for Node services: what an app developer uses.
 *
 * Explicit named exports only: every name here is a public promise, and
 * `test/surface.test.ts` fails when one is added or removed. Other audiences have their own
 * entry: `@keyward/core/http` (adapter authors), `@keyward/core/store` (store authors),
 * `@keyward/core/testing` (the suites every store and adapter runs).
 * @module
 */

export type {
  DeliveryListQuery,
  EventDeliveries,
  EventsOptions,
  KeywardHealth,
  OutboxHealth,
  WebhookEndpoint,
  WebhookRetry,
} from "./delivery/types.js";
export { formatDuration, parseDuration } from "./duration/index.js";
export {
  isKeywardError,
  KeywardError,
  type KeywardErrorCode,
  type VerifyFailureCode,
} from "./errors/index.js";
export { authenticate, createAuthenticator } from "./http/authenticate.js";
export type { AuthRejection, OnReject } from "./http/reject.js";
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
} from "./http/types.js";
export {
  type ApiKeyJson,
  createKeysApi,
  type KeysApi,
  type KeysApiAuthOptions,
  type KeysApiDefaults,
  type KeysApiOptions,
  type KeysApiQuery,
  type KeysApiRequest,
  type ScopeCatalogueEntry,
  type ValidationError,
} from "./management/index.js";
export type { RouteTableEntry } from "./routes/index.js";
export { createScopes, isScope, type ScopeEngine, satisfiesScope } from "./scopes/index.js";
export { ExchangeError } from "./service/exchange.js";
export { createKeyward, createVerifier } from "./service/index.js";
export { type ComposeStoresOptions, composeStores, StoreSetupError } from "./store/index.js";
export { type MemoryStoreOptions, memoryStore } from "./store/memory/index.js";
export {
  type DeliveryStatus,
  LIFECYCLE_EVENT_TYPES,
  type LifecycleEventType,
  type OutboxDelivery,
  type OutboxEvent,
  type OutboxStats,
} from "./store/outbox-types.js";
export type { KeywardStore } from "./store/types.js";
export { generateToken } from "./token/generate.js";
export { isKeywardToken, type ParsedToken, parseToken, tokenStart } from "./token/parse.js";
export { TOKEN_PATTERN, tokenPattern } from "./token/pattern.js";
export type {
  ApiKey,
  CreateKeyInput,
  Duration,
  ExchangeOptions,
  ExchangeResult,
  ImportKeyInput,
  KeyPage,
  Keyward,
  KeywardEvent,
  KeywardEventType,
  KeywardOptions,
  KeywardRegister,
  ListKeysQuery,
  NamedRateLimit,
  QuotaConfig,
  QuotaInput,
  QuotaView,
  RateLimitAlgorithm,
  RateLimitInput,
  RateLimitPolicy,
  RateLimitState,
  RegisteredOwner,
  ResolvedRateLimit,
  RotateOptions,
  RoutePolicy,
  RouteVerifier,
  ScopeName,
  ScopePresets,
  ScopeRequirement,
  UpdateKeyInput,
  VerifyFailure,
  VerifyOptions,
  VerifyResult,
  VerifySuccess,
} from "./types.js";
export type { WebhookAuthOptions, WebhookProvider } from "./webhooks/index.js";
