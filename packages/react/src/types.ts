/**
 * The management API's JSON, as the settings page reads it. Declared here rather than imported
 * from `@keyward/core`, so this browser package carries none of the server's code.
 */

/** A key as `GET /keys` shows it: never the token. Dates are RFC 3339 strings. */
export interface ApiKeyRecord {
  id: string;
  name: string | null;
  ownerId: string | null;
  /** Token prefix, e.g. `"sk_live"`. */
  prefix: string;
  /** The first characters of the token, for display (`sk_live_Ab3x`). */
  start: string;
  scopes: string[];
  metadata: Record<string, unknown>;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  /** Written behind by the server: may lag a few seconds. */
  lastUsedAt: string | null;
  usageCount: number;
}

/** One entry of `GET /scopes`: a scope or preset a caller may put on a key. */
export interface ScopeOption {
  /** What to send in `scopes`: `"task:read"`, `"task:*"` or a preset name such as `"writer"`. */
  name: string;
  description: string | null;
  preset: boolean;
  /** The scopes it grants (a preset's, flattened). */
  scopes: string[];
}

/** `POST /keys`: every field optional. Leave both expiry fields out for the server's default. */
export interface CreateApiKeyInput {
  name?: string | null;
  scopes?: string[];
  /** A date, or null for a key that never expires. */
  expiresAt?: Date | string | null;
  /** A relative lifetime: `"90d"`, `"24h"`, or milliseconds. */
  expiresIn?: string | number;
  metadata?: Record<string, unknown>;
}

/** `PATCH /keys/{id}`: the fields to change. */
export interface UpdateApiKeyInput {
  name?: string | null;
  enabled?: boolean;
  /** A date, or null for never. */
  expiresAt?: Date | string | null;
  scopes?: string[];
  metadata?: Record<string, unknown>;
}

/** `POST /keys/{id}/rotate`. */
export interface RotateApiKeyInput {
  /** How long the old token keeps working: `"1h"`, `"24h"`, `"7d"`. @defaultValue none: it stops at once */
  gracePeriod?: string | number;
}

/**
 * What `create` and `rotate` resolve to. The token is handed to the caller once and kept
 * nowhere by this package: show it, let the user copy it, and drop it.
 */
export interface IssuedApiKey {
  token: string;
  key: ApiKeyRecord;
}
