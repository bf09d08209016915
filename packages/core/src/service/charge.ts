/**
 * The limits a nested route adds (a route-level check behind a router-level one, in the same
 * request): the key was verified and charged by the outer check moments before, so this step
 * only consumes what the route itself lists — its route policies and the key limits it names —
 * minus any counter the outer check already consumed, in ONE atomic store call. The owner
 * limit and the quota were charged by the outer check and are not charged again.
 */
import { evaluateConsumption, planConsumption } from "../ratelimit/index.js";
import type { ApiKey, ChargeSuccess, ResolvedRateLimit, RouteCharge } from "../types.js";
import { storeCall } from "./deadline.js";
import type { Runtime } from "./runtime.js";
import { type PreparedCheck, reject } from "./verification.js";

const NOTHING: ChargeSuccess = Object.freeze({ ok: true, rateLimit: [] }) as ChargeSuccess;

/** The charge of one route whose options were prepared as `check`; `lists`: it lists limits of its own. */
export function createRouteCharge(rt: Runtime, check: PreparedCheck, lists: boolean): RouteCharge {
  return {
    lists,
    counters(key) {
      const plan = plan$(rt, key, check, true);
      const names = new Set<string>(plan?.request.limits.map((l) => l.key));
      if (plan?.request.quota) names.add(plan.request.quota.key);
      return names;
    },
    async charge(key, skip) {
      if (!lists) return NOTHING;
      const full = plan$(rt, key, check, false);
      if (full === null) return NOTHING;
      const keep = full.request.limits.map((l) => !skip.has(l.key));
      const limits = full.limits.filter((_, i) => keep[i]);
      if (limits.length === 0) return NOTHING;
      const plan = {
        ...full,
        limits,
        request: { ...full.request, limits: full.request.limits.filter((_, i) => keep[i]) },
      };
      const { config } = rt;
      const now = config.clock();
      try {
        const consumed = await storeCall(config.store.kind, "consume", config.timeout, () =>
          config.store.consume({ ...plan.request, now }),
        );
        const outcome = evaluateConsumption(plan, consumed);
        if (outcome.ok) return { ok: true, rateLimit: outcome.rateLimit };
        const failure = reject(rt, outcome.code, outcome.message, key);
        failure.key = key;
        failure.rateLimit = outcome.rateLimit;
        if (outcome.retryAfter !== undefined) failure.retryAfter = outcome.retryAfter;
        return failure;
      } catch {
        return reject(rt, "unavailable", "The key store is unavailable; try again shortly.", key);
      }
    },
  };
}

/** The plan of `check` for `key`; with `whole`, as a full verification (owner limit, quota). */
function plan$(rt: Runtime, key: ApiKey, check: PreparedCheck, whole: boolean) {
  const { config } = rt;
  return planConsumption({
    key: { id: key.id, ownerId: key.ownerId, rateLimit: key.rateLimit, quota: whole ? key.quota : null },
    defaults: config.rateLimit as ResolvedRateLimit[] | null,
    owner: whole ? config.ownerRateLimit : null,
    names: whole ? check.names : check.names === undefined ? false : check.names,
    policies: check.policies,
    cost: check.cost,
  });
}
