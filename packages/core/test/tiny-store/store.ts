/**
 * A whole keyward store in one small file, written only from what `@keyward/core/store`
 * exports — the proof that a store author needs nothing else (no copy of the rate-limit or
 * quota math). Keys live in a Map; counters apply the reference math, all-or-nothing.
 * `../tiny-store.test.ts` runs the full store contract against it.
 */
import {
  type ConsumeRequest,
  type ConsumeResult,
  deadlinePassed,
  evaluateLimit,
  evaluateQuota,
  KeywardError,
  type KeywardStore,
  LIMIT_ALGORITHMS,
  type LimitState,
  type QuotaState,
  quotaRefillAt,
  readQuota,
  type StoredKey,
  type StoredSecret,
} from "../../src/subpaths/store.js";

const copy = <T>(value: T): T => structuredClone(value);

export function tinyStore(): KeywardStore {
  const keys = new Map<string, StoredKey>();
  const secrets = new Map<string, StoredSecret>();
  const counters = new Map<string, LimitState | QuotaState>();
  const counter = (partition: string, key: string) => `${partition}\u0000${key}`;

  return {
    kind: "tiny",
    async insertKey(key, secret) {
      if (keys.has(key.id) || secrets.has(secret.hash)) throw new KeywardError("conflict", "duplicate key");
      keys.set(key.id, copy(key));
      secrets.set(secret.hash, copy(secret));
    },
    async findByHash(hash) {
      const secret = secrets.get(hash);
      const key = secret && keys.get(secret.keyId);
      return key && secret ? { key: copy(key), secret: copy(secret) } : null;
    },
    async getKey(id) {
      const key = keys.get(id);
      return key ? copy(key) : null;
    },
    async listKeys(filter) {
      return [...keys.values()]
        .filter(
          (key) =>
            (filter.ownerId === undefined || key.ownerId === filter.ownerId) &&
            (filter.scope === undefined || key.scopes.includes(filter.scope)) &&
            (filter.enabled === undefined || key.enabled === filter.enabled) &&
            (filter.beforeId === undefined || key.id < filter.beforeId),
        )
        .sort((a, b) => (a.id < b.id ? 1 : -1))
        .slice(0, filter.limit)
        .map(copy);
    },
    async updateKey(id, patch) {
      const key = keys.get(id);
      if (!key) return null;
      for (const [field, value] of Object.entries(patch)) {
        if (field === "revokedAt" && key.revokedAt !== null) continue; // the first revocation time stays
        if (value !== undefined) (key as unknown as Record<string, unknown>)[field] = copy(value);
      }
      return copy(key);
    },
    async rotateKey(id, secret, retireAt) {
      const key = keys.get(id);
      if (!key) return null;
      if (secrets.has(secret.hash)) throw new KeywardError("conflict", "duplicate secret");
      for (const existing of secrets.values()) {
        if (existing.keyId === id && (existing.expiresAt === null || existing.expiresAt > retireAt)) {
          existing.expiresAt = retireAt;
        }
      }
      secrets.set(secret.hash, copy(secret));
      key.updatedAt = secret.createdAt;
      return copy(key);
    },
    async rehashSecret(oldHash, newHash) {
      const secret = secrets.get(oldHash);
      if (!secret || secrets.has(newHash)) return;
      secrets.delete(oldHash);
      secrets.set(newHash, { ...secret, hash: newHash });
    },
    async deleteKey(id) {
      for (const [hash, secret] of secrets) if (secret.keyId === id) secrets.delete(hash);
      return keys.delete(id);
    },
    async recordUsage(entries) {
      for (const entry of entries) {
        const key = keys.get(entry.id);
        if (!key) continue;
        key.usageCount += entry.count;
        key.lastUsedAt = Math.max(key.lastUsedAt ?? 0, entry.lastUsedAt);
      }
    },
    async purge(before, batchSize) {
      let removed = 0;
      for (const [hash, secret] of secrets) {
        if (secret.expiresAt !== null && secret.expiresAt < before) secrets.delete(hash);
      }
      for (const key of [...keys.values()]) {
        if (removed >= batchSize) break;
        const ended = [key.revokedAt, key.expiresAt].some((at) => at !== null && at < before);
        if (ended && (await this.deleteKey(key.id))) removed++;
      }
      return removed;
    },

    async consume(request: ConsumeRequest): Promise<ConsumeResult> {
      // A call that starts after its deadline was already answered 503: it must not count.
      if (request.deadline !== undefined && Date.now() > request.deadline) throw deadlinePassed();
      const { partition, now } = request;
      const limits = request.limits.map((limit) => {
        const algorithm = LIMIT_ALGORITHMS[limit.algorithm];
        const stored = counters.get(counter(partition, limit.key)) as LimitState | undefined;
        return { limit, algorithm, ...evaluateLimit(algorithm, stored, limit, now) };
      });
      const quota = request.quota;
      const quotaState =
        quota &&
        evaluateQuota(
          counters.get(counter(partition, quota.key)) as QuotaState | undefined,
          quota.config,
          quota.cost,
          now,
        );
      const allowed = limits.every((l) => l.admits) && (quotaState === null || quotaState.admits);
      if (allowed) {
        for (const l of limits)
          counters.set(counter(partition, l.limit.key), l.algorithm.consume(l.rolled, l.limit));
        if (quota && quotaState) {
          const charged = { ...quotaState.rolled, remaining: quotaState.rolled.remaining - quota.cost };
          counters.set(counter(partition, quota.key), charged);
        }
      }
      return {
        allowed,
        now,
        limits: limits.map(({ limit, algorithm, rolled, t, admits }) => {
          const after = allowed ? algorithm.consume(rolled, limit) : rolled;
          return {
            allowed: admits,
            remaining: algorithm.remaining(after, limit, t),
            resetMs: algorithm.resetMs(after, limit, t),
            retryAfterMs: admits ? 0 : algorithm.retryAfterMs(rolled, limit, t),
          };
        }),
        quota:
          quota && quotaState
            ? {
                allowed: quotaState.admits,
                remaining: quotaState.rolled.remaining - (allowed ? quota.cost : 0),
                refillAt: quotaRefillAt(quotaState.rolled, quota.config),
              }
            : null,
      };
    },
    async getQuota(ref, config, now) {
      return readQuota(counters.get(counter(ref.partition, ref.key)) as QuotaState | undefined, config, now);
    },
    async setQuota(ref, _config, remaining, now) {
      counters.set(counter(ref.partition, ref.key), { remaining, periodStart: now });
    },
    async clearCounters(partition, names) {
      for (const name of names) counters.delete(counter(partition, name));
    },
  };
}
