import type { ConsumeRequest, LimitRequest, QuotaRef, StoredKey } from "../store/types.js";
import type { QuotaConfig, ResolvedRateLimit } from "../types.js";
import { DEFAULT_LIMIT_NAME, OWNER_LIMIT_NAME } from "./resolve.js";
import type { ResolvedRoutePolicy } from "./route-policy.js";

/** What one verification will consume, decided before the store is called. */
export interface ConsumptionPlan {
  /** The store request; add `now` and pass it to `store.consume()`. */
  request: Omit<ConsumeRequest, "now">;
  /** The limits being consumed, parallel to `request.limits` (owner limit last, named "owner"). */
  limits: ResolvedRateLimit[];
  /** The quota being charged, or null. */
  quota: QuotaConfig | null;
  /** Units consumed from every limit and from the quota. */
  cost: number;
}

/** Counter name of a key's named limit. */
const limitCounterKey = (keyId: string, name: string): string => `k:${keyId}:${name}`;
/** Counter name of an owner's shared limit. */
const ownerCounterKey = (ownerId: string): string => `o:${ownerId}`;
/**
 * Counter name of a route policy: per key, or shared by an owner's keys (a key without an
 * owner counts alone). It lives in the key's partition, which is the owner's when it has one.
 */
export const routeCounterKey = (
  policy: Pick<ResolvedRoutePolicy, "name" | "per">,
  key: Pick<StoredKey, "id" | "ownerId">,
): string =>
  policy.per === "owner" && key.ownerId !== null
    ? `r:${policy.name}:o:${key.ownerId}`
    : `r:${policy.name}:${key.id}`;
/** Counter name of a key's quota. */
export const quotaCounterKey = (keyId: string): string => `q:${keyId}`;

/** The partition every counter of a key lives in: its owner, else the key itself. */
export const counterPartition = (key: Pick<StoredKey, "id" | "ownerId">): string => key.ownerId ?? key.id;

/** Where a key's quota balance lives: its partition and counter name. */
export const quotaRefOf = (key: Pick<StoredKey, "id" | "ownerId">): QuotaRef => ({
  partition: counterPartition(key),
  key: quotaCounterKey(key.id),
});

/**
 * Every counter name a key may have used under `limits` (its own or the defaults), for
 * `clearCounters` when the key is deleted. The owner counter is shared and never listed.
 */
export function keyCounterKeys(
  key: Pick<StoredKey, "id">,
  limits: readonly ResolvedRateLimit[] | null,
): string[] {
  return [...(limits ?? []).map((limit) => limitCounterKey(key.id, limit.name)), quotaCounterKey(key.id)];
}

function selectLimits(
  available: readonly ResolvedRateLimit[],
  names: readonly string[] | false | undefined,
): ResolvedRateLimit[] {
  if (names === false) return [];
  if (names === undefined) return available.filter((l) => l.name === DEFAULT_LIMIT_NAME || l.autoApply);
  const selected: ResolvedRateLimit[] = [];
  for (const name of new Set(names)) {
    const limit = available.find((l) => l.name === name);
    if (limit !== undefined) selected.push(limit);
  }
  return selected;
}

/**
 * Decides which counters one verification consumes.
 *
 * - The key's own limits apply when `key.rateLimit !== null`, else `defaults`.
 * - `names` undefined: the limit named `"default"` plus every `autoApply` limit, in the key's
 *   order. A list: exactly those names, in the list's order; a name the key does not have is
 *   skipped (a route may name a limit only some keys carry). `false`: none of the key's limits.
 * - Then each route policy in `policies`, on its own counter ({@link routeCounterKey}).
 * - The owner limit, when given and the key has an owner, always applies, last.
 * - The key's quota, if any, is charged `cost` too.
 *
 * @returns the plan, or null when there is nothing to consume
 * @throws TypeError when `cost` is not a positive integer
 *
 * @example
 * const plan = planConsumption({ key, defaults, owner, names: ["search"], cost: 5 });
 * const result = plan && (await store.consume({ ...plan.request, now: clock() }));
 */
export function planConsumption(args: {
  key: Pick<StoredKey, "id" | "ownerId" | "rateLimit" | "quota">;
  defaults: ResolvedRateLimit[] | null;
  owner: ResolvedRateLimit | null;
  names: readonly string[] | false | undefined;
  policies?: readonly ResolvedRoutePolicy[];
  cost: number;
}): ConsumptionPlan | null {
  const { key, defaults, owner, names, policies = [], cost } = args;
  if (!Number.isSafeInteger(cost) || cost < 1) {
    throw new TypeError(`keyward: option "cost" must be a positive integer, got ${String(cost)}`);
  }
  const limits = selectLimits(key.rateLimit ?? defaults ?? [], names);
  const requests: LimitRequest[] = limits.map((limit) => ({
    key: limitCounterKey(key.id, limit.name),
    limit: limit.limit,
    window: limit.window,
    algorithm: limit.algorithm,
    cost,
  }));
  for (const policy of policies) {
    limits.push(policy);
    requests.push({
      key: routeCounterKey(policy, key),
      limit: policy.limit,
      window: policy.window,
      algorithm: policy.algorithm,
      cost,
    });
  }
  if (owner !== null && key.ownerId !== null) {
    limits.push({ ...owner, name: OWNER_LIMIT_NAME });
    requests.push({
      key: ownerCounterKey(key.ownerId),
      limit: owner.limit,
      window: owner.window,
      algorithm: owner.algorithm,
      cost,
    });
  }
  const quota = key.quota;
  if (requests.length === 0 && quota === null) return null;
  return {
    request: {
      partition: counterPartition(key),
      limits: requests,
      quota: quota === null ? null : { key: quotaCounterKey(key.id), config: quota, cost },
    },
    limits,
    quota,
    cost,
  };
}
