import type { ConsumeResult, QuotaResult } from "../store/types.js";
import type { RateLimitState } from "../types.js";
import type { ConsumptionPlan } from "./plan.js";

/** What a consumption means for the verification. */
export type ConsumptionOutcome =
  | { ok: true; rateLimit: RateLimitState[]; quota: QuotaResult | null }
  | {
      ok: false;
      code: "rate_limited" | "usage_exceeded";
      message: string;
      /** Whole seconds until a retry can pass; absent when no wait helps (quota without refill). */
      retryAfter?: number;
      rateLimit: RateLimitState[];
    };

const toSeconds = (ms: number): number => Math.max(0, Math.ceil(ms / 1000));

/**
 * Maps a store's `ConsumeResult` to the verification outcome and the `RateLimitState` of each
 * consumed limit (what the `RateLimit` header reports).
 *
 * - `reset` is the limit's `resetMs` in seconds, rounded up; for a limit that rejected the
 *   call it is the wait until that call could pass (`retryAfterMs`), so `Retry-After` never
 *   points earlier than any violated limit's `t`. `window` is the window in seconds, rounded
 *   up, at least 1.
 * - Rejected by a limit: `rate_limited`, `retryAfter` = the longest wait among the rejecting
 *   limits, in seconds rounded up (at least 1). Limits are checked first, so a call both
 *   limited and out of credit is `rate_limited`.
 * - Rejected by the quota: `usage_exceeded`, with `retryAfter` = seconds until the refill
 *   only when a refill is due and would pay for the call.
 * - A call that can never pass (its cost exceeds a limit, or the quota's refill amount) gets no
 *   `retryAfter` at all, and a message that says so and names the policy: waiting cannot help,
 *   so nothing should invite a retry (RFC 9110 §10.2.3 makes `Retry-After` a promise of when
 *   to come back).
 */
export function evaluateConsumption(plan: ConsumptionPlan, result: ConsumeResult): ConsumptionOutcome {
  const count = plan.limits.length;
  if (result.limits.length < count)
    throw new Error(`keyward: the store answered ${result.limits.length} limits, expected ${count}`);
  const states: RateLimitState[] = new Array(count);
  for (let index = 0; index < count; index++) {
    const limit = plan.limits[index]!;
    const r = result.limits[index]!;
    states[index] = {
      name: limit.name,
      limit: limit.limit,
      remaining: r.remaining,
      window: Math.max(1, toSeconds(limit.window)),
      reset: toSeconds(r.allowed ? r.resetMs : r.retryAfterMs),
      exceeded: !r.allowed,
    };
  }
  if (result.allowed) return { ok: true, rateLimit: states, quota: result.quota };

  let waitMs = -1;
  const violated: string[] = [];
  result.limits.forEach((r, index) => {
    if (r.allowed) return;
    violated.push(plan.limits[index]?.name ?? String(index));
    waitMs = Math.max(waitMs, r.retryAfterMs);
  });
  if (waitMs >= 0) {
    const never = costBeyondLimits(plan);
    if (never !== null) return { ok: false, code: "rate_limited", message: never, rateLimit: states };
    return {
      ok: false,
      code: "rate_limited",
      message: `Rate limit exceeded (${violated.join(", ")})`,
      retryAfter: Math.max(1, toSeconds(waitMs)),
      rateLimit: states,
    };
  }

  const quota = result.quota;
  const refill = plan.quota?.refill ?? null;
  const outcome: ConsumptionOutcome = {
    ok: false,
    code: "usage_exceeded",
    message: "Usage quota exhausted",
    rateLimit: states,
  };
  if (quota?.refillAt != null && refill !== null && refill.amount >= plan.cost) {
    outcome.retryAfter = Math.max(1, toSeconds(quota.refillAt - result.now));
    outcome.message = "Usage quota exhausted until the next refill";
  } else if (refill !== null && refill.amount < plan.cost) {
    outcome.message = `The request's cost (${plan.cost}) exceeds the quota's refill amount (${refill.amount}), so it can never pass; do not retry`;
  }
  return outcome;
}

/**
 * A message naming every limit whose whole size is below the call's cost (with any algorithm,
 * such a call is rejected by a fresh counter too), or null when waiting can make it pass.
 */
function costBeyondLimits(plan: ConsumptionPlan): string | null {
  const beyond = plan.limits.filter((limit) => plan.cost > limit.limit);
  if (beyond.length === 0) return null;
  const named = beyond
    .map((limit) => `"${limit.name}" (${limit.limit} per ${limit.window / 1000} s)`)
    .join(", ");
  return `The request's cost (${plan.cost}) exceeds the rate limit ${named}, so it can never pass; do not retry`;
}
