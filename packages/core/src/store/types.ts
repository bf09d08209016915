/**
 * The storage contract. A store persists keys and performs atomic counter operations; it
 * holds no policy (the rules live in core). Every method may throw; core wraps each call in
 * the configured deadline and turns failures into `unavailable`.
 *
 * Times are epoch milliseconds. Every store must pass `runStoreContract()` from
 * `@keyward/core/testing`.
 */
import type { QuotaConfig, RateLimitAlgorithm, ResolvedRateLimit } from "../types.js";
import type { OutboxAppend, OutboxStore } from "./outbox-types.js";

/** A key as persisted. `createdAt` etc. are epoch ms. No token is ever stored. */
export interface StoredKey {
  id: string;
  name: string | null;
  ownerId: string | null;
  prefix: string;
  start: string;
  /** The token's last four characters (checksum characters only); "" when unknown. */
  last4: string;
  scopes: string[];
  metadata: Record<string, unknown>;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
  usageCount: number;
  /** null: the keyward-wide default applies; []: no limit. */
  rateLimit: ResolvedRateLimit[] | null;
  quota: QuotaConfig | null;
  /** Allowed client addresses / CIDR ranges as given; null: any address. */
  allowedIps: string[] | null;
}

/**
 * One secret of a key: the hash of a token. A key has one current secret and, after a
 * rotation, older ones that expire at the end of the grace period.
 */
export interface StoredSecret {
  /** Hex SHA-256 or HMAC-SHA-256 of the token; unique across the store. */
  hash: string;
  keyId: string;
  createdAt: number;
  /** When this secret stops verifying (end of a rotation grace period), or null. */
  expiresAt: number | null;
}

/**
 * Fields `updateKey` may change. `updatedAt` is always given. `prefix` and `start` change after
 * a rotation (they describe the current token; an imported key gains them then).
 */
export type KeyPatch = Partial<
  Pick<
    StoredKey,
    | "name"
    | "enabled"
    | "scopes"
    | "metadata"
    | "expiresAt"
    | "revokedAt"
    | "rateLimit"
    | "quota"
    | "prefix"
    | "start"
    | "last4"
    | "allowedIps"
  >
> & { updatedAt: number };

export interface ListKeysFilter {
  ownerId?: string;
  /** Exact match against one element of `scopes`. */
  scope?: string;
  enabled?: boolean;
  /** Page size (core asks for one more than it returns to know whether a next page exists). */
  limit: number;
  /** Keyset pagination: only keys whose id sorts strictly before this one. */
  beforeId?: string;
}

export interface UsageEntry {
  id: string;
  /** Latest use; the store keeps the max of this and what it has. */
  lastUsedAt: number;
  /** Uses to add to `usageCount`. */
  count: number;
}

/**
 * Keys and their secrets. The `events` argument of the writes is used only by a store whose
 * `outbox.atomicWrites` is true: it appends them in the same transaction as the change.
 */
