/**
 * The Redis outbox on a standalone Redis and on the local Cluster (ioredis 6; node-redis on
 * the Cluster): every outbox key in one slot, dedupe under a race, leases no two instances
 * share, finish/retry/list/stats/prune through the state the scripts keep. Each run uses its
 * own key prefix.
 */
import type { KeywardStore } from "@keyward/core";
import type { OutboxAppend, OutboxEvent, OutboxStore } from "@keyward/core/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisStore } from "../src/index.js";
import { OUTBOX_PARTS } from "../src/scripts/outbox.js";
import { type ClientKind, connectClient, type TestClient, type Topology } from "./clients.js";
import { clusterSlot, randomPrefix } from "./helpers.js";

let seq = 0;
const entry = (over: Partial<OutboxEvent> = {}, endpoints = ["a"]): OutboxAppend => {
  const timestamp = over.timestamp ?? 1_000;
  const event: OutboxEvent = {
    id: `evt_${String(++seq).padStart(8, "0")}`,
    type: "key.created",
    timestamp,
    data: { id: "key_1", preview: "sk_live_ab…wxyz", scopes: [], nested: { list: [1, null] } },
    dedupeKey: null,
    deliverAfter: timestamp,
    ...over,
  };
  return { event, endpoints };
};

const setups: [ClientKind, Topology][] = [
  ["ioredis 6", "standalone"],
  ["ioredis 6", "cluster"],
  ["node-redis", "cluster"],
];

describe("outbox keys", () => {
  it("share one hash tag, so every script is single-slot on a Cluster", () => {
    const store = redisStore({ client: { evalsha() {}, status: "ready" } as never, prefix: "p" });
    expect(store.outbox?.atomicWrites).toBe(false);
    const slots = new Set(OUTBOX_PARTS.map((part) => clusterSlot(`p:{outbox}:${part}`)));
    expect(slots.size).toBe(1);
  });
});

