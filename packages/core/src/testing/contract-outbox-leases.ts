/**
 * The outbox contract's lease race and atomic writes: concurrent leasers on two stores over
 * one backend never hold the same delivery at once, and a store with `atomicWrites` stores a key
 * write's events exactly when the write happened.
 */
import type { OutboxAppend, OutboxStore } from "../store/outbox-types.js";
import type { KeywardStore } from "../store/types.js";
import {
  type ContractRunner,
  codeOf,
  freshHash,
  type MakeStore,
  rejectionOf,
  secretOf,
  storedKey,
} from "./contract-helpers.js";
import { freshEndpoint, freshEvent, LEASE_MS, outboxOf } from "./contract-outbox-helpers.js";

type Fresh = () => Promise<{ store: KeywardStore; outbox: OutboxStore; now: number }>;

const RACE_EVENTS = 10;
const RACE_ENDPOINTS = 3;
const RACE_LEASERS = 12;

/** Leases: due only, limit, exclusive until the lease ends, exclusive under a race. */
export function runLeaseContract(t: ContractRunner, makeStore: MakeStore, fresh: Fresh): void {
  const { it, expect } = t;

  it("lease hands out due deliveries only, up to the limit, each to one holder until its lease ends", async () => {
    const { outbox, now } = await fresh();
    const endpoint = freshEndpoint();
    const due = [freshEvent({ at: now - 3 }), freshEvent({ at: now - 2 }), freshEvent({ at: now })];
    const later = freshEvent({ at: now + 3 * LEASE_MS });
    await outbox.append([...due, later].map((event) => ({ event, endpoints: [endpoint] })));
    const first = await outbox.lease(now, LEASE_MS, 2);
    expect(first.map((d) => d.event.id)).toEqual([due[0]!.id, due[1]!.id]);
    for (const d of first) expect(d.leaseUntil).toBe(now + LEASE_MS);
    const second = await outbox.lease(now, LEASE_MS, 10);
    expect(second.map((d) => d.event.id)).toEqual([due[2]!.id]);
    expect(new Set([...first, ...second].map((d) => d.lease)).size).toBe(3);
    expect(await outbox.lease(now + LEASE_MS - 1, LEASE_MS, 10)).toEqual([]);
    const after = await outbox.lease(now + LEASE_MS, LEASE_MS, 10);
    expect(after.map((d) => d.event.id)).toEqual(due.map((e) => e.id));
    expect(after.map((d) => d.event.id)).not.toContain(later.id);
    const whenDue = await outbox.lease(now + 3 * LEASE_MS, LEASE_MS, 10);
    expect(whenDue.map((d) => d.event.id)).toContain(later.id);
  });

  it(`${RACE_LEASERS} concurrent leasers on two stores never get the same delivery`, async () => {
    const { now } = await fresh();
    const stores = [outboxOf(await makeStore()), outboxOf(await makeStore())];
    const endpoints = Array.from({ length: RACE_ENDPOINTS }, freshEndpoint);
    const events = Array.from({ length: RACE_EVENTS }, () => freshEvent({ at: now }));
    await stores[0]!.append(events.map((event) => ({ event, endpoints })));
    const batches = await Promise.all(
      Array.from({ length: RACE_LEASERS }, (_, i) => stores[i % 2]!.lease(now, LEASE_MS, 4)),
    );
    const held = batches.flat().map((d) => `${d.event.id} ${d.endpoint}`);
    expect(held.length).toBe(new Set(held).size);
    expect(held.length).toBe(RACE_EVENTS * RACE_ENDPOINTS);
  });
}

/** Key writes that carry events: stored iff the write happened (only for `atomicWrites`). */
export function runAtomicOutboxContract(t: ContractRunner, fresh: Fresh): void {
  const { it, expect } = t;

  const entry = (now: number): OutboxAppend => ({
    event: freshEvent({ at: now }),
    endpoints: [freshEndpoint()],
  });
  const stored = async (outbox: OutboxStore, e: OutboxAppend): Promise<boolean> =>
    (await outbox.list({ limit: 50 })).some((d) => d.event.id === e.event.id);

  it("atomic writes: a key write's events are stored exactly when the write happened", async () => {
    const { store, outbox, now } = await fresh();
    if (!outbox.atomicWrites) return; // core appends after the write instead
    const key = storedKey();
    const created = entry(now);
    await store.insertKey(key, secretOf(key), [created]);
    expect(await stored(outbox, created)).toBe(true);

    const duplicate = entry(now);
    expect(codeOf(await rejectionOf(store.insertKey(key, secretOf(key), [duplicate])))).toBe("conflict");
    expect(await stored(outbox, duplicate)).toBe(false);

    const missing = storedKey();
    const cases: [
      string,
      (events: OutboxAppend[]) => Promise<unknown>,
      (events: OutboxAppend[]) => Promise<unknown>,
    ][] = [
      [
        "updateKey",
        (events) => store.updateKey(missing.id, { name: "x", updatedAt: now }, events),
        (events) => store.updateKey(key.id, { name: "renamed", updatedAt: now }, events),
      ],
      [
        "rotateKey",
        (events) =>
          store.rotateKey(
            missing.id,
            { hash: freshHash(), keyId: missing.id, createdAt: now, expiresAt: null },
            now,
            undefined,
            events,
          ),
        (events) =>
          store.rotateKey(
            key.id,
            { hash: freshHash(), keyId: key.id, createdAt: now, expiresAt: null },
            now,
            undefined,
            events,
          ),
      ],
      [
        "deleteKey",
        (events) => store.deleteKey(missing.id, events),
        (events) => store.deleteKey(key.id, events),
      ],
    ];
    for (const [name, onMissing, onExisting] of cases) {
      const none = entry(now);
      await onMissing([none]);
      expect(await stored(outbox, none), `${name} of a missing key stores no event`).toBe(false);
      const some = entry(now);
      await onExisting([some]);
      expect(await stored(outbox, some), `${name} stores its event`).toBe(true);
    }
  });
}
