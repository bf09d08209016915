/**
 * Public types of @keyward/core. Implementation modules import from here; nothing in this
 * file has runtime behaviour.
 */
import type { EventDeliveries, EventsOptions, KeywardHealth, WebhookEndpoint } from "./delivery/types.js";
import type { AccessTokenJwk, PublicJwks } from "./edge/signing-keys.js";
import type { VerifyFailureCode } from "./errors/index.js";
import type { RateLimitAlgorithm } from "./ratelimit/names.js";
import type { ScopeEngine } from "./scopes/engine.js";
import type { KeywardStore } from "./store/types.js";

/** `"500ms" | "30s" | "15m" | "24h" | "90d"` or a number of milliseconds. */
export type Duration = number | `${number}${"ms" | "s" | "m" | "h" | "d"}`;

// ---------------------------------------------------------------------------------------------
// Scopes

/** Scope presets: a name grants a set of scopes. Pass `as const` to get names checked. */
export type ScopePresets = Readonly<Record<string, readonly string[]>>;

/**
 * The scope names a keyward instance accepts: its preset names, the scopes those presets
 * list, wildcards, and (when no presets are typed) any string.
 */
export type ScopeName<P extends ScopePresets> = string extends keyof P
  ? string
  : (keyof P & string) | P[keyof P][number] | "*" | `${string}:*`;

/**
 * What a route or a `verify()` call requires:
 * - a list: every scope in it (all-of);
 * - `{ anyOf: [...] }`: at least one of them;
 * - a query string: `"task:write AND (project:read OR admin:*)"` (AND binds tighter than OR).
 */
export type ScopeRequirement<S extends string = string> =
  | readonly S[]
  | { readonly anyOf: readonly S[] }
  | string;

// ---------------------------------------------------------------------------------------------
// Rate limits and quotas

/** The name of a rate-limit algorithm; derived from the one list, `RATE_LIMIT_ALGORITHMS`. */
export type { RateLimitAlgorithm } from "./ratelimit/names.js";

/** `{ limit, window, algorithm? }`: at most `limit` units per `window`. */
export interface RateLimitPolicy {
  limit: number;
  window: Duration;
  /** @defaultValue "sliding-window" */
  algorithm?: RateLimitAlgorithm;
}

/** One of several limits on a key, addressed by name from routes. */
export interface NamedRateLimit extends RateLimitPolicy {
  name: string;
  /** Consumed by every call that names no limits, like "default". @defaultValue false */
  autoApply?: boolean;
}

/**
 * A limit a route or router declares itself, in its `rateLimit` list beside the names of key
 * limits: counted per key (or, with `per: "owner"`, shared by every key of the key's owner) for
 * the requests through that route. Its counter is its own, apart from any key limit's.
 */
export interface RoutePolicy extends RateLimitPolicy {
  name: string;
  /** Who shares the counter; a key without an owner counts alone. @defaultValue "key" */
  per?: "key" | "owner";
}

/** A key's rate limit as given to `create`/`update`: one policy (named "default"), a list, or null for none. */
export type RateLimitInput = RateLimitPolicy | readonly NamedRateLimit[] | null;

/** A limit as stored and shown: window in milliseconds, every field filled in. */
export interface ResolvedRateLimit {
  name: string;
  limit: number;
  /** Window length in milliseconds. */
  window: number;
  algorithm: RateLimitAlgorithm;
  autoApply: boolean;
}

/** A usage-credit balance, optionally refilled (replaced) every `interval`. */
export interface QuotaInput {
  limit: number;
  refill?: { interval: Duration; amount?: number } | null;
  /** Starting balance; defaults to `limit`. */
  remaining?: number;
}

/** A quota as stored: the configuration only; the balance lives in the counter store. */
export interface QuotaConfig {
  limit: number;
  /** Refill: every `interval` ms the balance is set to `amount`. */
  refill: { interval: number; amount: number } | null;
}

