/** `webhooks` and `events` options: every mistake is a TypeError that names the option. */
import { describe, expect, it } from "vitest";
import { nextAttemptAt, retryCap } from "../src/delivery/backoff.js";
import {
  createKeysApi,
  createKeyward,
  type KeywardOptions,
  type KeywardStore,
  memoryStore,
} from "../src/index.js";
import { SECRET } from "./events-fixtures.js";

const url = "https://hooks.example.com/keyward";
const make = (options: Partial<KeywardOptions>) => () =>
  createKeyward({ store: memoryStore(), events: { deliver: false }, ...options } as KeywardOptions);

describe("webhook options", () => {
  it.each([
    [
      { webhooks: [{ url, secret: "not-a-secret" }] },
      /"webhooks\[0\]\.secret" must be a Standard Webhooks secret/,
    ],
    [{ webhooks: [{ url, secret: "whsec_c2hvcnQ=" }] }, /"webhooks\[0\]\.secret"/],
    [
      { webhooks: [{ url: "ftp://example.com", secret: SECRET }] },
      /"webhooks\[0\]\.url" must be an http: or https: URL/,
    ],
    [{ webhooks: [{ url: "not a url", secret: SECRET }] }, /"webhooks\[0\]\.url"/],
    [
      { webhooks: [{ url, secret: SECRET, event: ["key.created"] }] },
      /unknown option "webhooks\[0\]\.event" — did you mean "webhooks\[0\]\.events"\?/,
    ],
    [
      { webhooks: [{ url, secret: SECRET, events: ["key.made"] }] },
      /"webhooks\[0\]\.events" must be a non-empty list of event types/,
    ],
    [
      { webhooks: [{ url, secret: SECRET, retry: { attempt: 3 } }] },
      /unknown option "webhooks\[0\]\.retry\.attempt"/,
    ],
    [
      { webhooks: [{ url, secret: SECRET, retry: { attempts: 0 } }] },
      /"webhooks\[0\]\.retry\.attempts" must be a positive integer/,
    ],
    [
      { webhooks: [{ url, secret: SECRET, retry: { initialDelay: "1m", maxDelay: "1s" } }] },
      /"webhooks\[0\]\.retry\.maxDelay"/,
    ],
    [
      {
        webhooks: [
          { url, secret: SECRET },
          { url, secret: SECRET },
        ],
      },
      /"webhooks\[1\]\.id" must be unique/,
    ],
    [{ webhooks: { url, secret: SECRET } }, /"webhooks" must be a list/],
    [
      { events: { quotaThreshold: [80] } },
      /unknown option "events\.quotaThreshold" — did you mean "events\.quotaThresholds"\?/,
    ],
    [{ events: { quotaThresholds: [0] } }, /"events\.quotaThresholds"/],
    [{ events: { expiringLeads: ["soon"] } }, /events\.expiringLeads\[0\]/],
    [{ events: { concurrency: 0 } }, /"events\.concurrency" must be a positive integer/],
  ])("%o is refused", (options, message) => {
    expect(make(options as Partial<KeywardOptions>)).toThrow(TypeError);
    expect(make(options as Partial<KeywardOptions>)).toThrow(message);
  });

  it("needs a store that keeps an outbox", () => {
    const { outbox: _none, ...store } = memoryStore();
    expect(() =>
      createKeyward({ store: store as KeywardStore, webhooks: [{ url, secret: SECRET }] }),
    ).toThrow(/"webhooks" must be used with a store that keeps an outbox/);
  });

  it("writes nothing to the outbox without webhooks, and only subscribed types with them", async () => {
    const plain = memoryStore();
    const none = createKeyward({ store: plain });
    await none.create({ expiresIn: "30d" });
    expect(await none.events.list()).toEqual([]);
    const store = memoryStore();
    const some = createKeyward({
      store,
      webhooks: [{ url, secret: SECRET, events: ["key.revoked"] }],
      events: { deliver: false },
    });
    const { key } = await some.create({ expiresIn: "30d" });
    await some.revoke(key.id);
    expect((await some.events.list()).map((d) => [d.event.type, d.endpoint])).toEqual([["key.revoked", url]]);
    await Promise.all([none.close(), some.close()]);
  });

  it("the management API's creations say so in key.created", async () => {
    const store = memoryStore();
    const keyward = createKeyward({ store, webhooks: [{ url, secret: SECRET }], events: { deliver: false } });
    await keyward.create({ name: "from code" });
    const api = createKeysApi(keyward, { owner: () => "org_1" });
    const headers = { "content-type": "application/json", "content-length": "1" };
    const created = await api({
      method: "POST",
      path: "/keys",
      headers,
      body: { name: "settings" },
      raw: {},
    });
    expect(created.status).toBe(201);
    const sources = (await keyward.events.list()).map((d) => d.event.data.source);
    expect(sources).toEqual(["management_api", "api"]);
    await keyward.close();
  });
});

describe("retry schedule", () => {
  it("caps grow by 4 from initialDelay up to maxDelay, with full jitter, and the last attempt dead-letters", () => {
    const retry = { initialDelay: 5_000, maxDelay: 36_000_000, attempts: 8 };
    const caps = [1, 2, 3, 4, 5, 6, 7].map((failures) => retryCap(retry, failures));
    expect(caps).toEqual([5_000, 20_000, 80_000, 320_000, 1_280_000, 5_120_000, 20_480_000]); // docs/events.md
    expect(retryCap(retry, 12)).toBe(36_000_000);
    expect(nextAttemptAt(retry, 1, 1_000, () => 0)).toBe(1_000);
    expect(nextAttemptAt(retry, 1, 1_000, () => 0.999_999_99)).toBe(6_000);
    expect(nextAttemptAt(retry, 8, 1_000)).toBeNull();
  });
});
