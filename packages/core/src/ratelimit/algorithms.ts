/**
 * The rate-limit math, as pure functions over integer milliseconds. This file is the single
 * definition every store mirrors: the memory store calls it directly, the PostgreSQL SQL and
 * the Redis Lua implement the same steps. `docs/rate-limits.md` explains the guarantees.
 *
 * One call of a store evaluates every limit on its current state (`roll` applies the time that
 * passed, which is pure), checks `admits`, and only when every limit and the quota admit the
 * call does it store `consume(rolled)`. A rejected call stores nothing.
 *
 * Clock skew: a counter is always evaluated at `t = max(now, since(state))`, so a request whose
 * clock is behind the one that last touched the counter (another instance, a late request)
 * counts against the newest window instead of resetting it. With a monotonic clock this changes
 * nothing.
 *
 * All products stay below 2^53 because `resolveRateLimit` caps `limit × window` at 2^52.
 */
import type { RateLimitAlgorithm } from "../types.js";

/** The parameters of one limit in one call. */
export interface LimitParams {
  limit: number;
  /** Window in ms. */
  window: number;
  cost: number;
}

/** fixed-window: `count` units in the window starting at `start`. */
export interface FixedWindowState {
  start: number;
  count: number;
}

/** sliding-window: `curr` units in the window starting at `start`, `prev` in the one before. */
export interface SlidingWindowState {
  start: number;
  prev: number;
  curr: number;
}

/** token-bucket: `level` = tokens × window (an integer), as of `updatedAt`. */
export interface TokenBucketState {
  level: number;
  updatedAt: number;
}

/** The steps of one algorithm. `t` is always `max(now, since(state))`. */
export interface LimitAlgorithm<S> {
  /** The state of a counter never seen (or reclaimed). */
  fresh(p: LimitParams, t: number): S;
  /** The time a state was last moved to; calls are evaluated no earlier than this. */
  since(state: S): number;
  /** The state at time `t` with nothing consumed: window roll-over, token refill. Pure. */
  roll(state: S, p: LimitParams, t: number): S;
  /** Whether a rolled state admits `p.cost` units. */
  admits(state: S, p: LimitParams, t: number): boolean;
  /** The rolled state after consuming `p.cost` units (only called when it admits). */
  consume(state: S, p: LimitParams): S;
  /** Whole units left in a rolled state. */
  remaining(state: S, p: LimitParams, t: number): number;
  /** ms until a rolled state is fully restored (0 when it already is). */
  resetMs(state: S, p: LimitParams, t: number): number;
  /** ms until a call of `p.cost` could pass, for a rolled state that rejects it. */
  retryAfterMs(state: S, p: LimitParams, t: number): number;
  /** From this time on, the state rolls to one equal to `fresh`: it may be dropped. */
  idleAt(state: S, p: LimitParams): number;
}

const align = (t: number, window: number): number => Math.floor(t / window) * window;

/**
 * Counts units per aligned window (`floor(now / window) * window`). Guarantee: at most `limit`
 * units in each aligned window; any sliding span of `window` ms sees at most `2 × limit`.
 */
export const fixedWindow: LimitAlgorithm<FixedWindowState> = {
  fresh: (p, t) => ({ start: align(t, p.window), count: 0 }),
  since: (s) => s.start,
  roll(s, p, t) {
    const aligned = align(t, p.window);
    return aligned === s.start ? s : { start: aligned, count: 0 };
  },
  admits: (s, p) => s.count + p.cost <= p.limit,
  consume: (s, p) => ({ start: s.start, count: s.count + p.cost }),
  remaining: (s, p) => Math.max(0, p.limit - s.count),
  resetMs: (s, p, t) => s.start + p.window - t,
  retryAfterMs: (s, p, t) => s.start + p.window - t,
  idleAt: (s, p) => s.start + p.window,
};

/**
 * Weighted two-window counter: the previous window's count, weighted by the share of it that
 * still overlaps the last `window` ms, plus the current window's count. The integer test is
 * `prev × (window − elapsed) + (curr + cost) × window ≤ limit × window`.
 */