/** A quota as shown on a key. */
export interface QuotaView extends QuotaConfig {
  remaining: number;
  /** When the next refill happens, or null without refill. */
  refillAt: Date | null;
}

/** The state of one consumed limit after a verification (what the RateLimit header reports). */
export interface RateLimitState {
  name: string;
  limit: number;
  remaining: number;
  /** Window length in seconds (for `w=`). */
  window: number;
  /** Seconds until the quota of this limit is fully restored (for `t=`), rounded up. */
  reset: number;
  /** True when this limit rejected the call. */
  exceeded: boolean;
}

// ---------------------------------------------------------------------------------------------
// Keys

/**
 * A key as handlers, lists and events see it. It never carries the token or its hash.
 */
export interface ApiKey {
  id: string;
  name: string | null;
  ownerId: string | null;
  /** The token prefix, e.g. "sk_live". */
  prefix: string;
  /** The first characters of the token, for display ("sk_live_3xF9"). */
  start: string;
  /**
   * The last four characters of the token (part of its checksum, never of its random part), for
   * a preview like `sk_live_3xF9…a1B2`; "" for a key imported by its hash.
   */
  last4: string;
  scopes: string[];
  metadata: Record<string, unknown>;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  /** Successful verifications counted so far (written behind, so it may lag a few seconds). */
  usageCount: number;
  /** The key's own limits; null means the keyward-wide default applies, [] means none. */
  rateLimit: ResolvedRateLimit[] | null;
  quota: QuotaView | null;
  /** Client addresses (IPv4/IPv6 addresses or CIDR ranges) the key may be used from; null: any. */
  allowedIps: string[] | null;
}

export interface CreateKeyInput<S extends string = string> {
  name?: string | null;
  ownerId?: string | null;
  scopes?: readonly S[];
  /** Relative expiry. Mutually exclusive with `expiresAt`. */
  expiresIn?: Duration;
  expiresAt?: Date | null;
  metadata?: Record<string, unknown>;
  enabled?: boolean;
  /** Omitted: the default policy applies. null: no limit. */
  rateLimit?: RateLimitInput;
  quota?: QuotaInput | null;
  /**
   * IPv4/IPv6 addresses or CIDR ranges (`"203.0.113.0/24"`, `"2001:db8::/32"`) the key may be
   * used from; null or [] for any address. @defaultValue null
   */
  allowedIps?: readonly string[] | null;
  /**
   * Where the key is created from, reported as `data.source` of its `key.created` webhook event.
   * The management API sets `"management_api"`, the CLI `"cli"`. @defaultValue "api"
   */
  source?: "api" | "management_api" | "cli";
}

export interface UpdateKeyInput<S extends string = string> {
  name?: string | null;
  enabled?: boolean;
  scopes?: readonly S[];
  metadata?: Record<string, unknown>;
  expiresAt?: Date | null;
  /** null: no limit; "default": back to the keyward-wide default. */
  rateLimit?: RateLimitInput | "default";
  /** Setting a quota resets its balance to `remaining ?? limit`. null removes it. */
  quota?: QuotaInput | null;
  /** Replaces the allowlist; null or [] lifts it. */
  allowedIps?: readonly string[] | null;
}

/** An existing key brought in without re-issuing it. */
export type ImportKeyInput<S extends string = string> = Omit<CreateKeyInput<S>, "expiresIn" | "source"> &
  ({ token: string; sha256?: never } | { sha256: string; token?: never });

export interface ListKeysQuery<S extends string = string> {
  ownerId?: string;
  /** Keys whose stored scopes include this exact name. */
  scope?: S;
  enabled?: boolean;
  /** @defaultValue 50 (max 1000) */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | null;
}

export interface KeyPage {
  items: ApiKey[];
  nextCursor: string | null;
}

// ---------------------------------------------------------------------------------------------
// Verification