export interface KeyStore {
  /** Inserts a key with its first secret. Throws `KeywardError("conflict")` on a duplicate id or hash. */
  insertKey(key: StoredKey, secret: StoredSecret, events?: readonly OutboxAppend[]): Promise<void>;
  /** The key owning this secret hash, with that secret; null when unknown. Expired secrets are still returned (core decides). */
  findByHash(hash: string): Promise<{ key: StoredKey; secret: StoredSecret } | null>;
  /** The key with this id, or null. */
  getKey(id: string): Promise<StoredKey | null>;
  /** Keys matching the filter, ordered by id descending (ids are time-ordered: newest first). */
  listKeys(filter: ListKeysFilter): Promise<StoredKey[]>;
  /**
   * Applies the patch; returns the updated key or null when it does not exist. Revocation is
   * permanent: a key already revoked keeps its first `revokedAt` (concurrent revokes agree).
   */
  updateKey(id: string, patch: KeyPatch, events?: readonly OutboxAppend[]): Promise<StoredKey | null>;
  /**
   * Rotation, atomically: every existing secret of the key whose `expiresAt` is null or later
   * than `retireAt` gets `expiresAt = retireAt`, then `secret` is added. Returns the key
   * (with `updatedAt` set to `secret.createdAt`) or null when it does not exist.
   *
   * Serialized per key: of concurrent rotations of one key, each retires the secrets every
   * earlier one added, so exactly one secret is left without an end. `current` (the new
   * token's `prefix` and `start`) is written in the same atomic step, so the key always
   * describes its current token; a store that ignores it gets them in a later `updateKey`.
   */
  rotateKey(
    id: string,
    secret: StoredSecret,
    retireAt: number,
    current?: Pick<StoredKey, "prefix" | "start" | "last4">,
    events?: readonly OutboxAppend[],
  ): Promise<StoredKey | null>;
  /** Pepper rotation: the secret stored under `oldHash` is re-keyed to `newHash`. */
  rehashSecret(oldHash: string, newHash: string): Promise<void>;
  /** Removes the key and its secrets (core clears its counters with `clearCounters`). False when it did not exist. */
  deleteKey(id: string, events?: readonly OutboxAppend[]): Promise<boolean>;
  /** Write-behind flush of usage: one call for a whole batch. Unknown ids are ignored. */
  recordUsage(entries: readonly UsageEntry[]): Promise<void>;
  /**
   * Housekeeping: deletes up to `batchSize` keys revoked or expired before `before`, and
   * secrets expired before `before`. Returns how many keys were removed.
   */
  purge(before: number, batchSize: number): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// Counters

/** One limit to consume, fully resolved by core. */
export interface LimitRequest {
  /** Counter name inside the partition, e.g. "k:key_123:default" or "o:org_1:owner". */
  key: string;
  limit: number;
  /** Window in ms. */
  window: number;
  algorithm: RateLimitAlgorithm;
  cost: number;
}

export interface QuotaRequest {
  /** Counter name inside the partition, e.g. "q:key_123". */
  key: string;
  config: QuotaConfig;
  cost: number;
}

/**
 * One verification's counter work. All of it happens atomically: if any limit would be
 * exceeded, or the quota cannot pay `cost`, nothing is consumed or charged at all.
 */
export interface ConsumeRequest {
  /**
   * Every counter of one request lives in one partition (the owner id, else the key id), so
   * that a clustered store can keep them on one shard (Redis Cluster hash tag).
   */
  partition: string;
  /** Core's clock. A store with its own authoritative clock (Redis TIME) may use that instead and report it in the result. */
  now: number;
  limits: readonly LimitRequest[];
  quota: QuotaRequest | null;
  /**
   * Epoch ms (wall clock, `Date.now()` scale): past it, keyward has answered the call 503, so
   * the store must consume nothing. A store checks it where the work happens — against its own
   * clock (PostgreSQL `clock_timestamp()`, Redis `TIME`) — before and after the counter work,
   * and throws instead of consuming; nothing may queue the call for later replay. keyward sets
   * it `CONSUME_SKEW_ALLOWANCE_MS` (or a quarter of `timeout`, if smaller) before its own
   * deadline, so a store clock up to that much behind the app's cannot consume a call answered 503.
   * Absent: no deadline.
   */
  deadline?: number;
}

export interface LimitResult {
  allowed: boolean;
  /** Units left after this call (or, when rejected, left now). */
  remaining: number;
  /** ms until this limit's quota is fully restored. */
  resetMs: number;
  /** ms until a call of the same cost could pass (0 when allowed). */
  retryAfterMs: number;
}

export interface QuotaResult {
  allowed: boolean;
  remaining: number;
  /** When the next refill happens (epoch ms), or null without refill. */
  refillAt: number | null;
}

/** What `consume` answers: the state of every counter after the call (charged or not). */
export interface ConsumeResult {
  /** True only when every limit and the quota allowed the call. */
  allowed: boolean;
  /** One entry per requested limit, same order. */
  limits: LimitResult[];
  quota: QuotaResult | null;
  /** The time the store used (its own clock or `request.now`). */
  now: number;
}

/** Where a quota balance lives: the key's counter partition (owner, else key id) and counter name. */
export interface QuotaRef {
  partition: string;
  key: string;
}

/**
 * Atomic counters for rate limits and quotas. The steps of each algorithm are defined once, in
 * `LIMIT_ALGORITHMS` / `evaluateQuota` (`@keyward/core/store`); a store performs exactly those
 * steps atomically (in SQL, Lua, or under a lock) and never reads a counter into Node to write
 * it back. Times are epoch ms; windows and refill intervals are ms.
 */
export interface CounterStore {
  /** Atomic, all-or-nothing consumption of limits and quota. Never read-modify-write from Node. */
  consume(request: ConsumeRequest): Promise<ConsumeResult>;
  /** Current balance (applying any refill due at `now`), without charging. A quota never seen starts full. */
  getQuota(ref: QuotaRef, config: QuotaConfig, now: number): Promise<QuotaResult>;
  /** Sets the balance (quota created or changed); the refill period restarts at `now`. */
  setQuota(ref: QuotaRef, config: QuotaConfig, remaining: number, now: number): Promise<void>;
  /** Forgets every counter of a key (its limits and quota), e.g. on delete. */
  clearCounters(partition: string, keys: readonly string[]): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Invalidation

/**
 * Carries "key X changed" between instances. Messages hold key ids only, never hashes — or
 * `owner:<ownerId>` for "owner X changed" (`invalidateOwner`); a bus passes both untouched.
 */
export interface InvalidationBus {
  /** Tells every subscribed instance (this one included) that `keyId` changed. */
  publish(keyId: string): Promise<void>;
  /** Starts listening; resolves once subscribed. The returned function stops it. */
  subscribe(listener: (keyId: string) => void): Promise<() => Promise<void>>;
}

/** What `createKeyward({ store })` takes. */
export interface KeywardStore extends KeyStore, CounterStore {
  /** A short name for logs and errors: "memory", "postgres", "redis". */
  readonly kind: string;
  /** Present when the store can reach other instances (pub/sub, LISTEN/NOTIFY). */
  readonly invalidation?: InvalidationBus;
  /** Present when the store keeps a durable outbox of lifecycle events (webhook delivery). */
  readonly outbox?: OutboxStore;
  /** Releases what the store opened itself (not a client it was given). */
  close?(): Promise<void>;
}
