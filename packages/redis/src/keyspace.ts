/**
 * Where everything lives in Redis. Every key a single command or script touches shares one
 * hash tag (the part in braces), so Redis Cluster always sees a single-slot call:
 *
 * | key | holds | tag |
 * |---|---|---|
 * | `<prefix>:{<partition>}:<counter>` | one limit or quota counter (hash) | partition (owner id, else key id) |
 * | `<prefix>:{<keyId>}:key` | the key record (hash: `json`, version `v`, synced version `s`) | key id |
 * | `<prefix>:{<keyId>}:secrets` | the key's secrets (hash: secret hash → JSON) | key id |
 * | `<prefix>:{h:<hash>}` | one secret: key id, secret, a copy of the key record | secret hash |
 * | `<prefix>:{idx}:all`, `:{idx}:owner:<ownerId>` | listing indexes (sorted sets, by id) | `idx` |
 * | `<prefix>:{idx}:due` | purge index (sorted set, score = earliest revoke/expiry) | `idx` |
 * | `<prefix>:{outbox}:<part>` | the outbox of lifecycle events (see scripts/outbox.ts) | `outbox` |
 * | `<prefix>:invalidate` | pub/sub channel (not a key) | — |
 */

/**
 * Ids are written inside a hash tag. A `{` or `}` in an owner id would end the tag early (or
 * leave it empty, which makes Redis hash the whole key), so those characters and `%` are
 * percent-encoded. Ids without them are used as they are.
 */
export function tagSafe(id: string): string {
  if (id === "") return "%";
  return /[{}%]/.test(id)
    ? id.replace(/[{}%]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    : id;
}

/** Builds every Redis key and channel name of one prefix. */
export interface Keyspace {
  readonly prefix: string;
  /** A counter of one partition. */
  counter(partition: string, counterKey: string): string;
  /** The key record. */
  key(keyId: string): string;
  /** The key's secrets (same tag as the record). */
  secrets(keyId: string): string;
  /** The entry a secret hash resolves through. */
  secret(hash: string): string;
  /** Listing index of every key. */
  all(): string;
  /** Listing index of one owner's keys. */
  owner(ownerId: string): string;
  /** Purge index: keys with a revoke, expiry or retiring secret, scored by the earliest. */
  due(): string;
  /** One key of the outbox; every part shares the tag `{outbox}`, so each script is single-slot. */
  outbox(part: string): string;
  /** The invalidation channel. */
  channel(): string;
}

/** The keyspace of one prefix. The prefix has been validated (no braces). */
export function keyspace(prefix: string): Keyspace {
  return {
    prefix,
    counter: (partition, counterKey) => `${prefix}:{${tagSafe(partition)}}:${counterKey}`,
    key: (keyId) => `${prefix}:{${tagSafe(keyId)}}:key`,
    secrets: (keyId) => `${prefix}:{${tagSafe(keyId)}}:secrets`,
    secret: (hash) => `${prefix}:{h:${hash}}`,
    all: () => `${prefix}:{idx}:all`,
    owner: (ownerId) => `${prefix}:{idx}:owner:${ownerId}`,
    due: () => `${prefix}:{idx}:due`,
    outbox: (part) => `${prefix}:{outbox}:${part}`,
    channel: () => `${prefix}:invalidate`,
  };
}

/**
 * Checks the `prefix` option once, at construction.
 * @throws TypeError naming the option when it is not a non-empty string without braces.
 */
export function resolvePrefix(prefix: unknown, where: string): string {
  if (prefix === undefined) return "keyward";
  if (typeof prefix !== "string" || prefix === "" || /[{}\s]/.test(prefix)) {
    throw new TypeError(
      `${where}: option "prefix" must be a non-empty string without braces or whitespace (got ${JSON.stringify(prefix)})`,
    );
  }
  return prefix;
}