export const slidingWindow: LimitAlgorithm<SlidingWindowState> = {
  fresh: (p, t) => ({ start: align(t, p.window), prev: 0, curr: 0 }),
  since: (s) => s.start,
  roll(s, p, t) {
    const aligned = align(t, p.window);
    if (aligned === s.start) return s;
    if (aligned === s.start + p.window) return { start: aligned, prev: s.curr, curr: 0 };
    return { start: aligned, prev: 0, curr: 0 };
  },
  admits: (s, p, t) =>
    s.prev * (p.window - (t - s.start)) + (s.curr + p.cost) * p.window <= p.limit * p.window,
  consume: (s, p) => ({ start: s.start, prev: s.prev, curr: s.curr + p.cost }),
  remaining(s, p, t) {
    const weighted = p.limit * p.window - s.prev * (p.window - (t - s.start)) - s.curr * p.window;
    return Math.max(0, Math.floor(weighted / p.window));
  },
  resetMs(s, p, t) {
    if (s.curr > 0) return s.start + 2 * p.window - t;
    return s.prev > 0 ? s.start + p.window - t : 0;
  },
  retryAfterMs(s, p, t) {
    const w = p.window;
    const elapsed = t - s.start;
    // Still in this window: prev's weight decays by prev per ms, so the test passes once
    // prev × (w − elapsed − x) ≤ room, i.e. x = (w − elapsed) − floor(room / prev).
    const room = (p.limit - s.curr - p.cost) * w;
    if (room >= 0 && s.prev > 0) return w - elapsed - Math.floor(room / s.prev);
    if (p.cost > p.limit) return slidingWindow.resetMs(s, p, t);
    // Next window: curr becomes prev and decays the same way; at its end the test passes.
    if (s.curr === 0) return w - elapsed;
    return 2 * w - elapsed - Math.floor(((p.limit - p.cost) * w) / s.curr);
  },
  idleAt: (s, p) => s.start + 2 * p.window,
};

/**
 * Token bucket of capacity `limit`, refilled continuously at `limit` tokens per `window`.
 * Allows bursts of up to `limit`; over any span of `d` ms at most `limit + limit × d / window`.
 */
export const tokenBucket: LimitAlgorithm<TokenBucketState> = {
  fresh: (p, t) => ({ level: p.limit * p.window, updatedAt: t }),
  since: (s) => s.updatedAt,
  roll(s, p, t) {
    if (t === s.updatedAt) return s;
    return { level: Math.min(p.limit * p.window, s.level + (t - s.updatedAt) * p.limit), updatedAt: t };
  },
  admits: (s, p) => s.level >= p.cost * p.window,
  consume: (s, p) => ({ level: s.level - p.cost * p.window, updatedAt: s.updatedAt }),
  remaining: (s, p) => Math.floor(s.level / p.window),
  resetMs: (s, p) => Math.max(0, Math.ceil((p.limit * p.window - s.level) / p.limit)),
  retryAfterMs(s, p) {
    if (p.cost > p.limit) return tokenBucket.resetMs(s, p, s.updatedAt);
    return Math.ceil((p.cost * p.window - s.level) / p.limit);
  },
  idleAt: (s, p) => s.updatedAt + Math.max(0, Math.ceil((p.limit * p.window - s.level) / p.limit)),
};

/** The state of any algorithm. */
export type LimitState = FixedWindowState | SlidingWindowState | TokenBucketState;

/**
 * Each algorithm's `consume`, applied to a rolled state in place: for a store that owns its
 * state objects (the memory store), the same arithmetic without a new object per call.
 */
export function consumeInPlace(algorithm: RateLimitAlgorithm, state: LimitState, p: LimitParams): void {
  switch (algorithm) {
    case "fixed-window":
      (state as FixedWindowState).count += p.cost;
      return;
    case "sliding-window":
      (state as SlidingWindowState).curr += p.cost;
      return;
    case "token-bucket":
      (state as TokenBucketState).level -= p.cost * p.window;
      return;
  }
}

/** Each algorithm by its public name. */
export const LIMIT_ALGORITHMS: Readonly<Record<RateLimitAlgorithm, LimitAlgorithm<LimitState>>> = {
  "fixed-window": fixedWindow as LimitAlgorithm<LimitState>,
  "sliding-window": slidingWindow as LimitAlgorithm<LimitState>,
  "token-bucket": tokenBucket as LimitAlgorithm<LimitState>,
};

/** What one limit says about one call (before the store knows whether the whole call passes). */
interface LimitEvaluation<S> {
  /** The time the limit was evaluated at: `max(now, since(state))`. */
  t: number;
  /** The state at `t`, nothing consumed. */
  rolled: S;
  admits: boolean;
}

/**
 * Step one of a call for one limit: roll the stored state (or a fresh one) to the call's time
 * and test it.
 */
export function evaluateLimit<S>(
  algorithm: LimitAlgorithm<S>,
  stored: S | undefined,
  p: LimitParams,
  now: number,
): LimitEvaluation<S> {
  const t = stored === undefined ? now : Math.max(now, algorithm.since(stored));
  const rolled = stored === undefined ? algorithm.fresh(p, t) : algorithm.roll(stored, p, t);
  return { t, rolled, admits: algorithm.admits(rolled, p, t) };
}
