import type { ApiKey, ResolvedRateLimit } from "@keyward/core";
import { formatDuration } from "@keyward/core";
import { DEFAULT_RATE_LIMIT_ALGORITHM } from "@keyward/core/store";
import { renderTable } from "./table.js";

/** A key's state in one word: revoked, expired, disabled or active (first that applies). */
function keyStatus(key: ApiKey, now: number): "revoked" | "expired" | "disabled" | "active" {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt.getTime() <= now) return "expired";
  if (!key.enabled) return "disabled";
  return "active";
}

/** `start…last4` (`sk_live_3xF9…a1B2`): enough to recognise a token, never to use it. */
const keyPreview = (key: ApiKey): string => `${key.start}…${key.last4}`;

/** `2026-11-23 13:05` (UTC, minutes), or "-" for none. */
function shortDate(date: Date | null): string {
  return date ? `${date.toISOString().slice(0, 16).replace("T", " ")}` : "-";
}

/** `1000/1m` or `search=10/1m:token-bucket` — the syntax `--rate-limit` accepts. */
function formatRateLimit(limit: ResolvedRateLimit): string {
  const name = limit.name === "default" ? "" : `${limit.name}=`;
  const algorithm = limit.algorithm === DEFAULT_RATE_LIMIT_ALGORITHM ? "" : `:${limit.algorithm}`;
  return `${name}${limit.limit}/${formatDuration(limit.window)}${algorithm}`;
}

/** The aligned table of `keys list`. */
export function renderKeyTable(keys: readonly ApiKey[], now: number): string {
  return renderTable(
    ["ID", "NAME", "OWNER", "PREVIEW", "SCOPES", "STATUS", "EXPIRES", "LAST USED"],
    keys.map((key) => [
      key.id,
      key.name ?? "-",
      key.ownerId ?? "-",
      keyPreview(key),
      key.scopes.length > 0 ? key.scopes.join(",") : "-",
      keyStatus(key, now),
      shortDate(key.expiresAt),
      key.lastUsedAt ? shortDate(key.lastUsedAt) : "never",
    ]),
  );
}

/** The field-per-line view of `keys get`, `create`, `update` and friends. */
export function renderKey(key: ApiKey, now: number): string {
  const rows: [string, string][] = [
    ["id", key.id],
    ["name", key.name ?? "-"],
    ["owner", key.ownerId ?? "-"],
    ["preview", keyPreview(key)],
    ["scopes", key.scopes.length > 0 ? key.scopes.join(" ") : "-"],
    ["status", keyStatus(key, now)],
    ["created", key.createdAt.toISOString()],
    ["updated", key.updatedAt.toISOString()],
    ["expires", key.expiresAt ? key.expiresAt.toISOString() : "never"],
  ];
  if (key.revokedAt) rows.push(["revoked", key.revokedAt.toISOString()]);
  rows.push(["last used", key.lastUsedAt ? key.lastUsedAt.toISOString() : "never"]);
  rows.push(["uses", String(key.usageCount)]);
  rows.push([
    "rate limit",
    key.rateLimit === null
      ? "default"
      : key.rateLimit.length === 0
        ? "none"
        : key.rateLimit.map(formatRateLimit).join(" "),
  ]);
  rows.push(["quota", key.quota ? formatQuota(key.quota) : "none"]);
  rows.push(["allowed ips", key.allowedIps ? key.allowedIps.join(" ") : "any"]);
  if (Object.keys(key.metadata).length > 0) rows.push(["metadata", JSON.stringify(key.metadata)]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join("");
}

function formatQuota(quota: NonNullable<ApiKey["quota"]>): string {
  const balance = `${quota.remaining}/${quota.limit}`;
  if (!quota.refill) return balance;
  const next = quota.refillAt ? `, next ${quota.refillAt.toISOString()}` : "";
  return `${balance}, refilled to ${quota.refill.amount} every ${formatDuration(quota.refill.interval)}${next}`;
}
