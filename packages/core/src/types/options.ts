/**
 * `createKeyward()` options, and the owner type an app registers (`KeywardRegister`).
 */
import type { EventsOptions, WebhookEndpoint } from "../delivery/types.js";
import type { AccessTokenJwk } from "../edge/signing-keys.js";
import type { KeywardStore } from "../store/types.js";
import type { Duration, ScopePresets } from "./common.js";
import type { NamedRateLimit, RateLimitPolicy } from "./limits.js";
import type { KeywardEvent } from "./verification.js";

// ---------------------------------------------------------------------------------------------
// Options

export interface KeywardOptions<P extends ScopePresets = ScopePresets, O = unknown> {
  store: KeywardStore;
  /** Token prefix: `[a-z][a-z0-9]*` groups joined by "_". @defaultValue "sk" */
  prefix?: string;
  /** HMAC-SHA-256 secret; a list verifies with any and re-hashes to the first. */
  pepper?: string | readonly string[];
  scopes?: P;
  /** Default per-key policy; false for none. @defaultValue false */
  rateLimit?: RateLimitPolicy | readonly NamedRateLimit[] | false;
  /** A limit shared by every key of one owner. @defaultValue false */
  ownerRateLimit?: RateLimitPolicy | false;
  /** Verified-key cache. @defaultValue { ttl: "30s", max: 10_000, negativeTtl: "5s" } */
  cache?: { ttl?: Duration; max?: number; negativeTtl?: Duration } | false;
  /** Deadline for every store call on the request path. @defaultValue "2s" */
  timeout?: Duration;
  /** How often lastUsedAt / usage counts are flushed, and how many keys may be pending before a flush is forced. @defaultValue { interval: "5s", maxBatch: 10_000 } */
  writeBehind?: { interval?: Duration; maxBatch?: number };
  /** Accept credentials that are not in keyward's token format (imported legacy keys). @defaultValue false */
  legacyTokens?: boolean;
  onEvent?: (event: KeywardEvent) => void | Promise<void>;
  clock?: () => number;
  /**
   * Private JWKs that sign edge access tokens (`exchange()`), each with `kid` and `alg`
   * (`"EdDSA"` or `"ES256"`). The first signs; all are published by `jwks()` and verify, so a
   * new key goes first and the previous one stays (its public part is enough) until its tokens
   * have expired. @defaultValue none: `exchange()` throws a TypeError
   */
  signingKeys?: readonly AccessTokenJwk[];
  /** The `iss` claim of access tokens (RFC 7519 §4.1.1). @defaultValue none (no `iss`) */
  issuer?: string;
  /**
   * Looks up the owner a key acts for (an organisation with its plan, say). Called once per
   * cache fill of a key with an `ownerId` and cached with the key (same TTL); dropped
   * everywhere by `keyward.invalidateOwner(id)`. `null` means the owner is no longer active:
   * its keys answer 401 `disabled_key`. A resolver that throws or outlives `timeout` answers
   * 503 `unavailable`, never a pass.
   */
  resolveOwner?: (ownerId: string) => Promise<O | null>;
  /**
   * A role ceiling: what the owner may do now (scopes, wildcards or preset names). A key's
   * effective scopes are its own intersected with these. Needs `resolveOwner`.
   */
  ownerScopes?: (owner: O) => readonly string[];
  /**
   * Endpoints that receive lifecycle events (`key.created`, `key.revoked`, `key.expiring`, …;
   * docs/events.md) as signed Standard Webhooks, at least once, retried with backoff, through the
   * store's durable outbox (the store must keep one: memory, PostgreSQL and Redis do). Each
   * event is delivered by one instance at a time, however many run.
   * @defaultValue none: no events are written to the outbox
   */
  webhooks?: readonly WebhookEndpoint[];
  /**
   * Scheduling and delivery of lifecycle events (reminder leads, quota thresholds, polling).
   * @defaultValue { expiringLeads: ["7d", "1d"], graceEndingLead: "1h", quotaThresholds: [80, 95, 100], poll: "1s", concurrency: 8, retention: "7d", deliver: true }
   */
  events?: EventsOptions;
}

// ---------------------------------------------------------------------------------------------
// Owners

/**
 * Declaration merging point for app-wide types the adapters cannot infer: augment it with
 * `owner` to type `req.apiKeyOwner` (Express) and `request.apiKeyOwner` (Fastify).
 *
 * @example
 * declare module "@keyward/core" {
 *   interface KeywardRegister { owner: Organization }
 * }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by declaration merging
export interface KeywardRegister {}

/** The owner type registered in {@link KeywardRegister}, else `unknown`. */
export type RegisteredOwner = KeywardRegister extends { owner: infer O } ? O : unknown;
