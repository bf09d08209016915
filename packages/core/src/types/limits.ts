/**
 * Rate limits and quotas as callers write them, and as core resolves and reports them.
 */
import type { RateLimitAlgorithm } from "../ratelimit/names.js";
import type { Duration } from "./common.js";

/** The name of a rate-limit algorithm; derived from the one list, `RATE_LIMIT_ALGORITHMS`. */
export type { RateLimitAlgorithm } from "../ratelimit/names.js";

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
