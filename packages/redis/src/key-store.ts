import { KeywardError } from "@keyward/core";
import type { KeyPatch, KeyStore, StoredKey, StoredSecret, UsageEntry } from "@keyward/core/store";
import { guardOf } from "./guard.js";
import { createKeyIo, dueOf } from "./key-io.js";
import { createKeyLister } from "./key-list.js";
import type { Keyspace } from "./keyspace.js";
import type { RedisClient } from "./scripts/runner.js";

const conflict = () => new KeywardError("conflict", "keyward: a key with this id or secret already exists");

/** Copies the fields a patch sets, ignoring ones given as `undefined`. */
function applyPatch(key: StoredKey, patch: KeyPatch): StoredKey {
  const next: StoredKey = { ...key };
  for (const [field, value] of Object.entries(patch)) {
    if (field === "revokedAt" && key.revokedAt !== null) continue; // revocation is permanent
    if (value !== undefined) (next as unknown as Record<string, unknown>)[field] = value;
  }
  return next;
}

/**
 * @internal The key half of `redisStore`. A verification's lookup (`findByHash`) is one
 * HMGET of the secret's entry, which carries a copy of the key record; writes go through the
 * record (see `key-io.ts`).
 */
export function createKeyStore(client: RedisClient, keys: Keyspace): KeyStore {
  const io = createKeyIo(client, keys);

  const deleteKey = async (id: string): Promise<boolean> => {
    const state = await io.read(id);
    if (!state) return false;
    // Secrets first: from here on the key no longer verifies, whatever happens next.
    await io.drop(id, state.secrets.keys());
    const existed = await io.deleteRecord(id);
    await io.unindex(state.key);
    return existed;
  };

  const lister = createKeyLister(client, keys, io, deleteKey);

  return {
    async insertKey(key: StoredKey, secret: StoredSecret): Promise<void> {
      const v = await io.write(key.id, 0, { key, set: [secret] });
      if (v < 0) throw conflict();
      if (!(await io.claim(secret, key, v))) {
        await io.deleteRecord(key.id);
        throw conflict();
      }
      await io.index(key, dueOf(key, [secret]));
    },

    async findByHash(hash: string) {
      const [secret, key] = await guardOf(client).send(() =>
        client.hmget(keys.secret(hash), "secret", "key"),
      );
      if (typeof secret !== "string" || typeof key !== "string") return null;
      return { key: JSON.parse(key) as StoredKey, secret: JSON.parse(secret) as StoredSecret };
    },

    getKey: io.getKey,

    listKeys: lister.listKeys,

    updateKey(id: string, patch: KeyPatch): Promise<StoredKey | null> {
      return io.commit(id, (state) => ({ key: applyPatch(state.key, patch) }));
    },

    async rotateKey(
      id: string,
      secret: StoredSecret,
      retireAt: number,
      current?: Pick<StoredKey, "prefix" | "start" | "last4">,
    ): Promise<StoredKey | null> {
      let claimed = false;
      const committing = io.commit(
        id,
        (state) => {
          const retired: StoredSecret[] = [];
          for (const old of state.secrets.values()) {
            if (old.expiresAt === null || old.expiresAt > retireAt)
              retired.push({ ...old, expiresAt: retireAt });
          }
          // The compare-and-set serializes rotations: one that lost the race re-reads and retires
          // the winner's secret too. The new token's prefix and start go into the same write.
          const key = { ...state.key, ...current, updatedAt: secret.createdAt };
          return { key, set: [...retired, secret] };
        },
        async (change, nextV) => {
          // The new secret's entry exists before the record lists it: never a listed secret
          // without an entry. Until the record is written it carries the key as it will be.
          if (!(await io.claim(secret, change.key, nextV))) throw conflict();
          claimed = true;
        },
      );
      let key: StoredKey | null;
      try {
        key = await committing;
      } catch (error) {
        // The write was refused (past its deadline) or failed: the claimed entry names a token
        // nobody was given; drop it (best effort).
        if (claimed) await io.drop(id, [secret.hash]).catch(() => {});
        throw error;
      }
      if (key === null && claimed) await io.drop(id, [secret.hash]);
      return key;
    },

    async rehashSecret(oldHash: string, newHash: string): Promise<void> {
      const [keyId, secretJson, keyJson, v] = await client.hmget(
        keys.secret(oldHash),
        "keyId",
        "secret",
        "key",
        "v",
      );
      if (typeof keyId !== "string" || typeof secretJson !== "string" || typeof keyJson !== "string") return;
      const secret: StoredSecret = { ...(JSON.parse(secretJson) as StoredSecret), hash: newHash };
      if (!(await io.claim(secret, JSON.parse(keyJson) as StoredKey, Number(v)))) throw conflict();
      if (!(await io.renameSecret(keyId, oldHash, secret))) {
        await io.drop(keyId, [newHash]);
        return;
      }
      await io.drop(keyId, [oldHash]);
      // A write that ran between the claim and the rename refreshed only the old entry.
      const state = await io.read(keyId);
      if (state) await io.syncAll(state.key, state.v, state.secrets.values());
    },

    deleteKey,

    async recordUsage(entries: readonly UsageEntry[]): Promise<void> {
      await Promise.all(
        entries.map((entry) =>
          io.commit(entry.id, (state) => ({
            key: {
              ...state.key,
              lastUsedAt: Math.max(state.key.lastUsedAt ?? Number.NEGATIVE_INFINITY, entry.lastUsedAt),
              usageCount: state.key.usageCount + entry.count,
            },
          })),
        ),
      );
    },

    purge: lister.purge,
  };
}
