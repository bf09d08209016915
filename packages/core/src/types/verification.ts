/**
 * What `verify()` takes and answers, and the in-process events `onEvent` receives.
 */
import type { VerifyFailureCode } from "../errors/index.js";
import type { ScopeRequirement } from "./common.js";
import type { ApiKey } from "./keys.js";
import type { RateLimitState, RoutePolicy } from "./limits.js";

// ---------------------------------------------------------------------------------------------
// Verification

export interface VerifyOptions<S extends string = string> {
  scopes?: ScopeRequirement<S>;
  /**
   * What this call consumes. Omitted: the key's "default" and every autoApply limit. A list:
   * exactly the key limits it names (strings) and the route policies it declares (objects).
   * false: none of the key's limits.
   */
  rateLimit?: readonly (string | RoutePolicy)[] | false;
  /** Units consumed from each limit and from the quota. @defaultValue 1 */
  cost?: number;
  /**
   * The caller's address (IPv4, IPv6 or IPv4-mapped IPv6). A key with `allowedIps` is refused
   * with `ip_not_allowed` when it is missing or outside the list.
   */
  ip?: string;
}

export interface VerifySuccess<O = unknown> {
  ok: true;
  key: ApiKey;
  /** Every limit this call consumed, in order (owner limit last). */
  rateLimit: RateLimitState[];
  /** What `resolveOwner` answered for the key's owner (cached with the key); absent without an owner or a resolver. */
  owner?: O;
}

export interface VerifyFailure {
  ok: false;
  code: VerifyFailureCode;
  status: number;
  /** Human-readable, safe to show to the caller (never contains the token). */
  message: string;
  /** Seconds until a retry can succeed (rate_limited, usage_exceeded with refill, unavailable). */
  retryAfter?: number;
  /** The key, when it was found (scope, limit and quota failures). */
  key?: ApiKey;
  /** Limit states on rate_limited (and on usage_exceeded, for the headers). */
  rateLimit?: RateLimitState[];
  /** Why, when the code alone does not say: `owner_inactive` on a `disabled_key` whose owner resolved to null. */
  reason?: "owner_inactive";
}

export type VerifyResult<O = unknown> = VerifySuccess<O> | VerifyFailure;

// ---------------------------------------------------------------------------------------------
// Events

interface EventBase {
  at: Date;
  keyId: string | null;
  ownerId: string | null;
}

export type KeywardEvent =
  | (EventBase & { type: "key.created"; key: ApiKey })
  | (EventBase & { type: "key.imported"; key: ApiKey })
  | (EventBase & { type: "key.updated"; key: ApiKey; changes: string[] })
  | (EventBase & { type: "key.rotated"; key: ApiKey; previousExpiresAt: Date | null })
  | (EventBase & { type: "key.revoked"; key: ApiKey })
  | (EventBase & { type: "key.deleted" })
  | (EventBase & { type: "key.rejected"; code: VerifyFailureCode });

export type KeywardEventType = KeywardEvent["type"];
