/**
 * The outbox contract (`OutboxStore`, DESIGN "Lifecycle events, delivered"): append with
 * dedupe, leases that never hand one delivery to two holders at once (however many leasers
 * race), finish with a stale lease ignored, retry, list filters, stats, prune, and — for a store
 * with `atomicWrites` — an event stored exactly when its key write happened.
 */
import type { OutboxStore } from "../store/outbox-types.js";
import type { KeywardStore } from "../store/types.js";
import type { ContractRunner, MakeStore } from "./contract-helpers.js";
import { drain, freshEndpoint, freshEvent, LEASE_MS, outboxOf } from "./contract-outbox-helpers.js";
import { runAtomicOutboxContract, runLeaseContract } from "./contract-outbox-leases.js";

/**
 * Registers the outbox contract. `makeStore` is called once per test; since `lease` sees every
 * delivery of the store, give the suite an outbox no other test file uses at the same time (a
 * fresh Redis prefix or PostgreSQL schema): each test first drains what earlier tests left due.
 * Two calls must share one backend (the lease race uses two). Times are the caller's (`now`
 * arguments), never the store's clock.
 *
 * @example
 * runOutboxContract({ describe, it, expect }, () => redisStore({ client, prefix }));
 */
export function runOutboxContract(t: ContractRunner, makeStore: MakeStore): void {
  const { describe, it, expect } = t;

  /** A store with nothing due before `now + 1 year`; every test works before that. */
  async function fresh(): Promise<{ store: KeywardStore; outbox: OutboxStore; now: number }> {
    const store = await makeStore();
    const outbox = outboxOf(store);
    const now = Date.now();
    await drain(outbox, now + 366 * 86_400_000);
    return { store, outbox, now };
  }

  describe("keyward outbox contract", () => {
    it("appends an event with one pending delivery per endpoint; an existing id or dedupe key is skipped", async () => {
      const { outbox, now } = await fresh();
      const [a, b] = [freshEndpoint(), freshEndpoint()];
      const event = freshEvent({ at: now, dedupeKey: `contract:${now}:${Math.random()}` });
      expect(await outbox.append([{ event, endpoints: [a, b] }])).toBe(1);
      expect(await outbox.append([{ event, endpoints: [a, b] }])).toBe(0);
      const twin = freshEvent({ at: now, dedupeKey: event.dedupeKey });
      expect(await outbox.append([{ event: twin, endpoints: [a] }])).toBe(0);
      const listed = (await outbox.list({ limit: 50 })).filter((d) => d.event.id === event.id);
      expect(listed.map((d) => d.endpoint).sort()).toEqual([a, b].sort());
      for (const delivery of listed) {
        expect(delivery).toMatchObject({ status: "pending", attempts: 0, lastError: null, finishedAt: null });
        expect(delivery.event).toEqual(event);
      }
      expect((await outbox.list({ limit: 50 })).some((d) => d.event.id === twin.id)).toBe(false);
    });

    it("finish: delivered ends the delivery; a stale or repeated finish changes nothing", async () => {
      const { outbox, now } = await fresh();
      const endpoint = freshEndpoint();
      const event = freshEvent({ at: now });
      await outbox.append([{ event, endpoints: [endpoint] }]);
      const [first] = await outbox.lease(now, LEASE_MS, 10);
      // The first holder's lease ends; another instance takes the delivery over.
      const [second] = await outbox.lease(now + LEASE_MS + 1, LEASE_MS, 10);
      expect(second?.event.id).toBe(event.id);
      expect(await outbox.finish(event.id, endpoint, first!.lease, { status: "delivered", at: now })).toBe(
        false,
      );
      expect(
        await outbox.finish(event.id, endpoint, second!.lease, { status: "delivered", at: now + 5 }),
      ).toBe(true);
      expect(
        await outbox.finish(event.id, endpoint, second!.lease, { status: "delivered", at: now + 6 }),
      ).toBe(false);
      const [done] = await outbox.list({ limit: 1 });
      expect(done).toMatchObject({ status: "delivered", attempts: 1, finishedAt: now + 5 });
    });

    it("failed: retried at nextAttemptAt with the error kept; null dead-letters; skipped ends without an attempt", async () => {
      const { outbox, now } = await fresh();
      const endpoint = freshEndpoint();
      const [e1, e2] = [freshEvent({ at: now }), freshEvent({ at: now })];
      await outbox.append([
        { event: e1, endpoints: [endpoint] },
        { event: e2, endpoints: [endpoint] },
      ]);
      const leased = await outbox.lease(now, LEASE_MS, 10);
      expect(leased.map((d) => d.event.id).sort()).toEqual([e1.id, e2.id].sort());
      const one = leased.find((d) => d.event.id === e1.id)!;
      const two = leased.find((d) => d.event.id === e2.id)!;
      const error = "HTTP 503";
      await outbox.finish(e1.id, endpoint, one.lease, {
        status: "failed",
        at: now + 1,
        error,
        nextAttemptAt: now + 1_000,
      });
      await outbox.finish(e2.id, endpoint, two.lease, {
        status: "skipped",
        at: now + 1,
        reason: "key deleted",
      });
      expect(await outbox.lease(now + 999, LEASE_MS, 10)).toEqual([]);
      const [again] = await outbox.lease(now + 1_000, LEASE_MS, 10);
      expect(again).toMatchObject({ attempts: 1, lastError: error, status: "pending" });
      await outbox.finish(e1.id, endpoint, again!.lease, {
        status: "failed",
        at: now + 1_001,
        error: "timeout after 10 ms",
        nextAttemptAt: null,
      });
      const byId = new Map((await outbox.list({ limit: 2 })).map((d) => [d.event.id, d]));
      expect(byId.get(e1.id)).toMatchObject({
        status: "dead",
        attempts: 2,
        lastError: "timeout after 10 ms",
        finishedAt: now + 1_001,
      });
      expect(byId.get(e2.id)).toMatchObject({ status: "skipped", attempts: 0, finishedAt: now + 1 });
      const stats = await outbox.stats(now + 2_000);
      expect(stats.endpoints.find((e) => e.endpoint === endpoint)).toEqual({
        endpoint,
        lastError: "timeout after 10 ms",
        lastErrorAt: now + 1_001,
      });
    });

    it("retry makes dead and pending deliveries due now with fresh attempts; delivered ones stay", async () => {
      const { outbox, now } = await fresh();
      const [a, b] = [freshEndpoint(), freshEndpoint()];
      const event = freshEvent({ at: now });
      await outbox.append([{ event, endpoints: [a, b] }]);
      for (const d of await outbox.lease(now, LEASE_MS, 10)) {
        const outcome =
          d.endpoint === a
            ? ({ status: "delivered", at: now } as const)
            : ({ status: "failed", at: now, error: "HTTP 500", nextAttemptAt: null } as const);
        await outbox.finish(d.event.id, d.endpoint, d.lease, outcome);
      }
      expect(await outbox.retry(event.id, now + 10)).toBe(1);
      expect(await outbox.retry("evt_unknown", now + 10)).toBe(0);
      const [revived] = await outbox.lease(now + 10, LEASE_MS, 10);
      expect(revived).toMatchObject({ endpoint: b, status: "pending", attempts: 0, finishedAt: null });
      const delivered = (await outbox.list({ limit: 10, status: "delivered" })).filter(
        (d) => d.event.id === event.id,
      );
      expect(delivered.map((d) => d.endpoint)).toEqual([a]);
    });

    it("list: newest first, filtered by status (failed = retrying or dead), paged by event id", async () => {
      const { outbox, now } = await fresh();
      const endpoint = freshEndpoint();
      const events = [
        freshEvent({ at: now }),
        freshEvent({ at: now }),
        freshEvent({ at: now }),
        freshEvent({ at: now + 60_000 }),
      ];
      await outbox.append(events.map((event) => ({ event, endpoints: [endpoint] })));
      const leased = await outbox.lease(now, LEASE_MS, 10);
      const lease = (i: number) => leased.find((d) => d.event.id === events[i]!.id)!.lease;
      await outbox.finish(events[0]!.id, endpoint, lease(0), { status: "delivered", at: now });
      await outbox.finish(events[1]!.id, endpoint, lease(1), {
        status: "failed",
        at: now,
        error: "HTTP 500",
        nextAttemptAt: now + 5,
      });
      await outbox.finish(events[2]!.id, endpoint, lease(2), {
        status: "failed",
        at: now,
        error: "HTTP 500",
        nextAttemptAt: null,
      });
      const ids = (list: { event: { id: string } }[]) => list.map((d) => d.event.id);
      const all = await outbox.list({ limit: 4 });
      expect(ids(all)).toEqual(events.map((e) => e.id).reverse());
      expect(ids(await outbox.list({ limit: 10, status: "failed" })).slice(0, 2)).toEqual([
        events[2]!.id,
        events[1]!.id,
      ]);
      expect(ids(await outbox.list({ limit: 1, status: "dead" }))).toEqual([events[2]!.id]);
      expect(ids(await outbox.list({ limit: 1, status: "delivered" }))).toEqual([events[0]!.id]);
      expect(ids(await outbox.list({ limit: 2, status: "pending" }))).toEqual([events[3]!.id, events[1]!.id]);
      expect(ids(await outbox.list({ limit: 2, beforeEventId: events[2]!.id }))).toEqual([
        events[1]!.id,
        events[0]!.id,
      ]);
    });

    it("stats count due pending, retrying and dead deliveries and give the oldest due time", async () => {
      const { outbox, now } = await fresh();
      const before = await outbox.stats(now);
      const endpoint = freshEndpoint();
      const early = freshEvent({ at: now - 5_000 });
      const due = freshEvent({ at: now - 1_000 });
      const later = freshEvent({ at: now + 60_000 });
      const failing = freshEvent({ at: now - 2_000 });
      await outbox.append([early, due, later, failing].map((event) => ({ event, endpoints: [endpoint] })));
      const [first] = await outbox.lease(now, LEASE_MS, 1);
      expect(first?.event.id).toBe(early.id);
      await outbox.finish(early.id, endpoint, first!.lease, {
        status: "failed",
        at: now,
        error: "HTTP 502",
        nextAttemptAt: null,
      });
      const [second] = await outbox.lease(now, LEASE_MS, 1);
      expect(second?.event.id).toBe(failing.id);
      await outbox.finish(failing.id, endpoint, second!.lease, {
        status: "failed",
        at: now,
        error: "HTTP 502",
        nextAttemptAt: now + 100,
      });
      const stats = await outbox.stats(now);
      expect(stats.pending - before.pending).toBe(1);
      expect(stats.retrying - before.retrying).toBe(1);
      expect(stats.dead - before.dead).toBe(1);
      expect(stats.oldestDueAt).toBe(now - 1_000);
      expect((await outbox.stats(now + 200)).oldestDueAt).toBe(now - 1_000);
    });

    it("prune removes delivered and skipped deliveries finished before the cutoff, in batches", async () => {
      const { outbox, now } = await fresh();
      const endpoint = freshEndpoint();
      const events = [freshEvent({ at: now }), freshEvent({ at: now }), freshEvent({ at: now })];
      await outbox.append(events.map((event) => ({ event, endpoints: [endpoint] })));
      const leased = await outbox.lease(now, LEASE_MS, 10);
      const lease = (i: number) => leased.find((d) => d.event.id === events[i]!.id)!.lease;
      await outbox.finish(events[0]!.id, endpoint, lease(0), { status: "delivered", at: now - 10 });
      await outbox.finish(events[1]!.id, endpoint, lease(1), {
        status: "skipped",
        at: now - 10,
        reason: "gone",
      });
      await outbox.finish(events[2]!.id, endpoint, lease(2), {
        status: "failed",
        at: now - 10,
        error: "HTTP 500",
        nextAttemptAt: null,
      });
      let removed = 0;
      for (let i = 0; i < 1000; i++) {
        const batch = await outbox.prune(now - 5, 1);
        expect(batch).toBeLessThanOrEqual(1);
        if (batch === 0) break;
        removed += batch;
      }
      expect(removed).toBeGreaterThanOrEqual(2);
      const left = (await outbox.list({ limit: 10 })).filter((d) => events.some((e) => e.id === d.event.id));
      expect(left.map((d) => d.event.id)).toEqual([events[2]!.id]);
      // The pruned deliveries are gone: nothing is left to retry.
      expect(await outbox.retry(events[0]!.id, now)).toBe(0);
    });

    runLeaseContract(t, makeStore, fresh);
    runAtomicOutboxContract(t, fresh);
  });
}
