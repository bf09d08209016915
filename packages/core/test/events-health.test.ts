/** `keyward.health()`: write-behind, invalidation and outbox state, and when it is not ok. */
import { describe, expect, it } from "vitest";
import { createKeyward, type KeywardStore, memoryStore } from "../src/index.js";
import type { InvalidationBus } from "../src/store/types.js";
import { manualClock } from "./events-fixtures.js";

describe("keyward.health()", () => {
  it("reports the usage write-behind: pending keys, last flush, last error", async () => {
    const clock = manualClock();
    const store = memoryStore();
    let failing = false;
    const flaky: KeywardStore = {
      ...store,
      recordUsage: (entries) =>
        failing ? Promise.reject(new Error("connection reset")) : store.recordUsage(entries),
    };
    const keyward = createKeyward({ store: flaky, clock: clock.now, writeBehind: { interval: "1h" } });
    const { token } = await keyward.create();
    await keyward.verify(token);
    let health = await keyward.health();
    expect(health).toMatchObject({ ok: true, problems: [], invalidation: null });
    expect(health.writeBehind).toEqual({ pendingKeys: 1, lastFlushAt: null, lastError: null });
    expect(health.outbox).toMatchObject({
      pending: 0,
      retrying: 0,
      dead: 0,
      oldestDueAt: null,
      oldestDueAge: null,
    });
    await keyward.flush();
    expect((await keyward.health()).writeBehind).toEqual({
      pendingKeys: 0,
      lastFlushAt: clock.now(),
      lastError: null,
    });
    failing = true;
    await keyward.verify(token);
    await keyward.flush().catch(() => {});
    health = await keyward.health();
    expect(health.ok).toBe(false);
    expect(health.writeBehind).toMatchObject({ pendingKeys: 1, lastError: "Error: connection reset" });
    expect(health.problems).toEqual(["usage write-behind: the last flush failed (Error: connection reset)"]);
    failing = false;
    await keyward.close();
  });

  it("reports the invalidation subscription and the age of its last message", async () => {
    const clock = manualClock();
    let deliver: (message: string) => void = () => {};
    const bus: InvalidationBus = {
      publish: async (message) => deliver(message),
      subscribe: async (listener) => {
        deliver = listener;
        return async () => {};
      },
    };
    const keyward = createKeyward({ store: { ...memoryStore(), invalidation: bus }, clock: clock.now });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect((await keyward.health()).invalidation).toEqual({
      connected: true,
      lastMessageAt: null,
      lastMessageAge: null,
    });
    const { key } = await keyward.create();
    await keyward.revoke(key.id); // published, and heard back by this instance
    clock.advance(1_500);
    expect((await keyward.health()).invalidation).toEqual({
      connected: true,
      lastMessageAt: clock.now() - 1_500,
      lastMessageAge: 1_500,
    });
    await keyward.close();
  });

  it("is not ok while due deliveries wait over five minutes (no instance delivering)", async () => {
    const clock = manualClock();
    const keyward = createKeyward({
      store: memoryStore(),
      clock: clock.now,
      webhooks: [
        { url: "https://hooks.example.com/k", secret: `whsec_${Buffer.alloc(32, 7).toString("base64")}` },
      ],
      events: { deliver: false },
    });
    await keyward.create();
    clock.advance(300_001);
    const health = await keyward.health();
    expect(health.outbox).toMatchObject({ pending: 1, oldestDueAge: 300_001 });
    expect(health.ok).toBe(false);
    expect(health.problems[0]).toMatch(/oldest due delivery has waited 300 s/);
    await keyward.close();
  });
});
