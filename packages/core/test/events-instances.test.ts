/**
 * Several keyward instances over one memory store deliver each event once: leases keep two
 * instances from sending one delivery at the same time, an instance that dies mid-delivery
 * loses nothing (its lease ends and another takes over), scheduled reminders and quota
 * thresholds go out exactly once each, and catching up after downtime sends only the nearest
 * reminder still relevant.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createKeyward, type Keyward, type KeywardOptions, memoryStore } from "../src/index.js";
import type { KeywardStore } from "../src/store/types.js";
import { eventually, manualClock, type Receiver, SECRET, startReceiver } from "./events-fixtures.js";

const DAY = 86_400_000;
let receiver: Receiver | undefined;
const instances: Keyward[] = [];

afterEach(async () => {
  await Promise.all(instances.splice(0).map((k) => k.close()));
  await receiver?.close();
  receiver = undefined;
});

async function fleet(
  count: number,
  options: Partial<KeywardOptions> & { clock?: () => number } = {},
  store: KeywardStore = memoryStore(),
): Promise<Keyward[]> {
  receiver ??= await startReceiver();
  const made = Array.from({ length: count }, () =>
    createKeyward({
      store,
      prefix: "sk_test",
      webhooks: [
        { url: receiver!.url, secret: SECRET, timeout: "2s", retry: { initialDelay: "20ms", attempts: 5 } },
      ],
      events: { poll: "10ms", ...options.events },
      ...(options.clock && { clock: options.clock }),
    }),
  );
  instances.push(...made);
  return made;
}

/**
 * Waits until `count` deliveries are recorded as delivered. Moving the manual clock while an
 * attempt is in flight would end its lease early (a test artefact), so tests wait for this first.
 */
const deliveredCount = (keyward: Keyward, count: number) =>
  eventually(async () => (await keyward.events.list({ status: "delivered" })).length === count);

