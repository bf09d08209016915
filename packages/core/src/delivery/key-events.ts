/**
 * The outbox entries of each key write, built before the write (a store that appends
 * atomically takes them with it) from the key as the write will leave it. Each function returns
 * [] without a writer, or when no endpoint subscribes to the types involved.
 */
import type { OutboxAppend } from "../store/outbox-types.js";
import type { StoredKey } from "../store/types.js";
import { type KeySource, lifecycleEvent } from "./payload.js";
import { expiryReminders, graceReminder } from "./schedule.js";
import type { EventWriter } from "./writer.js";

const NONE: readonly OutboxAppend[] = Object.freeze([]);
const iso = (ms: number): string => new Date(ms).toISOString();

/** `key.created` (with `source`) and the new key's expiry reminders. */
export function createdEntries(
  writer: EventWriter | null,
  key: StoredKey,
  now: number,
  source: KeySource,
): readonly OutboxAppend[] {
  if (!writer) return NONE;
  const { eventId, delivery } = writer;
  return writer.entries([
    lifecycleEvent(eventId(now), "key.created", key, now, { source }),
    ...expiryReminders(key, now, delivery, eventId),
  ]);
}

/** `key.updated` (with the changed field names), and new reminders when the expiry changed. */
export function updatedEntries(
  writer: EventWriter | null,
  before: StoredKey,
  after: StoredKey,
  now: number,
  changes: readonly string[],
): readonly OutboxAppend[] {
  if (!writer) return NONE;
  const { eventId, delivery } = writer;
  const reminders =
    after.expiresAt !== before.expiresAt ? expiryReminders(after, now, delivery, eventId) : [];
  return writer.entries([
    lifecycleEvent(eventId(now), "key.updated", after, now, { changes: [...changes] }),
    ...reminders,
  ]);
}

/** `key.rotated` (with `graceEndsAt`, when the old token stops) and its `key.grace_ending` reminder. */
export function rotatedEntries(
  writer: EventWriter | null,
  after: StoredKey,
  now: number,
  graceEndsAt: number,
): readonly OutboxAppend[] {
  if (!writer) return NONE;
  const { eventId, delivery } = writer;
  return writer.entries([
    lifecycleEvent(eventId(now), "key.rotated", after, now, { graceEndsAt: iso(graceEndsAt) }),
    ...graceReminder(after, graceEndsAt, now, delivery, eventId),
  ]);
}

/** `key.revoked` (with `revokedAt`) or `key.deleted`: a one-off event about the key. */
export function endedEntries(
  writer: EventWriter | null,
  type: "key.revoked" | "key.deleted",
  key: StoredKey,
  now: number,
): readonly OutboxAppend[] {
  if (!writer) return NONE;
  const extra = type === "key.revoked" ? { revokedAt: iso(now) } : {};
  return writer.entries([lifecycleEvent(writer.eventId(now), type, key, now, extra)]);
}
