/**
 * Listing and housekeeping: the not-hot paths. Both walk a sorted set in the `{idx}` slot and
 * then read records one by one (each its own single-slot command, sent without waiting).
 */
import type { ListKeysFilter, StoredKey } from "@keyward/core/store";
import { guardOf } from "./guard.js";
import { dueOf, type KeyIo } from "./key-io.js";
import type { Keyspace } from "./keyspace.js";
import type { RedisClient } from "./scripts/runner.js";

const matches = (key: StoredKey, filter: ListKeysFilter): boolean =>
  (filter.scope === undefined || key.scopes.includes(filter.scope)) &&
  (filter.enabled === undefined || key.enabled === filter.enabled);

/** @internal listKeys and purge over the indexes. */
export function createKeyLister(
  client: RedisClient,
  keys: Keyspace,
  io: KeyIo,
  deleteKey: (id: string) => Promise<boolean>,
) {
  const getKey = io.getKey;

  return {
    /** Newest first (ids descending, byte order), keyset-paginated by `beforeId`. */
    async listKeys(filter: ListKeysFilter): Promise<StoredKey[]> {
      const index = filter.ownerId !== undefined ? keys.owner(filter.ownerId) : keys.all();
      const filtered = filter.scope !== undefined || filter.enabled !== undefined;
      const chunk = filtered ? Math.max(100, filter.limit) : filter.limit;
      const out: StoredKey[] = [];
      let upper = filter.beforeId !== undefined ? `(${filter.beforeId}` : "+";
      while (out.length < filter.limit) {
        const ids = await guardOf(client).send(() =>
          client.zrevrangebylex(index, upper, "-", "LIMIT", 0, chunk),
        );
        if (ids.length === 0) break;
        const records = await Promise.all(ids.map(getKey));
        for (const key of records) {
          if (key && matches(key, filter)) out.push(key);
          if (out.length === filter.limit) break;
        }
        if (ids.length < chunk) break;
        upper = `(${ids[ids.length - 1]}`;
      }
      return out;
    },

    /**
     * Deletes up to `batchSize` keys revoked or expired before `before` and removes secrets
     * that expired before it, guided by the purge index (score = earliest such time). Every
     * candidate either goes away or is re-scored at or after `before`, so the walk ends.
     */
    async purge(before: number, batchSize: number): Promise<number> {
      let removed = 0;
      while (removed < batchSize) {
        const ids = await client.zrangebyscore(keys.due(), "-inf", `(${before}`, "LIMIT", 0, batchSize);
        if (ids.length === 0) break;
        for (const id of ids) {
          if (removed >= batchSize) break;
          const state = await io.read(id);
          if (!state) {
            await client.zrem(keys.due(), id);
            continue;
          }
          const { key } = state;
          const dead =
            (key.revokedAt !== null && key.revokedAt < before) ||
            (key.expiresAt !== null && key.expiresAt < before);
          if (dead) {
            if (await deleteKey(id)) removed++;
            else await client.zrem(keys.due(), id);
            continue;
          }
          const expired = [...state.secrets.values()]
            .filter((secret) => secret.expiresAt !== null && secret.expiresAt < before)
            .map((secret) => secret.hash);
          if (expired.length === 0) {
            await io.index(key, dueOf(key, state.secrets.values()));
            continue;
          }
          await io.drop(id, expired);
          await io.commit(id, (current) => ({ key: current.key, remove: expired }));
        }
      }
      return removed;
    },
  };
}
