/**
 * The one function that turns a stored key into the `ApiKey` callers see. It copies only the
 * public fields — a stored key has no token or hash to leak, and neither does the result.
 */
import { quotaView } from "../quota/index.js";
import { quotaRefOf } from "../ratelimit/plan.js";
import type { StoredKey } from "../store/types.js";
import type { ApiKey, QuotaView } from "../types.js";
import type { Runtime } from "./runtime.js";
import { call } from "./store-call.js";

// Reads never fail on what is stored (a key written before input was validated, or by other
// code): a time outside what a Date holds is shown clamped to the nearest one, and metadata
// too deep to copy is shown empty — the rest of the key, and of a list, still answers.
const LIMIT_MS = 8.64e15;
const instant = (ms: number): Date =>
  new Date(Number.isNaN(ms) ? 0 : Math.max(-LIMIT_MS, Math.min(LIMIT_MS, ms)));
const date = (ms: number | null): Date | null => (ms === null ? null : instant(ms));
const cloneMetadata = (metadata: Record<string, unknown>): Record<string, unknown> => {
  try {
    return structuredClone(metadata);
  } catch {
    return {};
  }
};

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
    metadata: cloneMetadata(key.metadata),
    enabled: key.enabled,
    createdAt: instant(key.createdAt),
    updatedAt: instant(key.updatedAt),
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

/** The public view of a stored key, with its current quota balance (keys without a quota cost no store call). */
export async function present(rt: Runtime, key: StoredKey): Promise<ApiKey> {
  if (key.quota === null) return toApiKey(key, null);
  const config = key.quota;
  const { store, clock } = rt.config;
  const balance = await call(rt, "getQuota", () => store.getQuota(quotaRefOf(key), config, clock()));
  return toApiKey(key, quotaView(config, balance));
}