export interface VerifyOptions<S extends string = string> {
  scopes?: ScopeRequirement<S>;
  /**
   * What this call consumes. Omitted: the key's "default" and every autoApply limit. A list:
   * exactly the key limits it names (strings) and the route policies it declares (objects).
   * false: none of the key's limits.
   */
  rateLimit?: readonly (string | RoutePolicy)[] | false;
  /** Units consumed from each limit and from the quota. @defaultValue 1 */
  cost?: number;
  /**
   * The caller's address (IPv4, IPv6 or IPv4-mapped IPv6). A key with `allowedIps` is refused
   * with `ip_not_allowed` when it is missing or outside the list.
   */
  ip?: string;
}

export interface VerifySuccess<O = unknown> {
  ok: true;
  key: ApiKey;
  /** Every limit this call consumed, in order (owner limit last). */
  rateLimit: RateLimitState[];
  /** What `resolveOwner` answered for the key's owner (cached with the key); absent without an owner or a resolver. */
  owner?: O;
}

export interface VerifyFailure {
  ok: false;
  code: VerifyFailureCode;
  status: number;
  /** Human-readable, safe to show to the caller (never contains the token). */
  message: string;
  /** Seconds until a retry can succeed (rate_limited, usage_exceeded with refill, unavailable). */
  retryAfter?: number;
  /** The key, when it was found (scope, limit and quota failures). */
  key?: ApiKey;
  /** Limit states on rate_limited (and on usage_exceeded, for the headers). */
  rateLimit?: RateLimitState[];
  /** Why, when the code alone does not say: `owner_inactive` on a `disabled_key` whose owner resolved to null. */
  reason?: "owner_inactive";
}

export type VerifyResult<O = unknown> = VerifySuccess<O> | VerifyFailure;

// ---------------------------------------------------------------------------------------------
// Events

interface EventBase {
  at: Date;
  keyId: string | null;
  ownerId: string | null;
}

export type KeywardEvent =
  | (EventBase & { type: "key.created"; key: ApiKey })
  | (EventBase & { type: "key.imported"; key: ApiKey })
  | (EventBase & { type: "key.updated"; key: ApiKey; changes: string[] })
  | (EventBase & { type: "key.rotated"; key: ApiKey; previousExpiresAt: Date | null })
  | (EventBase & { type: "key.revoked"; key: ApiKey })
  | (EventBase & { type: "key.deleted" })
  | (EventBase & { type: "key.rejected"; code: VerifyFailureCode });

export type KeywardEventType = KeywardEvent["type"];

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

// ---------------------------------------------------------------------------------------------
// The service

/** Options of `keyward.exchange()`. */
export interface ExchangeOptions<S extends string = string> {
  /**
   * The scopes the access token carries; the key must hold every one of them (presets are
   * expanded). Omitted: every scope the key holds, presets expanded.
   */
  scopes?: readonly S[];
  /** Lifetime of the token, at most "24h"; never past the key's own expiry. @defaultValue "5m" */
  ttl?: Duration;
  /** The `aud` claim (RFC 7519 §4.1.3): the service the token is for. @defaultValue none */
  audience?: string;
}

/** What `keyward.exchange()` returns (the shape of an OAuth token response, RFC 6749 §5.1). */
export interface ExchangeResult {
  /** The signed JWT (`typ: "at+jwt"`). */
  accessToken: string;
  tokenType: "Bearer";
  /** Seconds until it expires. */
  expiresIn: number;
  /** The scopes it carries, presets expanded. */
  scopes: string[];
  /** The limits the exchange consumed (it is charged like one verification). */
  rateLimit: RateLimitState[];
}

export interface RotateOptions {
  /** How long the old token keeps working. @defaultValue 0 (it stops at once) */
  gracePeriod?: Duration;
}

/** A nested route's extra consumption passed: the states of the limits it consumed. */
export interface ChargeSuccess {
  ok: true;
  rateLimit: RateLimitState[];
}

