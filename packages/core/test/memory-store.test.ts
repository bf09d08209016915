import { composeStores, createKeyward, memoryStore } from "@keyward/core";
import type { InvalidationBus } from "@keyward/core/store";
import { runStoreContract } from "@keyward/core/testing";
import { describe, expect, it } from "vitest";

/** An in-process bus with the delivery semantics of pub/sub: asynchronous, to every subscriber. */
function localBus(): InvalidationBus & { subscribers: number } {
  const listeners = new Set<(keyId: string) => void>();
  return {
    get subscribers() {
      return listeners.size;
    },
    async publish(keyId) {
      for (const listener of listeners) setImmediate(() => listener(keyId));
    },
    async subscribe(listener) {
      listeners.add(listener);
      return async () => {
        listeners.delete(listener);
      };
    },
  };
}

describe("composeStores", () => {
  it("sends key calls to the key store and counter calls to the counter store", async () => {
    const keys = memoryStore();
    const counters = memoryStore();
    const store = composeStores({ keys, counters });
    expect(store.kind).toBe("memory");
    const keyward = createKeyward({ store, rateLimit: { limit: 1, window: "1m" } });
    const { token, key } = await keyward.create();
    expect(await keys.getKey(key.id)).not.toBeNull();
    expect((await keyward.verify(token)).ok).toBe(true);
    expect(await keyward.verify(token)).toMatchObject({ code: "rate_limited" });
    // the limit lives in `counters`: a keyward on the key store alone starts fresh
    const direct = createKeyward({ store: keys, rateLimit: { limit: 1, window: "1m" } });
    expect((await direct.verify(token)).ok).toBe(true);
  });

  it("uses the given invalidation bus and subscribes to it", async () => {
    const bus = localBus();
    const store = composeStores({ keys: memoryStore(), counters: memoryStore(), invalidation: bus });
    expect(store.invalidation).toBe(bus);
    const keyward = createKeyward({ store });
    await new Promise((resolve) => setImmediate(resolve));
    expect(bus.subscribers).toBe(1);
    await keyward.close();
    expect(bus.subscribers).toBe(0);
  });

  it("rejects halves that are not stores", () => {
    expect(() => composeStores({ keys: {} as never, counters: memoryStore() })).toThrow(/"keys"/);
    expect(() => composeStores({ keys: memoryStore(), counters: {} as never })).toThrow(/"counters"/);
  });
});

describe("store contract with a shared bus (two instances, one backend)", () => {
  const backend = memoryStore();
  const bus = localBus();
  runStoreContract(
    { describe, it, expect },
    () => composeStores({ keys: backend, counters: memoryStore(), invalidation: bus }),
    {
      invalidation: true,
    },
  );
});
