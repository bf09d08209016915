/**
 * Rows to stored objects and back. Times are bigint epoch ms in the database: pg returns int8
 * as a string and PGlite as a number, so every one goes through `Number()`.
 */
import type { StoredKey, StoredSecret } from "@keyward/core/store";
import type { Row } from "./client.js";

/** The columns of the keys table, in the order `keyValues()` produces them. */
export const KEY_COLUMNS = [
  "id",
  "owner_id",
  "name",
  "prefix",
  "start",
  "scopes",
  "metadata",
  "enabled",
  "created_at",
  "updated_at",
  "expires_at",
  "revoked_at",
  "last_used_at",
  "usage_count",
  "rate_limit",
  "quota",
  "last4",
  "allowed_ips",
] as const;

const ms = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
/** jsonb parameters are sent as text, so pg does not turn JS arrays into PostgreSQL arrays. */
export const json = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);

/** A StoredKey as query parameters, in `KEY_COLUMNS` order. */
export function keyValues(key: StoredKey): unknown[] {
  return [
    key.id,
    key.ownerId,
    key.name,
    key.prefix,
    key.start,
    key.scopes,
    json(key.metadata ?? {}),
    key.enabled,
    key.createdAt,
    key.updatedAt,
    key.expiresAt,
    key.revokedAt,
    key.lastUsedAt,
    key.usageCount,
    json(key.rateLimit),
    json(key.quota),
    key.last4,
    key.allowedIps,
  ];
}

/** A keys row as a StoredKey. */
export function toKey(row: Row): StoredKey {
  return {
    id: row.id as string,
    name: (row.name as string | null) ?? null,
    ownerId: (row.owner_id as string | null) ?? null,
    prefix: row.prefix as string,
    start: row.start as string,
    scopes: (row.scopes as string[] | null) ?? [],
    metadata: (row.metadata as Record<string, unknown> | null) ?? {},
    enabled: row.enabled as boolean,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    expiresAt: ms(row.expires_at),
    revokedAt: ms(row.revoked_at),
    lastUsedAt: ms(row.last_used_at),
    usageCount: Number(row.usage_count),
    rateLimit: (row.rate_limit as StoredKey["rateLimit"]) ?? null,
    quota: (row.quota as StoredKey["quota"]) ?? null,
    last4: (row.last4 as string | null) ?? "",
    allowedIps: (row.allowed_ips as string[] | null) ?? null,
  };
}

/**
 * A row sent as one json column (`row_to_json`): the same names and values as the columns,
 * with bigints as JSON numbers. Drivers that do not parse json hand it over as text.
 */
export const jsonRow = (value: unknown): Row =>
  (typeof value === "string" ? JSON.parse(value) : value) as Row;

/** A secret of key `keyId` from the `s_`-prefixed columns of the findByHash join. */
export function toSecret(row: Row, keyId: string): StoredSecret {
  return {
    hash: row.s_hash as string,
    keyId,
    createdAt: Number(row.s_created_at),
    expiresAt: ms(row.s_expires_at),
  };
}
