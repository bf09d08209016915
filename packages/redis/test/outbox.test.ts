/**
 * The outbox contract (`runOutboxContract`) on Redis: ioredis 6 on the standalone Redis and on
 * the local Cluster, node-redis on both. Each run has a key prefix of its own (`lease` sees
 * every delivery under it); two `makeStore()` calls alternate connections, so the lease race
 * runs between two instances. Also: every outbox key shares one hash tag.
 */
import type { KeywardStore } from "@keyward/core";
import { runOutboxContract } from "@keyward/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisStore } from "../src/index.js";
import { OUTBOX_PARTS } from "../src/scripts/outbox.js";
import { type ClientKind, connectClient, type TestClient, type Topology } from "./clients.js";
import { clusterSlot, randomPrefix } from "./helpers.js";

describe("outbox keys", () => {
  it("share one hash tag, so every script is single-slot on a Cluster; writes are not atomic with keys", () => {
    const store = redisStore({ client: { evalsha() {}, status: "ready" } as never, prefix: "p" });
    expect(store.outbox?.atomicWrites).toBe(false);
    expect(new Set(OUTBOX_PARTS.map((part) => clusterSlot(`p:{outbox}:${part}`))).size).toBe(1);
  });
});

const setups: [ClientKind, Topology][] = [
  ["ioredis 6", "standalone"],
  ["ioredis 6", "cluster"],
  ["node-redis", "standalone"],
  ["node-redis", "cluster"],
];

for (const [kind, topology] of setups) {
  describe(`redis outbox on ${kind}, ${topology}`, () => {
    const prefix = randomPrefix(`outbox-${kind.replace(/\W/g, "")}-${topology}`);
    const clients: TestClient[] = [];
    const opened: KeywardStore[] = [];
    beforeAll(async () => {
      clients.push(...(await Promise.all([connectClient(kind, topology), connectClient(kind, topology)])));
    });
    afterAll(async () => {
      await Promise.all(opened.map((store) => store.close?.()));
      await clients[0]?.deletePrefix(prefix);
      await Promise.all(clients.map((client) => client.close()));
    });
    let calls = 0;
    runOutboxContract({ describe, it, expect }, () => {
      const store = redisStore({ client: clients[calls++ % 2]!.client, prefix });
      opened.push(store);
      return store;
    });
  });
}
