import { checkOptionNames } from "../../options/check.js";
import type { KeywardStore } from "../types.js";
import { createMemoryCounterStore, type MemoryCounterOptions } from "./counters.js";
import { createMemoryKeyStore } from "./keys.js";
import { createMemoryOutbox } from "./outbox.js";

export interface MemoryStoreOptions extends MemoryCounterOptions {}

/**
 * An in-process store: keys in Maps, counters in O(1) per call with idle state reclaimed, and an
 * outbox of lifecycle events written in the same step as each key change (`atomicWrites`).
 * Zero setup; for tests, demos and single-instance services.
 *
 * @example
 * const keyward = createKeyward({ store: memoryStore() });
 */
export function memoryStore(options: MemoryStoreOptions = {}): KeywardStore {
  checkOptionNames(options, ["sweepInterval"], "memoryStore()");
  const outbox = createMemoryOutbox();
  const keys = createMemoryKeyStore(outbox.appendNow);
  const counters = createMemoryCounterStore(options);
  const { appendNow: _internal, ...publicOutbox } = outbox;
  return {
    kind: "memory",
    outbox: publicOutbox,
    insertKey: keys.insertKey,
    findByHash: keys.findByHash,
    getKey: keys.getKey,
    listKeys: keys.listKeys,
    updateKey: keys.updateKey,
    rotateKey: keys.rotateKey,
    rehashSecret: keys.rehashSecret,
    deleteKey: keys.deleteKey,
    recordUsage: keys.recordUsage,
    purge: keys.purge,
    consume: counters.consume,
    getQuota: counters.getQuota,
    setQuota: counters.setQuota,
    clearCounters: counters.clearCounters,
    async close() {
      counters.close();
    },
  };
}
