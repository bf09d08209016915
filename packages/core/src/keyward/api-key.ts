/**
 * The one function that turns a stored key into the `ApiKey` callers see. It copies only the
 * public fields — a stored key has no token or hash to leak, and neither does the result.
 */
import type { StoredKey } from "../store/types.js";
import type { ApiKey, QuotaView } from "../types.js";

const date = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

/** Builds a fresh, independent `ApiKey` (Dates for times, copies of arrays and objects). */
export function toApiKey(key: StoredKey, quota: QuotaView | null): ApiKey {
  return {
    id: key.id,
    name: key.name,
    ownerId: key.ownerId,
    prefix: key.prefix,
    start: key.start,
    last4: key.last4 ?? "", // records written before last4 existed have none
    scopes: [...key.scopes],
    metadata: structuredClone(key.metadata),
    enabled: key.enabled,
    createdAt: new Date(key.createdAt),
    updatedAt: new Date(key.updatedAt),
    expiresAt: date(key.expiresAt),
    revokedAt: date(key.revokedAt),
    lastUsedAt: date(key.lastUsedAt),
    usageCount: key.usageCount,
    rateLimit: key.rateLimit === null ? null : key.rateLimit.map((limit) => ({ ...limit })),
    quota: quota === null ? null : { ...quota, refill: quota.refill && { ...quota.refill } },
    allowedIps: key.allowedIps ? [...key.allowedIps] : null,
  };
}

/** Freezes an `ApiKey` and everything inside it, so one object can be shared by many requests. */
export function freezeApiKey(key: ApiKey): ApiKey {
  deepFreeze(key);
  return key;
}

function deepFreeze(value: unknown): void {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
}

/** An independent deep copy (events get their own, so a listener cannot change what a caller got). */
export function copyKey(key: ApiKey): ApiKey {
  return structuredClone(key);
}
