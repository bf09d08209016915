/**
 * No token, hash, pepper or webhook secret in anything lifecycle events produce: webhook bodies and headers,
 * outbox records (every delivery, every event), or console output — through create, rotate,
 * update, revoke, delete, quota thresholds and failing deliveries (warnings included).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createKeyward, memoryStore } from "../src/index.js";
import { createHasher } from "../src/subpaths/store.js";
import { eventually, SECRET, startReceiver } from "./events-fixtures.js";
import { everyEventType } from "./events-store-scenarios.js";

const PEPPER = "pepper-for-the-secret-scan-0123456789";

afterEach(() => vi.restoreAllMocks());

describe("secrets never leave through events", () => {
  it("scans payloads, outbox records and console output for every token and hash", async () => {
    const logged: string[] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(" "));
      });
    }
    const receiver = await startReceiver();
    let failing = true;
    receiver.answer = () => (failing ? 500 : 200);
    const store = memoryStore();
    const failingStore = {
      ...store,
      outbox: { ...store.outbox!, lease: () => Promise.reject(new Error("lease failed")) },
    };
    const keyward = createKeyward({
      store,
      pepper: PEPPER,
      webhooks: [
        { url: receiver.url, secret: SECRET, retry: { initialDelay: "10ms", maxDelay: "20ms", attempts: 2 } },
      ],
      events: { poll: "10ms", quotaThresholds: [50, 100] },
    });
    // A second instance on the same store whose leases fail, so that a warning is logged too.
    const broken = createKeyward({
      store: failingStore,
      pepper: PEPPER,
      webhooks: [{ url: receiver.url, secret: SECRET }],
      events: { poll: "10ms" },
    });
    const tokens = await everyEventType(keyward, broken);
    await eventually(async () => {
      const { outbox } = await keyward.health();
      return outbox!.dead >= 1 && outbox!.retrying === 0 && outbox!.pending === 0;
    });
    failing = false;
    for (const dead of await keyward.events.list({ status: "dead" }))
      await keyward.events.retry(dead.event.id);
    await eventually(async () => (await keyward.events.list({ status: "failed" })).length === 0);
    await keyward.close();
    await broken.close();
    await receiver.close();

    const hasher = createHasher(PEPPER);
    // The webhook signing secret must not leak either (only signatures made with it are sent).
    const secrets = [
      PEPPER,
      SECRET,
      SECRET.slice("whsec_".length),
      ...tokens,
      ...tokens.map((t) => hasher.hash(t)),
    ];
    for (const token of tokens) secrets.push(token.slice(-20)); // the random part on its own
    const records = JSON.stringify(await store.outbox!.list({ limit: 1000 }));
    const http = JSON.stringify(receiver.received);
    const types = new Set(receiver.received.map((r) => r.payload.type));
    expect([...types].sort()).toEqual(
      ["key.created", "key.deleted", "key.revoked", "key.rotated", "key.updated", "quota.threshold"].sort(),
    );
    expect(logged.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(records.includes(secret), "outbox records").toBe(false);
      expect(http.includes(secret), "webhook requests").toBe(false);
      expect(logged.join("\n").includes(secret), "console output").toBe(false);
    }
  });
});
