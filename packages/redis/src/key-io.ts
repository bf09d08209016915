/**
 * The steps every key-store write is made of. A key lives in three places with different
 * hash tags — its record (`{keyId}`), one entry per secret (`{h:hash}`, holding a copy of the
 * record so a lookup is one round trip) and the indexes (`{idx}`) — so a write is a short
 * sequence of single-slot scripts, ordered so that an interruption never makes a key verify
 * that should not:
 *
 * - the record is the source of truth, written with optimistic concurrency (version `v`);
 * - secret entries are refreshed after the record, only ever to a newer `v`;
 * - on delete, secret entries go first, the record last.
 *
 * A write interrupted by a failure throws. The record then shows `s` (the version every secret
 * entry holds) below `v`, and the next `getKey` or write of that key refreshes the entries
 * before answering — so a revoke retried after a failure always reaches `findByHash`.
 */
import { KeywardError } from "@keyward/core";
import { currentStoreDeadline, deadlinePassed, type StoredKey, type StoredSecret } from "@keyward/core/store";
import { guardOf } from "./guard.js";
import type { Keyspace } from "./keyspace.js";
import {
  CLAIM_SECRET_LUA,
  DELETE_KEY_LUA,
  DROP_SECRET_LUA,
  INDEX_LUA,
  MARK_SYNCED_LUA,
  READ_KEY_LUA,
  RENAME_SECRET_LUA,
  SYNC_SECRET_LUA,
  WRITE_KEY_LUA,
} from "./scripts/keys.js";
import { defineScript, type RedisClient } from "./scripts/runner.js";

/** A key record with its version and its secrets by hash. */
interface KeyState {
  key: StoredKey;
  v: number;
  /** The version every secret entry is known to hold (below `v` after an interrupted write). */
  synced: number;
  secrets: Map<string, StoredSecret>;
}

/** What a mutation wants written. */
interface KeyChange {
  key: StoredKey;
  /** Secrets to add or replace. */
  set?: StoredSecret[];
  /** Secret hashes to remove. */
  remove?: string[];
}

const MAX_ATTEMPTS = 64;

/** The earliest time the key becomes purgeable, or null: revoke, expiry, a retiring secret. */
export function dueOf(key: StoredKey, secrets: Iterable<StoredSecret>): number | null {
  let due: number | null = null;
  const consider = (at: number | null) => {
    if (at !== null && (due === null || at < due)) due = at;
  };
  consider(key.revokedAt);
  consider(key.expiresAt);
  for (const secret of secrets) consider(secret.expiresAt);
  return due;
}

