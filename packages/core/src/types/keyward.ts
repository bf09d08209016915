/**
 * The `Keyward` service object and the types of its methods (exchange, rotate, route verifiers).
 */
import type { EventDeliveries, KeywardHealth } from "../delivery/types.js";
import type { PublicJwks } from "../edge/signing-keys.js";
import type { ScopeEngine } from "../scopes/engine.js";
import type { KeywardStore } from "../store/types.js";
import type { Duration } from "./common.js";
import type {
  ApiKey,
  CreateKeyInput,
  ImportKeyInput,
  KeyPage,
  ListKeysQuery,
  UpdateKeyInput,
} from "./keys.js";
import type { RateLimitState } from "./limits.js";
import type { VerifyFailure, VerifyOptions, VerifyResult } from "./verification.js";

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
