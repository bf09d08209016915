/**
 * Combining stores: keys from one backend, counters (and invalidation) from another — for
 * example keys in PostgreSQL, rate limits and cross-instance invalidation in Redis.
 */
import type { CounterStore, InvalidationBus, KeyStore, KeywardStore } from "./types.js";

/** What `composeStores` takes. Whole stores are fine for either half: only the needed methods are used. */
export interface ComposeStoresOptions {
  /** Where keys and their secrets live (and, unless `counters` is given one, nothing else). */
  keys: KeyStore & {
    readonly kind?: string;
    readonly invalidation?: InvalidationBus;
    close?(): Promise<void>;
  };
  /** Where rate-limit and quota counters live. */
  counters: CounterStore & {
    readonly kind?: string;
    readonly invalidation?: InvalidationBus;
    close?(): Promise<void>;
  };
  /**
   * The invalidation bus. Defaults to the keys store's bus, else the counters store's.
   * Pass `null` to run without one.
   */
  invalidation?: InvalidationBus | null;
}

/**
 * One `KeywardStore` from a key store and a counter store. `close()` closes both (each closes
 * only what it opened itself).
 *
 * @example
 * const store = composeStores({
 *   keys: postgresStore({ client: pool }),
 *   counters: redisStore({ client: redis }),  // its invalidation bus is used too
 * });
 * const keyward = createKeyward({ store });
 */
export function composeStores(options: ComposeStoresOptions): KeywardStore {
  const { keys, counters } = options;
  if (typeof keys !== "object" || keys === null || typeof keys.insertKey !== "function") {
    throw new TypeError('keyward: option "keys" must be a key store');
  }
  if (typeof counters !== "object" || counters === null || typeof counters.consume !== "function") {
    throw new TypeError('keyward: option "counters" must be a counter store');
  }
  const invalidation =
    options.invalidation === undefined ? (keys.invalidation ?? counters.invalidation) : options.invalidation;
  const kind =
    keys.kind === counters.kind
      ? (keys.kind ?? "composed")
      : `${keys.kind ?? "keys"}+${counters.kind ?? "counters"}`;
  return {
    kind,
    ...(invalidation ? { invalidation } : {}),
    insertKey: (key, secret) => keys.insertKey(key, secret),
    findByHash: (hash) => keys.findByHash(hash),
    getKey: (id) => keys.getKey(id),
    listKeys: (filter) => keys.listKeys(filter),
    updateKey: (id, patch) => keys.updateKey(id, patch),
    rotateKey: (id, secret, retireAt, current) => keys.rotateKey(id, secret, retireAt, current),
    rehashSecret: (oldHash, newHash) => keys.rehashSecret(oldHash, newHash),
    deleteKey: (id) => keys.deleteKey(id),
    recordUsage: (entries) => keys.recordUsage(entries),
    purge: (before, batchSize) => keys.purge(before, batchSize),
    consume: (request) => counters.consume(request),
    getQuota: (ref, config, now) => counters.getQuota(ref, config, now),
    setQuota: (ref, config, remaining, now) => counters.setQuota(ref, config, remaining, now),
    clearCounters: (partition, names) => counters.clearCounters(partition, names),
    async close() {
      const closing = [keys.close?.(), counters === (keys as unknown) ? undefined : counters.close?.()];
      await Promise.all(closing);
    },
  };
}
