/**
 * API keys as callers see them, and the inputs that create, change, import and list them.
 */
import type { Duration } from "./common.js";
import type { QuotaInput, QuotaView, RateLimitInput, ResolvedRateLimit } from "./limits.js";

/**
 * A key as handlers, lists and events see it. It never carries the token or its hash.
 */
export interface ApiKey {
  id: string;
  name: string | null;
  ownerId: string | null;
  /** The token prefix, e.g. "sk_live". */
  prefix: string;
  /** The first characters of the token, for display ("sk_live_3xF9"). */
  start: string;
  /**
   * The last four characters of the token (part of its checksum, never of its random part), for
   * a preview like `sk_live_3xF9…a1B2`; "" for a key imported by its hash.
   */
  last4: string;
  scopes: string[];
  metadata: Record<string, unknown>;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  /** Successful verifications counted so far (written behind, so it may lag a few seconds). */
  usageCount: number;
  /** The key's own limits; null means the keyward-wide default applies, [] means none. */
  rateLimit: ResolvedRateLimit[] | null;
  quota: QuotaView | null;
  /** Client addresses (IPv4/IPv6 addresses or CIDR ranges) the key may be used from; null: any. */
  allowedIps: string[] | null;
}

export interface CreateKeyInput<S extends string = string> {
  name?: string | null;
  ownerId?: string | null;
  scopes?: readonly S[];
  /** Relative expiry. Mutually exclusive with `expiresAt`. */
  expiresIn?: Duration;
  expiresAt?: Date | null;
  metadata?: Record<string, unknown>;
  enabled?: boolean;
  /** Omitted: the default policy applies. null: no limit. */
  rateLimit?: RateLimitInput;
  quota?: QuotaInput | null;
  /**
   * IPv4/IPv6 addresses or CIDR ranges (`"203.0.113.0/24"`, `"2001:db8::/32"`) the key may be
   * used from; null or [] for any address. @defaultValue null
   */
  allowedIps?: readonly string[] | null;
  /**
   * Where the key is created from, reported as `data.source` of its `key.created` webhook event.
   * The management API sets `"management_api"`, the CLI `"cli"`. @defaultValue "api"
   */
  source?: "api" | "management_api" | "cli";
}

export interface UpdateKeyInput<S extends string = string> {
  name?: string | null;
  enabled?: boolean;
  scopes?: readonly S[];
  metadata?: Record<string, unknown>;
  expiresAt?: Date | null;
  /** null: no limit; "default": back to the keyward-wide default. */
  rateLimit?: RateLimitInput | "default";
  /** Setting a quota resets its balance to `remaining ?? limit`. null removes it. */
  quota?: QuotaInput | null;
  /** Replaces the allowlist; null or [] lifts it. */
  allowedIps?: readonly string[] | null;
}

/** An existing key brought in without re-issuing it. */
export type ImportKeyInput<S extends string = string> = Omit<CreateKeyInput<S>, "expiresIn" | "source"> &
  ({ token: string; sha256?: never } | { sha256: string; token?: never });

export interface ListKeysQuery<S extends string = string> {
  ownerId?: string;
  /** Keys whose stored scopes include this exact name. */
  scope?: S;
  enabled?: boolean;
  /** @defaultValue 50 (max 1000) */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | null;
}

export interface KeyPage {
  items: ApiKey[];
  nextCursor: string | null;
}