/** Low-level key I/O over one client and keyspace. */
export function createKeyIo(client: RedisClient, keys: Keyspace) {
  const scripts = {
    read: defineScript(client, "keyward:read-key", READ_KEY_LUA),
    write: defineScript(client, "keyward:write-key", WRITE_KEY_LUA),
    remove: defineScript(client, "keyward:delete-key", DELETE_KEY_LUA),
    rename: defineScript(client, "keyward:rename-secret", RENAME_SECRET_LUA),
    claim: defineScript(client, "keyward:claim-secret", CLAIM_SECRET_LUA),
    sync: defineScript(client, "keyward:sync-secret", SYNC_SECRET_LUA),
    drop: defineScript(client, "keyward:drop-secret", DROP_SECRET_LUA),
    index: defineScript(client, "keyward:index", INDEX_LUA),
    synced: defineScript(client, "keyward:mark-synced", MARK_SYNCED_LUA),
  };
  const recordKeys = (id: string) => [keys.key(id), keys.secrets(id)];

  const io = {
    async read(id: string): Promise<KeyState | null> {
      const reply = (await scripts.read.run(recordKeys(id), [])) as (string | number | null)[];
      const json = reply[0];
      if (typeof json !== "string") return null;
      const secrets = new Map<string, StoredSecret>();
      for (let i = 3; i + 1 < reply.length; i += 2) {
        secrets.set(String(reply[i]), JSON.parse(String(reply[i + 1])) as StoredSecret);
      }
      return { key: JSON.parse(json) as StoredKey, v: Number(reply[1]), synced: Number(reply[2]), secrets };
    },

    /**
     * Compare-and-set of the record; the new v, or -1 when it moved (or exists, for v = 0).
     * Past `deadline` (keyward's, by default the current store call's) it changes nothing.
     */
    async write(
      id: string,
      expected: number,
      change: KeyChange,
      deadline = currentStoreDeadline(),
    ): Promise<number> {
      const set = change.set ?? [];
      const args: (string | number)[] = [deadline ?? "", expected, JSON.stringify(change.key), set.length];
      for (const secret of set) args.push(secret.hash, JSON.stringify(secret));
      args.push(...(change.remove ?? []));
      try {
        return Number(await scripts.write.run(recordKeys(id), args));
      } catch (error) {
        if (error instanceof Error && error.message.startsWith("KWDEADLINE")) throw deadlinePassed();
        throw error;
      }
    },

    async deleteRecord(id: string): Promise<boolean> {
      return Number(await scripts.remove.run(recordKeys(id), [])) === 1;
    },

    async renameSecret(id: string, oldHash: string, secret: StoredSecret): Promise<boolean> {
      const reply = await scripts.rename.run(recordKeys(id), [oldHash, secret.hash, JSON.stringify(secret)]);
      return Number(reply) === 1;
    },

    /** Claims a secret entry for a key; false when another key holds the hash. */
    async claim(secret: StoredSecret, key: StoredKey, v: number): Promise<boolean> {
      const args = [key.id, JSON.stringify(secret), JSON.stringify(key), v];
      return Number(await scripts.claim.run([keys.secret(secret.hash)], args)) === 1;
    },

    /** Refreshes every secret entry of the key to version v, then marks the record synced. */
    async syncAll(key: StoredKey, v: number, secrets: Iterable<StoredSecret>): Promise<void> {
      const json = JSON.stringify(key);
      await Promise.all(
        [...secrets].map((secret) =>
          scripts.sync.run([keys.secret(secret.hash)], [key.id, JSON.stringify(secret), json, v]),
        ),
      );
      await io.markSynced(key.id, v);
    },

    /** Records that every secret entry of the key holds version v. */
    async markSynced(id: string, v: number): Promise<void> {
      await scripts.synced.run([keys.key(id)], [v]);
    },

    /**
     * The key record; when an earlier write was interrupted before its secret entries were
     * refreshed, refreshes them first, so a revoke retried after a failure always reaches the
     * entries `findByHash` reads.
     */
    async getKey(id: string): Promise<StoredKey | null> {
      const [json, v, synced] = await guardOf(client).send(() =>
        client.hmget(keys.key(id), "json", "v", "s"),
      );
      if (typeof json !== "string") return null;
      if (v === synced) return JSON.parse(json) as StoredKey;
      const state = await io.read(id);
      if (!state) return null;
      if (state.v !== state.synced) await io.syncAll(state.key, state.v, state.secrets.values());
      return state.key;
    },

    async drop(keyId: string, hashes: Iterable<string>): Promise<void> {
      await Promise.all([...hashes].map((hash) => scripts.drop.run([keys.secret(hash)], [keyId])));
    },

    async index(key: Pick<StoredKey, "id" | "ownerId">, due: number | null): Promise<void> {
      const indexKeys = [keys.all(), keys.due()];
      if (key.ownerId !== null) indexKeys.push(keys.owner(key.ownerId));
      await scripts.index.run(indexKeys, ["add", key.id, due === null ? "" : due]);
    },

    async unindex(key: Pick<StoredKey, "id" | "ownerId">): Promise<void> {
      const indexKeys = [keys.all(), keys.due()];
      if (key.ownerId !== null) indexKeys.push(keys.owner(key.ownerId));
      await scripts.index.run(indexKeys, ["del", key.id, ""]);
    },

    /**
     * Read, mutate, compare-and-set, retried while other writers move the record; then the
     * secret copies and (when it changed) the purge index follow. `mutate` returning null
     * leaves the key as it is. `beforeWrite` runs before each attempt's compare-and-set with
     * the version that write will produce (rotation claims its new secret there).
     */
    async commit(
      id: string,
      mutate: (state: KeyState) => KeyChange | null,
      beforeWrite?: (change: KeyChange, nextV: number) => Promise<void>,
    ): Promise<StoredKey | null> {
      // Captured now: the writes below run after awaits, outside keyward's synchronous call.
      const deadline = currentStoreDeadline();
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const state = await io.read(id);
        if (!state) return null;
        const change = mutate(state);
        if (!change) return state.key;
        await beforeWrite?.(change, state.v + 1);
        const v = await io.write(id, state.v, change, deadline);
        if (v < 0) {
          // Another writer moved the record first: back off a little, then start over.
          if (attempt > 2) await new Promise((resolve) => setTimeout(resolve, Math.random() * attempt));
          continue;
        }
        const secrets = new Map(state.secrets);
        for (const hash of change.remove ?? []) secrets.delete(hash);
        for (const secret of change.set ?? []) secrets.set(secret.hash, secret);
        await io.syncAll(change.key, v, secrets.values());
        const before = dueOf(state.key, state.secrets.values());
        const after = dueOf(change.key, secrets.values());
        if (before !== after) await io.index(change.key, after);
        return change.key;
      }
      throw new KeywardError("conflict", `keyward: key ${id} is being changed concurrently; try again`);
    },
  };
  return io;
}

/** The key I/O helper type. */
export type KeyIo = ReturnType<typeof createKeyIo>;