for (const [kind, topology] of setups) {
  describe(`redis outbox on ${kind}, ${topology}`, () => {
    const clients: TestClient[] = [];
    const prefixes: string[] = [];
    const opened: KeywardStore[] = [];
    beforeAll(async () => {
      clients.push(await connectClient(kind, topology), await connectClient(kind, topology));
    });
    afterAll(async () => {
      await Promise.all(opened.map((store) => store.close?.()));
      for (const prefix of prefixes) await clients[0]?.deletePrefix(prefix);
      await Promise.all(clients.map((client) => client.close()));
    });
    /** Two instances (one per connection) over a prefix of their own. */
    const fresh = (): OutboxStore[] => {
      const prefix = randomPrefix(`outbox-${topology}`);
      prefixes.push(prefix);
      return clients.map((c) => {
        const store = redisStore({ client: c.client, prefix });
        opened.push(store);
        return store.outbox!;
      });
    };

    it("appends once per id and dedupe key, however many race", async () => {
      const [a, b] = fresh();
      const same = entry();
      expect(await a!.append([same, entry({}, ["a", "b", "a"]), entry({}, [])])).toBe(3);
      expect(await b!.append([same])).toBe(0);
      const racers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? a! : b!).append([entry({ dedupeKey: "q:key_1:80" })])),
      );
      expect(racers.reduce((x, y) => x + y, 0)).toBe(1);
      const listed = await a!.list({ limit: 10 });
      expect(listed.map((d) => d.endpoint)).toEqual(["a", "a", "b", "a"]);
      expect(listed.at(-1)).toMatchObject({
        event: same.event,
        status: "pending",
        attempts: 0,
        lastError: null,
      });
    });

    it("never leases one delivery to two instances at once, and takes over an expired lease", async () => {
      const [a, b] = fresh();
      await a!.append(Array.from({ length: 40 }, () => entry({ timestamp: 10 }, ["x", "y"])));
      await a!.append([entry({ timestamp: 10, deliverAfter: 50_000 })]);
      const seen: string[] = [];
      await Promise.all(
        [a!, b!, a!, b!].map(async (outbox) => {
          for (;;) {
            const got = await outbox.lease(1_000, 10_000, 7);
            if (got.length === 0) return;
            for (const d of got) seen.push(`${d.event.id}/${d.endpoint}`);
          }
        }),
      );
      expect(seen).toHaveLength(80);
      expect(new Set(seen).size).toBe(80);
      const again = await b!.lease(11_000, 10_000, 100);
      expect(again).toHaveLength(80);
      expect(again[0]!.leaseUntil).toBe(21_000);
      expect(
        await a!.finish(again[0]!.event.id, again[0]!.endpoint, "stale", { status: "delivered", at: 1 }),
      ).toBe(false);
      // The scheduled one is due at last; the rest come back as their leases ended unfinished.
      expect(await a!.lease(49_999, 1_000, 100)).toHaveLength(80);
      expect((await a!.lease(50_000, 1_000, 100)).map((d) => d.event.deliverAfter)).toEqual([50_000]);
    });

    it("finishes, retries, lists, counts and prunes", async () => {
      const [outbox] = fresh();
      await outbox!.append([
        entry({ timestamp: 10 }, ["ok", "flaky", "down"]),
        entry({ timestamp: 10 }, ["gone"]),
      ]);
      const leased = await outbox!.lease(100, 1_000, 10);
      const by = (endpoint: string) => leased.find((d) => d.endpoint === endpoint)!;
      const end = (endpoint: string, outcome: Parameters<OutboxStore["finish"]>[3]) =>
        outbox!.finish(by(endpoint).event.id, endpoint, by(endpoint).lease, outcome);
      expect(await end("ok", { status: "delivered", at: 110 })).toBe(true);
      expect(await end("ok", { status: "delivered", at: 111 })).toBe(false);
      await end("flaky", { status: "failed", at: 120, error: "HTTP 503", nextAttemptAt: 5_000 });
      await end("down", { status: "failed", at: 130, error: "timeout after 10000 ms", nextAttemptAt: null });
      await end("gone", { status: "skipped", at: 140, reason: "key deleted" });
      expect(await outbox!.stats(200)).toEqual({
        pending: 0,
        retrying: 1,
        dead: 1,
        oldestDueAt: null,
        endpoints: [
          { endpoint: "down", lastError: "timeout after 10000 ms", lastErrorAt: 130 },
          { endpoint: "flaky", lastError: "HTTP 503", lastErrorAt: 120 },
          { endpoint: "gone", lastError: null, lastErrorAt: null },
          { endpoint: "ok", lastError: null, lastErrorAt: null },
        ],
      });
      expect((await outbox!.stats(5_000)).oldestDueAt).toBe(5_000);
      const failed = await outbox!.list({ status: "failed", limit: 10 });
      expect(failed.map((d) => [d.endpoint, d.status, d.attempts, d.lastError])).toEqual([
        ["down", "dead", 1, "timeout after 10000 ms"],
        ["flaky", "pending", 1, "HTTP 503"],
      ]);
      expect(await outbox!.list({ status: "delivered", limit: 10 })).toMatchObject([
        { endpoint: "ok", finishedAt: 110 },
      ]);
      expect(await outbox!.list({ status: "skipped", limit: 10 })).toMatchObject([
        { lastError: null, finishedAt: 140 },
      ]);
      expect(await outbox!.list({ limit: 10, beforeEventId: by("gone").event.id })).toHaveLength(3);

      expect(await outbox!.retry(by("down").event.id, 300)).toBe(2);
      expect(await outbox!.stats(300)).toMatchObject({ pending: 2, retrying: 0, dead: 0, oldestDueAt: 300 });
      expect((await outbox!.lease(300, 1_000, 10)).map((d) => d.endpoint).sort()).toEqual(["down", "flaky"]);

      expect(await outbox!.prune(140, 10)).toBe(1);
      expect(await outbox!.prune(1_000, 10)).toBe(1);
      expect((await outbox!.list({ limit: 10 })).map((d) => d.endpoint).sort()).toEqual(["down", "flaky"]);
      // The skipped event's last delivery is gone: so is the event, and its id can be appended again.
      expect(await outbox!.append([{ event: by("gone").event, endpoints: ["gone"] }])).toBe(1);
    });
  });
}
