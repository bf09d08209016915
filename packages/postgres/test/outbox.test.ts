/**
 * The PostgreSQL outbox: appends with dedupe keys, key writes that carry their events in the
 * same statement (and only when the change happened), leases that concurrent instances never
 * share, finish/retry/list/stats/prune — on a pg Pool and on PGlite, each in its own schema.
 */
import type { OutboxAppend, OutboxEvent, StoredKey } from "@keyward/core/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, type PostgresStore, postgresStore } from "../src/index.js";
import { createPglite, createPool, dropSchema, randomSchema } from "./helpers.js";

let seq = 0;
/** An event with a time-ordered id; `deliverAfter` defaults to its timestamp. */
function event(over: Partial<OutboxEvent> = {}): OutboxEvent {
  const timestamp = over.timestamp ?? 1_000;
  return {
    id: `evt_${String(++seq).padStart(8, "0")}`,
    type: "key.created",
    timestamp,
    data: { id: "key_1", name: "n", preview: "sk_live_ab…wxyz", scopes: ["a"], empty: [] },
    dedupeKey: null,
    deliverAfter: timestamp,
    ...over,
  };
}
const entry = (over: Partial<OutboxEvent> = {}, endpoints = ["a"]): OutboxAppend => ({
  event: event(over),
  endpoints,
});

function storedKey(id: string): StoredKey {
  return {
    id,
    name: null,
    ownerId: null,
    prefix: "sk_live",
    start: "sk_live_ab",
    last4: "wxyz",
    scopes: [],
    metadata: {},
    enabled: true,
    createdAt: 1,
    updatedAt: 1,
    expiresAt: null,
    revokedAt: null,
    lastUsedAt: null,
    usageCount: 0,
    rateLimit: null,
    quota: null,
    allowedIps: null,
  };
}
const secret = (keyId: string, hash: string) => ({ hash, keyId, createdAt: 1, expiresAt: null });

const schemas: string[] = [];
const pool = createPool({ max: 12 });
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
  await pool.end();
  for (const schema of schemas) await dropSchema(schema);
});

let pglite: ReturnType<typeof createPglite> | undefined;
let prefixes = 0;
/** Stores on a fresh schema per test on the pool, or a fresh table prefix on one PGlite. */
const clients = {
  "pg Pool": async (): Promise<PostgresStore[]> => {
    const schema = randomSchema("outbox");
    schemas.push(schema);
    await migrate(pool, { schema });
    return [0, 1, 2, 3].map(() => postgresStore({ client: pool, schema, listen: false }));
  },
  // One embedded database; each test gets its own table prefix in it.
  PGlite: async (): Promise<PostgresStore[]> => {
    pglite ??= createPglite().then((db) => {
      closers.push(() => db.close());
      return db;
    });
    const db = await pglite;
    const tablePrefix = `kw${++prefixes}_`;
    await migrate(db, { tablePrefix });
    return [0, 1].map(() => postgresStore({ client: db, tablePrefix, listen: false }));
  },
};

