/**
 * @keyward/core/store — what a store author needs: the store interfaces, the one list of
 * rate-limit algorithm names, and the reference rate-limit and quota math every store mirrors
 * (the memory store calls it directly; SQL and Lua implement the same steps). A store holds no
 * policy: it persists and performs atomic counter operations (see docs/architecture.md).
 *
 * Explicit named exports only; `test/surface.test.ts` pins the list.
 * @module
 */

export { KeywardError } from "../errors/index.js";
export { createHasher, type Hasher, sha256Hex } from "../hash/index.js";
export { checkOptionNames } from "../options/check.js";
export { evaluateQuota, type QuotaState, quotaRefillAt, rollQuota } from "../quota/balance.js";
export { readQuota } from "../quota/read.js";
export {
  evaluateLimit,
  type FixedWindowState,
  fixedWindow,
  LIMIT_ALGORITHMS,
  type LimitAlgorithm,
  type LimitParams,
  type LimitState,
  type SlidingWindowState,
  slidingWindow,
  type TokenBucketState,
  tokenBucket,
} from "../ratelimit/algorithms.js";
export {
  DEFAULT_RATE_LIMIT_ALGORITHM,
  isRateLimitAlgorithm,
  RATE_LIMIT_ALGORITHMS,
  type RateLimitAlgorithm,
} from "../ratelimit/names.js";
export {
  CONSUME_SKEW_ALLOWANCE_MS,
  currentStoreDeadline,
  deadlinePassed,
  storeDeadline,
} from "../store/deadline.js";
export {
  type DeliveryOutcome,
  type DeliveryQuery,
  type DeliveryStatus,
  type LeasedDelivery,
  LIFECYCLE_EVENT_TYPES,
  type LifecycleEventType,
  type OutboxAppend,
  type OutboxDelivery,
  type OutboxEvent,
  type OutboxStats,
  type OutboxStore,
} from "../store/outbox-types.js";
export { StoreSetupError } from "../store/setup-error.js";
export type {
  ConsumeRequest,
  ConsumeResult,
  CounterStore,
  InvalidationBus,
  KeyPatch,
  KeyStore,
  KeywardStore,
  LimitRequest,
  LimitResult,
  ListKeysFilter,
  QuotaRef,
  QuotaRequest,
  QuotaResult,
  StoredKey,
  StoredSecret,
  UsageEntry,
} from "../store/types.js";
export type { QuotaConfig, ResolvedRateLimit } from "../types.js";
