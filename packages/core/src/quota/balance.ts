/**
 * The quota math, as pure functions over integer milliseconds; every store mirrors it (see
 * `../ratelimit/algorithms.ts` for the limits).
 *
 * A quota is a balance, not a rate: it is never dropped as idle, only by `clearCounters`.
 * A refill REPLACES the balance with `amount` (unused credit does not carry over), once per
 * whole `interval` since the period started; missed periods are skipped, not accumulated.
 */
import type { QuotaConfig } from "../types.js";

/** A quota's stored state. */
export interface QuotaState {
  remaining: number;
  /** Start of the current refill period (epoch ms). */
  periodStart: number;
}

/** The balance of a quota never seen: full, its period starting now. */
function freshQuota(config: QuotaConfig, now: number): QuotaState {
  return { remaining: config.limit, periodStart: now };
}

/** The state at `now`: applies a refill when one is due. Pure. */
export function rollQuota(state: QuotaState, config: QuotaConfig, now: number): QuotaState {
  const refill = config.refill;
  if (refill === null || now < state.periodStart + refill.interval) return state;
  const periods = Math.floor((now - state.periodStart) / refill.interval);
  return { remaining: refill.amount, periodStart: state.periodStart + periods * refill.interval };
}

/** When the next refill happens (epoch ms), or null without refill. */
export function quotaRefillAt(state: QuotaState, config: QuotaConfig): number | null {
  return config.refill === null ? null : state.periodStart + config.refill.interval;
}

/** Rolls a stored (or fresh) quota to `now` and tests whether it can pay `cost`. */
export function evaluateQuota(
  stored: QuotaState | undefined,
  config: QuotaConfig,
  cost: number,
  now: number,
): { rolled: QuotaState; admits: boolean } {
  const rolled = stored === undefined ? freshQuota(config, now) : rollQuota(stored, config, now);
  return { rolled, admits: rolled.remaining >= cost };
}