for (const [name, open] of Object.entries(clients)) {
  describe(`postgres outbox on ${name}`, () => {
    let stores: PostgresStore[] = [];
    beforeAll(async () => {
      stores = await open();
    });
    const fresh = async () => (stores = await open());

    it("appends events once per id and per dedupe key, however many race", async () => {
      const [store] = await fresh();
      const outbox = store!.outbox;
      expect(outbox.atomicWrites).toBe(true);
      expect(await outbox.append([entry(), entry({}, ["a", "b"]), entry({}, [])])).toBe(3);
      const again = entry({ dedupeKey: "key.expiring:key_1:7d" });
      const racers = await Promise.all(
        stores.flatMap((s) =>
          [0, 1, 2].map(() => s.outbox.append([entry({ dedupeKey: again.event.dedupeKey })])),
        ),
      );
      expect(racers.reduce((a, b) => a + b, 0)).toBe(1);
      const rows = await outbox.list({ limit: 50 });
      expect(rows).toHaveLength(4);
      expect(rows[0]!.event.data).toEqual(again.event.data);
      expect(rows.map((d) => d.event.id)).toEqual([...rows.map((d) => d.event.id)].sort().reverse());
    });

    it("leases only due deliveries, each to one instance until its lease ends", async () => {
      const [a, b] = await fresh();
      await a!.outbox.append([
        entry({ timestamp: 100 }, ["x", "y"]),
        entry({ timestamp: 100, deliverAfter: 5_000 }),
      ]);
      const first = await a!.outbox.lease(1_000, 30_000, 10);
      expect(first.map((d) => d.endpoint)).toEqual(["x", "y"]);
      expect(first[0]!.leaseUntil).toBe(31_000);
      expect(await b!.outbox.lease(2_000, 30_000, 10)).toEqual([]);
      // The holder died: after its lease another instance takes both over, then the scheduled one.
      const taken = await b!.outbox.lease(31_000, 30_000, 10);
      expect(taken.map((d) => d.endpoint).sort()).toEqual(["a", "x", "y"]);
      expect(
        await a!.outbox.finish(first[0]!.event.id, "x", first[0]!.lease, { status: "delivered", at: 31_001 }),
      ).toBe(false);
    });

    it("never leases one delivery to two instances at once", async () => {
      const all = await fresh();
      await all[0]!.outbox.append(Array.from({ length: 60 }, () => entry({ timestamp: 10 }, ["a", "b"])));
      const seen: string[] = [];
      await Promise.all(
        all.map(async (store) => {
          for (;;) {
            const got = await store.outbox.lease(1_000, 60_000, 7);
            if (got.length === 0) return;
            for (const d of got) seen.push(`${d.event.id}/${d.endpoint}`);
          }
        }),
      );
      expect(seen).toHaveLength(120);
      expect(new Set(seen).size).toBe(120);
    });

    it("finishes with the lease only: delivered, retried later, dead, skipped; stats and list follow", async () => {
      const [store] = await fresh();
      const outbox = store!.outbox;
      await outbox.append([
        entry({ timestamp: 10 }, ["ok", "flaky", "down"]),
        entry({ timestamp: 10 }, ["gone"]),
      ]);
      const leased = await outbox.lease(100, 1_000, 10);
      expect(leased).toHaveLength(4);
      const by = (endpoint: string) => leased.find((d) => d.endpoint === endpoint)!;
      expect(
        await outbox.finish(by("ok").event.id, "ok", "not-the-lease", { status: "delivered", at: 110 }),
      ).toBe(false);
      expect(
        await outbox.finish(by("ok").event.id, "ok", by("ok").lease, { status: "delivered", at: 110 }),
      ).toBe(true);
      expect(
        await outbox.finish(by("ok").event.id, "ok", by("ok").lease, { status: "delivered", at: 111 }),
      ).toBe(false);
      const retryAt = 5_000;
      await outbox.finish(by("flaky").event.id, "flaky", by("flaky").lease, {
        status: "failed",
        at: 120,
        error: "HTTP 503",
        nextAttemptAt: retryAt,
      });
      await outbox.finish(by("down").event.id, "down", by("down").lease, {
        status: "failed",
        at: 130,
        error: "timeout after 10000 ms",
        nextAttemptAt: null,
      });
      await outbox.finish(by("gone").event.id, "gone", by("gone").lease, {
        status: "skipped",
        at: 140,
        reason: "key deleted",
      });

      expect(await outbox.stats(200)).toEqual({
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
      expect((await outbox.stats(retryAt)).oldestDueAt).toBe(retryAt);
      const failed = await outbox.list({ status: "failed", limit: 10 });
      expect(failed.map((d) => [d.endpoint, d.status, d.attempts]).sort()).toEqual([
        ["down", "dead", 1],
        ["flaky", "pending", 1],
      ]);
      const delivered = (await outbox.list({ status: "delivered", limit: 10 }))[0]!;
      expect(delivered).toMatchObject({ endpoint: "ok", attempts: 1, finishedAt: 110, lastError: null });
      expect((await outbox.list({ status: "skipped", limit: 10 }))[0]).toMatchObject({
        lastError: null,
        finishedAt: 140,
      });
      expect(await outbox.lease(200, 1_000, 10)).toEqual([]);
      expect((await outbox.lease(retryAt, 1_000, 10)).map((d) => d.endpoint)).toEqual(["flaky"]);

      // Retry: the dead one is pending and due again with its attempts reset.
      expect(await outbox.retry(by("down").event.id, 300)).toBe(2);
      const again = await outbox.list({ status: "pending", limit: 10 });
      expect(again.find((d) => d.endpoint === "down")).toMatchObject({ attempts: 0, nextAttemptAt: 300 });
      expect((await outbox.stats(300)).dead).toBe(0);
      expect(await outbox.retry("evt_missing", 300)).toBe(0);
    });

    it("pages the list newest first by event id and prunes finished deliveries with their events", async () => {
      const [store] = await fresh();
      const outbox = store!.outbox;
      const entries = Array.from({ length: 5 }, () => entry({ timestamp: 10 }));
      await outbox.append(entries);
      const page = await outbox.list({ limit: 2, beforeEventId: entries[3]!.event.id });
      expect(page.map((d) => d.event.id)).toEqual([entries[2]!.event.id, entries[1]!.event.id]);
      for (const d of await outbox.lease(20, 1_000, 3)) {
        await outbox.finish(d.event.id, d.endpoint, d.lease, { status: "delivered", at: 30 });
      }
      expect(await outbox.prune(30, 10)).toBe(0);
      expect(await outbox.prune(31, 2)).toBe(2);
      expect(await outbox.prune(31, 10)).toBe(1);
      expect((await outbox.list({ limit: 10 })).map((d) => d.status)).toEqual(["pending", "pending"]);
    });

    it("commits a key write's events with the change, and only when it happened", async () => {
      const [store] = await fresh();
      const outbox = store!.outbox;
      const count = async () => (await outbox.list({ limit: 100 })).length;
      await store!.insertKey(storedKey("key_a"), secret("key_a", "h_a"), [entry()]);
      expect(await count()).toBe(1);
      // A conflicting insert throws and appends nothing.
      await expect(store!.insertKey(storedKey("key_a"), secret("key_a", "h_b"), [entry()])).rejects.toThrow();
      expect(await count()).toBe(1);
      expect(
        await store!.updateKey("key_a", { updatedAt: 2, name: "x" }, [entry({ type: "key.updated" })]),
      ).toMatchObject({
        name: "x",
      });
      expect(await store!.updateKey("key_missing", { updatedAt: 2 }, [entry()])).toBeNull();
      expect(await count()).toBe(2);
      const rotated = await store!.rotateKey("key_a", secret("key_a", "h_c"), 5, undefined, [
        entry({ type: "key.rotated" }),
      ]);
      expect(rotated?.id).toBe("key_a");
      expect(
        await store!.rotateKey("key_missing", secret("key_missing", "h_d"), 5, undefined, [entry()]),
      ).toBeNull();
      expect(await count()).toBe(3);
      expect(await store!.deleteKey("key_missing", [entry()])).toBe(false);
      expect(await store!.deleteKey("key_a", [entry({ type: "key.deleted" })])).toBe(true);
      const types = (await outbox.list({ limit: 100 })).map((d) => d.event.type);
      expect(types).toEqual(["key.deleted", "key.rotated", "key.updated", "key.created"]);
      expect(await store!.findByHash("h_c")).toBeNull();
    });
  });
}
