/**
 * Writes keys as the management API shows them: an explicit list of fields (so nothing a
 * future `ApiKey` field or a store adds can leak), dates as RFC 3339 strings.
 */
import type { ApiKey } from "../types.js";

/** A key in its JSON form (see `apiKeySchema`). */
export type ApiKeyJson = ReturnType<typeof keyToJson>;

// An invalid Date (a time no Date holds) is shown as null rather than failing the answer.
function iso(date: Date | null): string | null {
  return date === null || Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** `start…last4` (`"sk_live_3xF9…a1B2"`): enough to recognise a token, never enough to use it. */
export function keyPreview(key: Pick<ApiKey, "start" | "last4">): string {
  return `${key.start}…${key.last4}`;
}

/** Copies the public fields of a key, dates as ISO strings. */
export function keyToJson(key: ApiKey) {
  return {
    id: key.id,
    name: key.name,
    ownerId: key.ownerId,
    prefix: key.prefix,
    start: key.start,
    last4: key.last4,
    preview: keyPreview(key),
    scopes: [...key.scopes],
    metadata: key.metadata,
    enabled: key.enabled,
    createdAt: key.createdAt.toISOString(),
    updatedAt: key.updatedAt.toISOString(),
    expiresAt: iso(key.expiresAt),
    revokedAt: iso(key.revokedAt),
    lastUsedAt: iso(key.lastUsedAt),
    usageCount: key.usageCount,
    rateLimit:
      key.rateLimit === null
        ? null
        : key.rateLimit.map((limit) => ({
            name: limit.name,
            limit: limit.limit,
            window: limit.window,
            algorithm: limit.algorithm,
            autoApply: limit.autoApply,
          })),
    quota:
      key.quota === null
        ? null
        : {
            limit: key.quota.limit,
            refill:
              key.quota.refill === null
                ? null
                : { interval: key.quota.refill.interval, amount: key.quota.refill.amount },
            remaining: key.quota.remaining,
            refillAt: iso(key.quota.refillAt),
          },
    allowedIps: key.allowedIps === null ? null : [...key.allowedIps],
  };
}