/**
 * What one route consumes, for a key verified by an outer check earlier in the same request (a
 * route nested in a protected router): only the limits the route lists, in one atomic store call.
 */
export interface RouteCharge {
  /** True when the route lists limits of its own (`rateLimit: [...]`). */
  readonly lists: boolean;
  /** Every counter a full verification with this route's options consumes for `key`. */
  counters(key: ApiKey): Set<string>;
  /**
   * Consumes the route's listed limits for `key`, except the counters in `skip`. Never throws:
   * a store failure is `unavailable`.
   */
  charge(key: ApiKey, skip: ReadonlySet<string>): Promise<ChargeSuccess | VerifyFailure>;
}

/**
 * The verifier of one route, from `keyward.verifier(options)` or `createVerifier()`: options
 * checked and the scope requirement compiled once. Called per request; never throws (failures
 * are `{ ok: false, code, … }`).
 */
export interface RouteVerifier<O = unknown> {
  (token: string | null | undefined, ip?: string): Promise<VerifyResult<O>>;
  /** For adapters: what this route consumes for a key an outer check already verified. */
  readonly charge: RouteCharge;
}

/**
 * What `createKeyward()` returns. `S` is the accepted scope names (typed presets).
 * update/revoke/rotate/delete throw `KeywardError("not_found")` for an unknown id;
 * `get` answers null.
 */
