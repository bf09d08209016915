/**
 * Scheduled events: `key.expiring` (one per configured lead), `key.expired` and
 * `key.grace_ending` are appended when a key is written, due later, with a dedupe key so that
 * each is stored once however often it is appended. When one comes due, the worker reads the
 * key again and skips a reminder that no longer holds (key gone or revoked, expiry changed, key
 * rotated again) or that a later one supersedes (after downtime only the nearest expiry
 * reminder still due is sent: catching up never floods).
 */
import type { OutboxEvent } from "../store/outbox-types.js";
import type { StoredKey } from "../store/types.js";
import type { ResolvedDelivery } from "./options.js";
import { keyPreview, lifecycleEvent } from "./payload.js";

type Ids = (now: number) => string;

/** `key.expiring` per lead and `key.expired` for a key's `expiresAt`; leads already past at `now` are left out. */
export function expiryReminders(
  key: StoredKey,
  now: number,
  delivery: ResolvedDelivery,
  ids: Ids,
): OutboxEvent[] {
  const expiresAt = key.expiresAt;
  if (expiresAt === null || expiresAt <= now || key.revokedAt !== null) return [];
  const out: OutboxEvent[] = [];
  for (const lead of delivery.expiringLeads) {
    const due = expiresAt - lead;
    if (due <= now) continue;
    out.push(
      lifecycleEvent(
        ids(now),
        "key.expiring",
        key,
        due,
        { lead: lead / 1000 },
        `key.expiring:${key.id}:${expiresAt}:${lead}`,
      ),
    );
  }
  out.push(lifecycleEvent(ids(now), "key.expired", key, expiresAt, {}, `key.expired:${key.id}:${expiresAt}`));
  return out;
}

/** `key.grace_ending` for a rotation whose old token stops at `graceEndsAt`, unless that is within the lead already. */
export function graceReminder(
  key: StoredKey,
  graceEndsAt: number,
  now: number,
  delivery: ResolvedDelivery,
  ids: Ids,
): OutboxEvent[] {
  const due = graceEndsAt - delivery.graceEndingLead;
  if (due <= now) return [];
  const extra = { graceEndsAt: new Date(graceEndsAt).toISOString(), lead: delivery.graceEndingLead / 1000 };
  return [
    lifecycleEvent(
      ids(now),
      "key.grace_ending",
      key,
      due,
      extra,
      `key.grace_ending:${key.id}:${graceEndsAt}`,
    ),
  ];
}

/** True for the types the worker checks against the key before sending. */
export const isScheduled = (event: OutboxEvent): boolean =>
  event.type === "key.expiring" || event.type === "key.expired" || event.type === "key.grace_ending";

const timeOf = (value: unknown): number | null => (typeof value === "string" ? Date.parse(value) : null);

/** Why a due scheduled event must not be sent any more, or null to send it. */
export function staleReason(
  event: OutboxEvent,
  key: StoredKey | null,
  now: number,
  delivery: ResolvedDelivery,
): string | null {
  if (key === null) return "the key was deleted";
  if (key.revokedAt !== null) return "the key was revoked";
  const data = event.data;
  if (event.type === "key.grace_ending") {
    if (keyPreview(key) !== data.preview) return "the key was rotated again";
    const endsAt = timeOf(data.graceEndsAt);
    if (endsAt !== null && endsAt <= now) return "the grace period has already ended";
    return null;
  }
  if (key.expiresAt !== timeOf(data.expiresAt)) return "the key's expiry changed";
  if (event.type === "key.expired") return null;
  const expiresAt = key.expiresAt!;
  if (expiresAt <= now) return "the key has already expired";
  const lead = typeof data.lead === "number" ? data.lead * 1000 : 0;
  const nearer = delivery.expiringLeads.some((other) => other < lead && expiresAt - other <= now);
  return nearer ? "a nearer expiry reminder is due" : null;
}
