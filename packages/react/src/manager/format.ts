/** How the table shows dates and a key's state. */
import type { ApiKeyRecord } from "../types.js";

/** A key's state, in the order the API checks them: revoked, then expired, then disabled. */
export type ApiKeyStatus = "active" | "disabled" | "expired" | "revoked";

export function statusOf(key: ApiKeyRecord, now: number): ApiKeyStatus {
  if (key.revokedAt !== null) return "revoked";
  if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now) return "expired";
  return key.enabled ? "active" : "disabled";
}

export const STATUS_LABEL: Record<ApiKeyStatus, string> = {
  active: "Active",
  disabled: "Disabled",
  expired: "Expired",
  revoked: "Revoked",
};

/** `sk_live_Ab3x…`: the visible start of the token, never more. */
export function preview(key: ApiKeyRecord): string {
  return `${key.start}…`;
}

/** A date for a table cell in the given locale (undefined: the browser's). */
export function formatDate(iso: string, locale: string | undefined): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(new Date(iso));
}

/** The end of a `yyyy-mm-dd` day in local time: a key "expiring on" a date works through it. */
export function endOfDay(day: string): Date {
  const [year, month, date] = day.split("-").map(Number);
  return new Date(year!, month! - 1, date!, 23, 59, 59, 999);
}

/** Tomorrow as `yyyy-mm-dd` (local), the earliest expiry the date field offers. */
export function tomorrow(now: number): string {
  const date = new Date(now + 86_400_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