/** Waits a few poll rounds so that a duplicate, if there were one, would have arrived. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

const byType = (type: string) => receiver!.delivered().filter((r) => r.payload.type === type);

describe("two instances, one store", () => {
  it("deliver every event exactly once, never the same delivery twice at the same time", async () => {
    receiver = await startReceiver();
    receiver!.answer = () => new Promise((resolve) => setTimeout(() => resolve(200), 5));
    const [a, b] = await fleet(2);
    for (let i = 0; i < 10; i++) await (i % 2 ? a! : b!).create({ name: `key ${i}` });
    await eventually(() => receiver!.delivered().length === 10);
    await settle();
    expect(receiver!.received).toHaveLength(10);
    expect(new Set(receiver!.received.map((r) => r.id)).size).toBe(10);
    expect(receiver!.maxConcurrentPerId).toBe(1);
  });

  it("an instance killed mid-delivery loses nothing: after its lease ends the other one delivers", async () => {
    receiver = await startReceiver();
    const clock = manualClock();
    const shared = memoryStore();
    // Instance A dies right after sending: its finish never reaches the store, and it leases
    // nothing more.
    let release: (value: boolean) => void = () => {};
    let dead = false;
    const outbox = shared.outbox!;
    const dying: KeywardStore = {
      ...shared,
      outbox: {
        ...outbox,
        lease: async (now, leaseMs, limit) => (dead ? [] : outbox.lease(now, leaseMs, limit)),
        finish: () => {
          dead = true;
          return new Promise<boolean>((resolve) => (release = resolve));
        },
      },
    };
    const [a] = await fleet(1, { clock: clock.now }, dying);
    await a!.create({ name: "in flight" });
    await eventually(() => receiver!.received.length === 1);
    const [b] = await fleet(1, { clock: clock.now }, shared);
    await settle();
    expect(receiver!.received).toHaveLength(1); // A's lease still holds: B sends nothing
    clock.advance(2 * 2_000 + 1_000 + 1); // the lease (2 × timeout + 1 s) ends
    await eventually(() => receiver!.received.length === 2);
    expect(receiver!.received[1]!.id).toBe(receiver!.received[0]!.id);
    expect(receiver!.maxConcurrentPerId).toBe(1);
    await eventually(async () => (await b!.events.list({ status: "delivered" })).length === 1);
    release(false);
  });

  it("send key.expiring once per lead and key.expired once, however many instances poll", async () => {
    const clock = manualClock();
    const [a] = await fleet(3, { clock: clock.now });
    const { key } = await a!.create({ name: "expiring", expiresIn: "10d" });
    await deliveredCount(a!, 1);
    clock.advance(3 * DAY + 1); // the 7-day reminder is due
    await deliveredCount(a!, 2);
    clock.advance(6 * DAY); // the 1-day reminder is due
    await deliveredCount(a!, 3);
    clock.advance(DAY); // expired
    await eventually(() => byType("key.expired").length === 1);
    await settle();
    expect(byType("key.expiring").map((r) => r.payload.data.lead)).toEqual([7 * 86_400, 86_400]);
    expect(byType("key.expiring")[0]!.payload.data).toMatchObject({
      id: key.id,
      expiresAt: key.expiresAt!.toISOString(),
    });
    expect(byType("key.expired")).toHaveLength(1);
    expect(receiver!.received.filter((r) => r.payload.type !== "key.created")).toHaveLength(3);
  });

  it("after downtime send only the nearest expiry reminder, and none for a key whose expiry changed", async () => {
    const clock = manualClock();
    const store = memoryStore();
    const [a, b] = await fleet(2, { clock: clock.now, events: { deliver: false } }, store);
    const { key } = await a!.create({ name: "caught up", expiresIn: "10d" });
    const { key: moved } = await a!.create({ name: "moved", expiresIn: "10d" });
    await b!.update(moved.id, { expiresAt: new Date(clock.now() + 30 * DAY) });
    clock.advance(9 * DAY + 1); // nobody delivered for nine days
    const [worker] = await fleet(1, { clock: clock.now }, store);
    await eventually(() => byType("key.expiring").length === 1);
    await settle();
    expect(byType("key.expiring").map((r) => [r.payload.data.id, r.payload.data.lead])).toEqual([
      [key.id, 86_400],
    ]);
    const skipped = await worker!.events.list({ status: "skipped" });
    // "caught up": its 7-day reminder (superseded); "moved": both reminders of its old expiry.
    expect(skipped.map((d) => d.event.type)).toEqual(["key.expiring", "key.expiring", "key.expiring"]);
  });

  it("send key.grace_ending before a rotation's grace ends, unless the key was rotated again", async () => {
    const clock = manualClock();
    const [a, b] = await fleet(2, { clock: clock.now });
    const { key } = await a!.create({ name: "rotating" });
    const { key: again } = await a!.create({ name: "rotated twice" });
    await a!.rotate(key.id, { gracePeriod: "24h" });
    await b!.rotate(again.id, { gracePeriod: "24h" });
    await b!.rotate(again.id);
    await deliveredCount(a!, 5);
    clock.advance(23 * 3_600_000 + 1);
    await eventually(() => byType("key.grace_ending").length === 1);
    await settle();
    const [ending] = byType("key.grace_ending");
    expect(ending!.payload.data).toMatchObject({ id: key.id, lead: 3_600 });
    expect(byType("key.rotated")).toHaveLength(3);
  });

  it("send each quota threshold once, whichever instance's verification crossed it", async () => {
    const [a, b] = await fleet(2, { events: { quotaThresholds: [50, 80, 100] } });
    const { token, key } = await a!.create({ name: "metered", quota: { limit: 10 } });
    const results = await Promise.all(Array.from({ length: 14 }, (_, i) => (i % 2 ? a! : b!).verify(token)));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    await eventually(() => byType("quota.threshold").length === 3);
    await settle();
    const thresholds = byType("quota.threshold").map((r) => r.payload.data);
    expect(thresholds.map((d) => d.threshold).sort((x, y) => Number(x) - Number(y))).toEqual([50, 80, 100]);
    expect(thresholds.find((d) => d.threshold === 100)).toMatchObject({
      id: key.id,
      used: 10,
      limit: 10,
      remaining: 0,
    });
  });
});