export interface Keyward<S extends string = string, O = unknown> {
  /** The token prefix of this instance (`sk` unless configured), without the `_` separator. */
  readonly prefix: string;
  /** The store given to `createKeyward()`. */
  readonly store: KeywardStore;
  /** The scope presets, flattened: preset name → every scope it grants (nested presets followed). */
  readonly presets: ReadonlyMap<string, readonly string[]>;
  /**
   * This instance's scope engine (its presets): compiles a requirement, expands presets. The
   * HTTP layer uses it to name a route's scopes in `WWW-Authenticate` (RFC 6750 §3).
   */
  readonly scopes: ScopeEngine<S>;
  /**
   * The role ceiling (`ownerScopes`) as the management API applies it: what keys of `ownerId`
   * may be granted now, presets expanded, or `null` for an inactive owner. The member itself is
   * `null` when no `ownerScopes` is configured.
   * @throws KeywardError `unavailable` when `resolveOwner` or `ownerScopes` fails or exceeds `timeout` (ms)
   */
  readonly ownerCeiling: ((ownerId: string) => Promise<ReadonlySet<string> | null>) | null;
  /**
   * A verifier for one route: `options` are checked and the scope requirement compiled once,
   * here, so a malformed query fails at startup instead of on the first request. Adapters call
   * it once per route; `createVerifier(keyward, options)` is the same.
   * @throws TypeError for bad options (as `verify`), or option `ip` (given per call instead)
   */
  verifier(options?: VerifyOptions<S>): RouteVerifier<O>;
  /**
   * Issues a key. The token is returned here and never again; only its hash is stored.
   * Durations (`expiresIn`, limit windows, quota refill) are `"30s"`-style strings or ms.
   * @throws KeywardError `invalid_request` for a malformed input (message names the field);
   *   `unavailable` when the store fails or exceeds `timeout` (ms)
   */
  create(input?: CreateKeyInput<S>): Promise<{ token: string; key: ApiKey }>;
  /**
   * Brings in a key issued elsewhere, from its token or its SHA-256 (hex); no token is returned.
   * @throws KeywardError `invalid_request` for a malformed input or both/neither of token and
   *   sha256; `conflict` when the id or hash exists; `unavailable` on store failure/timeout
   */
  import(input: ImportKeyInput<S>): Promise<ApiKey>;
  /**
   * Checks a presented token: format and checksum, hash lookup (cached for `cache.ttl` ms),
   * state, scopes, then rate limits and quota (`cost` units each). Never throws for a bad
   * token: failures are `{ ok: false, code, status, message, retryAfter? }` (`retryAfter` in
   * seconds), store failures `unavailable` (503).
   * @throws TypeError for malformed options (a scope query that does not parse, `cost` < 1)
   */
  verify(token: string | null | undefined, options?: VerifyOptions<S>): Promise<VerifyResult<O>>;
  /**
   * The key with this id, or null when there is none (never the token or its hash).
   * @throws KeywardError `unavailable` on store failure/timeout
   */
  get(id: string): Promise<ApiKey | null>;
  /**
   * A page of keys, newest first; pass `nextCursor` back as `cursor` for the next page.
   * @throws KeywardError `invalid_request` for a malformed query (`limit` outside 1–1000, a
   *   bad cursor); `unavailable` on store failure/timeout
   */
  list(query?: ListKeysQuery<S>): Promise<KeyPage>;
  /**
   * Changes a key; takes effect on every instance within a second (cache invalidation).
   * @throws KeywardError `not_found` for an unknown id; `invalid_request` for a malformed
   *   patch; `unavailable` on store failure/timeout
   */
  update(id: string, patch: UpdateKeyInput<S>): Promise<ApiKey>;
  /**
   * Revokes a key for good (verification answers `revoked_key`); idempotent.
   * @throws KeywardError `not_found` for an unknown id; `unavailable` on store failure/timeout
   */
  revoke(id: string): Promise<ApiKey>;
  /**
   * Issues a new token for the key; the old one keeps working for `gracePeriod` (ms or a
   * duration string; default 0).
   * @throws KeywardError `not_found` for an unknown id; `conflict` for a revoked or expired
   *   key; `invalid_request` for a bad `gracePeriod`; `unavailable` on store failure/timeout
   */
  rotate(id: string, options?: RotateOptions): Promise<{ token: string; key: ApiKey }>;
  /**
   * Deletes the key, its secrets and its counters.
   * @throws KeywardError `not_found` for an unknown id; `unavailable` on store failure/timeout
   */
  delete(id: string): Promise<void>;
  /**
   * Trades an API key for a short-lived signed access token that edge runtimes verify with no
   * store (`verifyAccessToken` from `@keyward/core/edge`). The key is verified as by `verify()`
   * (scopes, rate limits and quota charged once, here).
   *
   * @throws ExchangeError (a `KeywardError` with the verify failure's code, status and
   *   `failure`) when the key is refused; TypeError for bad options or without `signingKeys`
   */
  exchange(token: string | null | undefined, options?: ExchangeOptions<S>): Promise<ExchangeResult>;
  /** The public signing keys as a JWK Set (RFC 7517 §5); `{ keys: [] }` without `signingKeys`. */
  jwks(): PublicJwks;
  /**
   * Forgets the cached owner `ownerId` here and, through the store's invalidation bus, on every
   * instance: the next verification of its keys calls `resolveOwner` again.
   */
  invalidateOwner(ownerId: string): Promise<void>;
  /**
   * The asynchronous state an operator needs (`keyward status`): usage write-behind backlog and
   * last flush, the invalidation subscription, the outbox's pending/retrying/dead deliveries and
   * the last error per endpoint. Times are epoch ms, ages ms. `ok` is false when the last usage
   * flush failed, the invalidation subscription is down, a delivery is dead, or the oldest due
   * delivery has waited over 5 minutes; `problems` says which.
   * @throws KeywardError `unavailable` when the outbox cannot be read within `timeout` (ms)
   */
  health(): Promise<KeywardHealth>;
  /** The outbox of lifecycle events, for operators: list deliveries, retry a dead one. */
  readonly events: EventDeliveries;
  /** Writes pending lastUsedAt / usage counts now. */
  flush(): Promise<void>;
  /**
   * Flushes, stops timers, the invalidation subscription and the delivery worker (waiting for the
   * webhook attempts in flight). Does not close a client it was given.
   */
  close(): Promise<void>;
}
