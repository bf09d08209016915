/**
 * Combining stores: keys from one backend, counters (and invalidation) from another — for
 * example keys in PostgreSQL, rate limits and cross-instance invalidation in Redis.
 */
import type { OutboxStore } from "./outbox-types.js";
import type { CounterStore, InvalidationBus, KeyStore, KeywardStore } from "./types.js";

/** What `composeStores` takes. Whole stores are fine for either half: only the needed methods are used. */
export interface ComposeStoresOptions {
  /** Where keys and their secrets live, and the outbox of lifecycle events (written with the keys). */
  keys: KeyStore & {
    readonly kind?: string;
    readonly invalidation?: InvalidationBus;
    readonly outbox?: OutboxStore;
    close?(): Promise<void>;
  };
  /** Where rate-limit and quota counters live. */
  counters: CounterStore & {
    readonly kind?: string;
    readonly invalidation?: InvalidationBus;
    /** Used only when the key store keeps no outbox; its writes then cannot be atomic with key changes. */
    readonly outbox?: OutboxStore;
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
  // Events are appended with key writes only by the store that holds the keys.
  const outbox = keys.outbox ?? (counters.outbox && appendingAfterWrites(counters.outbox));
  return {
    kind,
    ...(invalidation ? { invalidation } : {}),
    ...(outbox ? { outbox } : {}),
    insertKey: (key, secret, events) => keys.insertKey(key, secret, events),
    findByHash: (hash) => keys.findByHash(hash),
    getKey: (id) => keys.getKey(id),
    listKeys: (filter) => keys.listKeys(filter),
    updateKey: (id, patch, events) => keys.updateKey(id, patch, events),
    rotateKey: (id, secret, retireAt, current, events) =>
      keys.rotateKey(id, secret, retireAt, current, events),
    rehashSecret: (oldHash, newHash) => keys.rehashSecret(oldHash, newHash),
    deleteKey: (id, events) => keys.deleteKey(id, events),
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

/** The counter store's outbox, used apart from key writes (core appends after each write). */
function appendingAfterWrites(outbox: OutboxStore): OutboxStore {
  return {
    atomicWrites: false,
    append: (entries) => outbox.append(entries),
    lease: (now, leaseMs, limit) => outbox.lease(now, leaseMs, limit),
    finish: (eventId, endpoint, lease, outcome) => outbox.finish(eventId, endpoint, lease, outcome),
    retry: (eventId, now) => outbox.retry(eventId, now),
    list: (query) => outbox.list(query),
    stats: (now) => outbox.stats(now),
    prune: (before, batchSize) => outbox.prune(before, batchSize),
  };
}
