/**
 * Public types of @keyward/core. Implementation modules import from here; nothing in this
 * file has runtime behaviour.
 */
export type { Duration, ScopeName, ScopePresets, ScopeRequirement } from "./types/common.js";
export type {
  ApiKey,
  CreateKeyInput,
  ImportKeyInput,
  KeyPage,
  ListKeysQuery,
  UpdateKeyInput,
} from "./types/keys.js";
export type {
  ChargeSuccess,
  ExchangeOptions,
  ExchangeResult,
  Keyward,
  RotateOptions,
  RouteCharge,
  RouteVerifier,
} from "./types/keyward.js";
export type {
  NamedRateLimit,
  QuotaConfig,
  QuotaInput,
  QuotaView,
  RateLimitAlgorithm,
  RateLimitInput,
  RateLimitPolicy,
  RateLimitState,
  ResolvedRateLimit,
  RoutePolicy,
} from "./types/limits.js";
export type { KeywardOptions, KeywardRegister, RegisteredOwner } from "./types/options.js";
export type {
  KeywardEvent,
  KeywardEventType,
  VerifyFailure,
  VerifyOptions,
  VerifyResult,
  VerifySuccess,
} from "./types/verification.js";
