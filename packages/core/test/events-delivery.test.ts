/**
 * Webhook delivery end to end over loopback HTTP: signed Standard Webhooks that the
 * `standardwebhooks` package verifies independently, redelivery until 2xx, dead-lettering and
 * `events.retry`, and the payload shape.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createKeyward, type Keyward, memoryStore } from "../src/index.js";
import {
  eventually,
  FAST_EVENTS,
  FAST_RETRY,
  type Receiver,
  SECRET,
  startReceiver,
} from "./events-fixtures.js";

let receiver: Receiver;
const instances: Keyward[] = [];

afterEach(async () => {
  await Promise.all(instances.splice(0).map((k) => k.close()));
  await receiver?.close();
});

async function setup(retry: object = FAST_RETRY) {
  receiver = await startReceiver();
  const keyward = createKeyward({
    store: memoryStore(),
    prefix: "sk_test",
    webhooks: [{ url: receiver.url, secret: SECRET, retry, timeout: "500ms" }],
    events: FAST_EVENTS,
  });
  instances.push(keyward);
  return keyward;
}

describe("webhook delivery", () => {
  it("delivers key.created and key.revoked signed so that standardwebhooks verifies them", async () => {
    const keyward = await setup();
    const { key } = await keyward.create({
      name: "CI",
      ownerId: "org_1",
      scopes: ["task:read"],
      expiresIn: "90d",
    });
    await keyward.revoke(key.id);
    await eventually(() => receiver.delivered().length === 2);
    const [created, revoked] = receiver.delivered();
    expect(created!.verified).toBe(true);
    expect(created!.payload).toMatchObject({
      type: "key.created",
      data: {
        id: key.id,
        ownerId: "org_1",
        name: "CI",
        preview: `${key.start}…${key.last4}`,
        scopes: ["task:read"],
        createdAt: key.createdAt.toISOString(),
        expiresAt: key.expiresAt!.toISOString(),
        source: "api",
      },
    });
    expect(created!.id).toMatch(/^evt_[0-9A-Za-z]{20}$/);
    expect(revoked!.payload.type).toBe("key.revoked");
    expect(revoked!.id).not.toBe(created!.id);
    await eventually(async () => (await keyward.events.list({ status: "delivered" })).length === 2);
    const deliveries = await keyward.events.list();
    const summary = deliveries.map((d) => `${d.event.type} ${d.status}`);
    // Newest first; the 90-day key also scheduled its reminders (7 d, 1 d, expired).
    expect(summary.sort()).toEqual(
      [
        "key.created delivered",
        "key.expired pending",
        "key.expiring pending",
        "key.expiring pending",
        "key.revoked delivered",
      ].sort(),
    );
  });

  it("redelivers the same webhook-id until a 2xx, shows it retrying meanwhile", async () => {
    const keyward = await setup({ initialDelay: "30ms", maxDelay: "60ms", attempts: 50 });
    let up = false;
    receiver.answer = () => (up ? 200 : 503);
    await keyward.create({ name: "flaky" });
    await eventually(async () => (await keyward.health()).outbox!.retrying === 1);
    await eventually(() => receiver.received.length >= 2);
    const health = await keyward.health();
    expect(health.outbox).toMatchObject({ retrying: 1, dead: 0 });
    expect(health.outbox!.endpoints[0]!.lastError).toBe("HTTP 503");
    up = true;
    await eventually(() => receiver.delivered().length === 1);
    const ids = new Set(receiver.received.map((r) => r.id));
    expect(ids.size).toBe(1);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
  });

  it("on a store without atomic writes, appends after the write and retries a failed append", async () => {
    receiver = await startReceiver();
    const store = memoryStore();
    const outbox = store.outbox!;
    let failures = 1;
    const appended: number[] = [];
    const keyward = createKeyward({
      store: {
        ...store,
        outbox: {
          ...outbox,
          atomicWrites: false,
          append: async (entries) => {
            appended.push(entries.length);
            if (failures-- > 0) throw new Error("append failed");
            return outbox.append(entries);
          },
        },
      },
      webhooks: [{ url: receiver.url, secret: SECRET, retry: FAST_RETRY }],
      events: FAST_EVENTS,
    });
    instances.push(keyward);
    const { key } = await keyward.create({ name: "appended after" });
    await keyward.revoke(key.id);
    await eventually(() => receiver.delivered().length === 2);
    expect(appended).toEqual([1, 1, 1]); // created (failed), revoked, created again 250 ms later
    expect(
      receiver
        .delivered()
        .map((r) => r.payload.type)
        .sort(),
    ).toEqual(["key.created", "key.revoked"]);
  });

  it("a receiver that is down (connection refused) gets the event once it is back on its port", async () => {
    const keyward = await setup({ initialDelay: "20ms", maxDelay: "40ms", attempts: 100 });
    const port = Number(new URL(receiver.url).port);
    await receiver.close();
    await keyward.create({ name: "while down" });
    await eventually(async () => (await keyward.health()).outbox!.retrying === 1);
    const [pending] = await keyward.events.list({ status: "failed" });
    expect(pending!.lastError).toBe("connection failed (ECONNREFUSED)");
    receiver = await startReceiver(SECRET, port);
    await eventually(() => receiver.delivered().length === 1);
    expect(receiver.delivered()[0]!.id).toBe(pending!.event.id);
  });

  it("after the last attempt the delivery is dead; events.retry delivers it again", async () => {
    const keyward = await setup({ initialDelay: "10ms", maxDelay: "20ms", attempts: 2 });
    receiver.answer = () => 500;
    await keyward.create({ name: "doomed" });
    await eventually(async () => (await keyward.health()).outbox!.dead === 1);
    const health = await keyward.health();
    expect(health.ok).toBe(false);
    expect(health.problems.join("\n")).toMatch(/1 dead delivery/);
    expect(receiver.received).toHaveLength(2);
    const [dead] = await keyward.events.list({ status: "dead" });
    expect(dead).toMatchObject({ status: "dead", attempts: 2, lastError: "HTTP 500" });
    receiver.answer = () => 200;
    expect(await keyward.events.retry(dead!.event.id)).toBe(1);
    await eventually(() => receiver.delivered().length === 1);
    expect(receiver.delivered()[0]!.id).toBe(dead!.event.id);
    await eventually(async () => (await keyward.health()).ok);
  });
});
