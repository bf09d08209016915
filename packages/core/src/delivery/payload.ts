/**
 * Lifecycle events as the outbox stores them and receivers get them: `data` holds the key's
 * public fields (id, ownerId, name, preview, scopes, createdAt, expiresAt) plus the type's own
 * fields. Never the token, its hash or the pepper: a `StoredKey` holds none of them, and
 * `preview` is the token's first characters and its last four, which are checksum characters.
 * Times in `data` are ISO 8601 strings; durations (`lead`) are seconds.
 */
import { createIdGenerator } from "../service/ids.js";
import type { LifecycleEventType, OutboxEvent } from "../store/outbox-types.js";
import type { StoredKey } from "../store/types.js";

/** Where a created key came from (`data.source` of `key.created`). */
export type KeySource = "api" | "management_api" | "cli" | "import";

type KeyFields = Pick<
  StoredKey,
  "id" | "ownerId" | "name" | "start" | "last4" | "scopes" | "createdAt" | "expiresAt"
>;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** `start…last4`, the display form of a token; null for a key imported by its hash (nothing known). */
export function keyPreview(key: Pick<StoredKey, "start" | "last4">): string | null {
  if (key.start === "") return null;
  return `${key.start}…${key.last4}`;
}

/** The key fields every event's `data` carries. */
export function keyData(key: KeyFields): Record<string, unknown> {
  return {
    id: key.id,
    ownerId: key.ownerId,
    name: key.name,
    preview: keyPreview(key),
    scopes: [...key.scopes],
    createdAt: iso(key.createdAt),
    expiresAt: iso(key.expiresAt),
  };
}

/** Makes event ids: `evt_` + 20 base62 characters that sort by creation time (as key ids do). */
export function createEventIds(): (now: number) => string {
  const next = createIdGenerator();
  return (now) => `evt_${next(now).slice("key_".length)}`;
}

/** Builds one event; a scheduled one has a `dedupeKey` and is due at `at`. */
export function lifecycleEvent(
  id: string,
  type: LifecycleEventType,
  key: KeyFields,
  at: number,
  extra: Record<string, unknown> = {},
  dedupeKey: string | null = null,
): OutboxEvent {
  return { id, type, timestamp: at, data: { ...keyData(key), ...extra }, dedupeKey, deliverAfter: at };
}

/** The JSON body receivers get: `{ type, timestamp, data }` (Standard Webhooks' recommended shape). */
export function webhookBody(event: OutboxEvent): string {
  return JSON.stringify({
    type: event.type,
    timestamp: new Date(event.timestamp).toISOString(),
    data: event.data,
  });
}
