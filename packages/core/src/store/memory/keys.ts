/**
 * The memory key store: keys by id and secrets by hash in Maps (findByHash is O(1)), plus an
 * ascending array of ids for listing newest-first with keyset pagination. Every value is
 * deep-copied on the way in and out, so callers can never mutate stored state.
 */
import { KeywardError } from "../../errors/index.js";
import type { OutboxAppend } from "../outbox-types.js";
import type { KeyPatch, KeyStore, ListKeysFilter, StoredKey, StoredSecret, UsageEntry } from "../types.js";

const copy = <T>(value: T): T => structuredClone(value);

/**
 * Creates an empty in-process key store. Every method runs synchronously, hence atomically: a
 * write that changes something hands its lifecycle events to `append` (the memory outbox) in
 * the same step.
 */
export function createMemoryKeyStore(
  append: (entries: readonly OutboxAppend[]) => void = () => {},
): KeyStore {
  const record = (events: readonly OutboxAppend[] | undefined): void => {
    if (events !== undefined && events.length > 0) append(events);
  };
  const keys = new Map<string, StoredKey>();
  const secrets = new Map<string, StoredSecret>();
  // The hashes of each key's secrets: one string for a key never rotated (most keys), a Set
  // once it has several. A Set per key would be about a quarter of a stored key's heap.
  const secretsOf = new Map<string, string | Set<string>>();
  const ids: string[] = []; // ascending

  const position = (id: string): number => {
    let low = 0;
    let high = ids.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (ids[mid]! < id) low = mid + 1;
      else high = mid;
    }
    return low;
  };

  const hashesOf = (id: string): readonly string[] => {
    const held = secretsOf.get(id);
    return held === undefined ? [] : typeof held === "string" ? [held] : [...held];
  };

  const forgetHash = (id: string, hash: string): void => {
    const held = secretsOf.get(id);
    if (held === hash) secretsOf.delete(id);
    else if (typeof held === "object") held.delete(hash);
  };

  // Map keys are the stored copies' own strings, so each hash and id is held once.
  const addSecret = (secret: StoredSecret): void => {
    const stored = copy(secret);
    secrets.set(stored.hash, stored);
    const held = secretsOf.get(stored.keyId);
    if (held === undefined) secretsOf.set(stored.keyId, stored.hash);
    else if (typeof held === "string") secretsOf.set(stored.keyId, new Set([held, stored.hash]));
    else held.add(stored.hash);
  };

  const removeKey = (id: string): void => {
    keys.delete(id);
    for (const hash of hashesOf(id)) secrets.delete(hash);
    secretsOf.delete(id);
    const at = position(id);
    if (ids[at] === id) ids.splice(at, 1);
  };

  const matches = (key: StoredKey, filter: ListKeysFilter): boolean =>
    (filter.ownerId === undefined || key.ownerId === filter.ownerId) &&
    (filter.enabled === undefined || key.enabled === filter.enabled) &&
    (filter.scope === undefined || key.scopes.includes(filter.scope));

  return {
    async insertKey(key: StoredKey, secret: StoredSecret, events?: readonly OutboxAppend[]): Promise<void> {
      if (keys.has(key.id))
        throw new KeywardError("conflict", `keyward: a key with id ${key.id} already exists`);
      if (secrets.has(secret.hash))
        throw new KeywardError("conflict", "keyward: a key with this token already exists");
      const stored = copy(key);
      keys.set(stored.id, stored);
      addSecret({ ...secret, keyId: stored.id });
      ids.splice(position(stored.id), 0, stored.id);
      record(events);
    },

    async findByHash(hash: string) {
      const secret = secrets.get(hash);
      const key = secret && keys.get(secret.keyId);
      return secret && key ? { key: copy(key), secret: copy(secret) } : null;
    },

    async getKey(id: string) {
      const key = keys.get(id);
      return key ? copy(key) : null;
    },

    async listKeys(filter: ListKeysFilter) {
      const out: StoredKey[] = [];
      let at = (filter.beforeId === undefined ? ids.length : position(filter.beforeId)) - 1;
      for (; at >= 0 && out.length < filter.limit; at--) {
        const key = keys.get(ids[at]!)!;
        if (matches(key, filter)) out.push(copy(key));
      }
      return out;
    },

    async updateKey(id: string, patch: KeyPatch, events?: readonly OutboxAppend[]) {
      const key = keys.get(id);
      if (!key) return null;
      for (const [field, value] of Object.entries(copy(patch))) {
        if (field === "revokedAt" && key.revokedAt !== null) continue; // revocation is permanent
        if (value !== undefined) (key as unknown as Record<string, unknown>)[field] = value;
      }
      record(events);
      return copy(key);
    },

    async rotateKey(
      id: string,
      secret: StoredSecret,
      retireAt: number,
      current?: Pick<StoredKey, "prefix" | "start" | "last4">,
      events?: readonly OutboxAppend[],
    ) {
      const key = keys.get(id);
      if (!key) return null;
      if (secrets.has(secret.hash))
        throw new KeywardError("conflict", "keyward: a key with this token already exists");
      for (const hash of hashesOf(id)) {
        const old = secrets.get(hash)!;
        if (old.expiresAt === null || old.expiresAt > retireAt) old.expiresAt = retireAt;
      }
      addSecret({ ...secret, keyId: id });
      key.updatedAt = secret.createdAt;
      if (current) {
        key.prefix = current.prefix;
        key.start = current.start;
        key.last4 = current.last4;
      }
      record(events);
      return copy(key);
    },

    async rehashSecret(oldHash: string, newHash: string) {
      const secret = secrets.get(oldHash);
      if (!secret || oldHash === newHash) return;
      secrets.delete(oldHash);
      forgetHash(secret.keyId, oldHash);
      if (!secrets.has(newHash)) addSecret({ ...secret, hash: newHash });
    },

    async deleteKey(id: string, events?: readonly OutboxAppend[]) {
      if (!keys.has(id)) return false;
      removeKey(id);
      record(events);
      return true;
    },

    async recordUsage(entries: readonly UsageEntry[]) {
      for (const entry of entries) {
        const key = keys.get(entry.id);
        if (!key) continue;
        key.lastUsedAt = Math.max(key.lastUsedAt ?? entry.lastUsedAt, entry.lastUsedAt);
        key.usageCount += entry.count;
      }
    },

    async purge(before: number, batchSize: number) {
      let removed = 0;
      for (const id of [...ids]) {
        if (removed >= batchSize) break;
        const key = keys.get(id)!;
        const dead =
          (key.revokedAt !== null && key.revokedAt < before) ||
          (key.expiresAt !== null && key.expiresAt < before);
        if (dead) {
          removeKey(id);
          removed++;
        }
      }
      for (const [hash, secret] of secrets) {
        if (secret.expiresAt !== null && secret.expiresAt < before) {
          secrets.delete(hash);
          forgetHash(secret.keyId, hash);
        }
      }
      return removed;
    },
  };
}
