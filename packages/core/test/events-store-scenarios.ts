/**
 * Lifecycle webhooks on a real store, the scenarios of issue 17's "done when" that need a store
 * shared by several instances: a receiver down then up (redelivery of one webhook-id, dead
 * after the last attempt, `events retry`), an instance that dies mid-delivery, reminders and
 * quota thresholds once each across two instances, and a scan for secrets. The PostgreSQL,
 * Redis and CLI test files run them against their backends; every run owns its schema or key
 * prefix, so files run in parallel.
 *
 * The receiver is node:http on 127.0.0.1 and verifies each request with the `standardwebhooks`
 * package on its own. It counts a request in flight until its connection closes, so a sender
 * that gave up (timeout) stops counting only when its socket is really gone.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createKeyward, type Keyward, type KeywardOptions, type KeywardStore } from "../src/index.js";
import type { LeasedDelivery } from "../src/store/outbox-types.js";

/** The receiver's signing secret (a child process that sends webhooks needs it too). */
export const SECRET = `whsec_${randomBytes(32).toString("base64")}`;
const DAY = 86_400_000;

/** One request the receiver got. */
interface Request {
  /** 1-based arrival order over the receiver's life. */
  seq: number;
  id: string;
  headers: Record<string, string>;
  body: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  verified: boolean;
  arrivedAt: number;
  /** The answered status; 0 while unanswered (or never answered). */
  status: number;
}

/** What the receiver answers: a status, "hang" (never answer), or a promise of a status. */
type Answer = number | "hang" | Promise<number>;

/** A loopback receiver verifying with `SECRET`; see the header. */
export async function startReceiver() {
  const verifier = new Webhook(SECRET);
  const requests: Request[] = [];
  const inFlight = new Map<string, number>();
  let maxInFlightPerId = 0;
  let answer: (request: Request) => Answer = () => 204;
  let port = 0;
  let server: Server | null = null;

  const listen = async () => {
    const next = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const headers = Object.fromEntries(
          ["webhook-id", "webhook-timestamp", "webhook-signature"].map((h) => [
            h,
            String(req.headers[h] ?? ""),
          ]),
        );
        const id = headers["webhook-id"]!;
        let verified = true;
        try {
          verifier.verify(body, headers);
        } catch {
          verified = false;
        }
        const request: Request = {
          seq: requests.length + 1,
          id,
          headers,
          body,
          payload: JSON.parse(body),
          verified,
          arrivedAt: Date.now(),
          status: 0,
        };
        requests.push(request);
        const now = (inFlight.get(id) ?? 0) + 1;
        inFlight.set(id, now);
        maxInFlightPerId = Math.max(maxInFlightPerId, now);
        // In flight until the connection is gone: answered, or dropped by the sender.
        res.on("close", () => inFlight.set(id, (inFlight.get(id) ?? 1) - 1));
        const reply = (status: number) => {
          request.status = status;
          res.writeHead(status).end();
        };
        const chosen = verified ? answer(request) : 400;
        if (chosen === "hang") return;
        if (typeof chosen === "number") reply(chosen);
        else void chosen.then(reply);
      });
    });
    await new Promise<void>((resolve) => next.listen(port, "127.0.0.1", resolve));
    port = (next.address() as AddressInfo).port;
    server = next;
  };
  await listen();
  const receiver = {
    url: `http://127.0.0.1:${port}/hooks`,
    requests,
    get maxInFlightPerId() {
      return maxInFlightPerId;
    },
    set answer(fn: (request: Request) => Answer) {
      answer = fn;
    },
    /** Verified requests answered 2xx. */
    delivered: () => requests.filter((r) => r.verified && r.status >= 200 && r.status < 300),
    of: (id: string) => requests.filter((r) => r.id === id),
    /** Stops listening: senders get connection refused until `start()` (same port). */
    stop: () =>
      new Promise<void>((resolve) => {
        const current = server;
        server = null;
        if (!current) return resolve();
        current.closeAllConnections();
        current.close(() => resolve());
      }),
    start: listen,
  };
  return receiver;
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Polls `check` (real time) until it holds; fails after `within` ms. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  within = 10_000,
): Promise<void> {
  const deadline = Date.now() + within;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits a few poll rounds, so that a duplicate, if there were one, would have arrived. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

/**
 * Makes `keyward` write every event type that goes out at once (and reminders that stay
 * pending): a key with an expiry and a quota of 2 verified twice (two thresholds with
 * `quotaThresholds: [50, 100]`), rotated with a grace period, updated, revoked; another key
 * created through `other` and deleted. Resolves with every token minted.
 */
export async function everyEventType(keyward: Keyward, other: Keyward): Promise<string[]> {
  const created = await keyward.create({ name: "scanned", expiresIn: "30d", quota: { limit: 2 } });
  await keyward.verify(created.token);
  await keyward.verify(created.token);
  const rotated = await keyward.rotate(created.key.id, { gracePeriod: "2h" });
  await keyward.update(created.key.id, { name: "renamed", expiresAt: new Date(Date.now() + 60 * DAY) });
  const second = await other.create({ name: "other", expiresIn: "3d" });
  await keyward.revoke(created.key.id);
  await keyward.delete(second.key.id);
  return [created.token, rotated.token, second.token];
}

/** A backend opened for one test: each `make()` is another instance's store over it. */
export interface WebhookBackend {
  make(): KeywardStore;
  /** Every outbox row (PostgreSQL) or every outbox key's value (Redis), as text: the secrets scan reads it. */
  dumpOutbox?(): Promise<string>;
  /** When given, status and retry also go through the CLI (`keyward status`, `events retry`). */
  cli?: OperatorCli;
  close(): Promise<void>;
}

/** The operator's view from outside the application: `keyward status` / `events retry` (the CLI). */
export interface OperatorCli {
  status(): Promise<{ code: number; report: { ok: boolean; outbox: Record<string, unknown> } }>;
  retry(eventId: string): Promise<{ code: number; stdout: string }>;
}

type Scenario = "recovery" | "crash" | "scheduled" | "secrets";

/**
 * Registers the scenarios for one backend (a describe block named `name`).
 * @param open - opens a backend of its own for each test (a fresh schema or key prefix)
 * @param scenarios - which to run (default all)
 */
export function runWebhookStoreScenarios(
  name: string,
  open: () => Promise<WebhookBackend>,
  scenarios: readonly Scenario[] = ["recovery", "crash", "scheduled", "secrets"],
): void {
  const run = new Set(scenarios);
  describe(`webhooks on ${name}`, () => {
    // A backend per test: a lease sees every delivery of its outbox, so counts stay the test's own.
    let backend: WebhookBackend;
    let receiver: Receiver | null = null;
    const instances: Keyward[] = [];
    beforeEach(async () => {
      backend = await open();
    });
    afterEach(async () => {
      await Promise.all(instances.splice(0).map((k) => k.close()));
      await receiver?.stop();
      receiver = null;
      await backend.close();
    });

    const receive = async () => (receiver = await startReceiver());
    /**
     * One keyward instance over its own store object; fast schedule (ms). The request timeout
     * stays at 2 s: PGlite runs on this thread, and a 204 read late is a timeout, so a retry.
     */
    const instance = (overrides: Partial<KeywardOptions> = {}, store = backend.make()): Keyward => {
      const keyward = createKeyward({
        store,
        prefix: "sk_test",
        webhooks: [
          {
            url: receiver!.url,
            secret: SECRET,
            timeout: "2s",
            retry: { initialDelay: "20ms", maxDelay: "40ms", attempts: 4 },
          },
        ],
        events: { poll: "10ms" },
        ...overrides,
      });
      instances.push(keyward);
      return keyward;
    };
    const deliveredIn = async (keyward: Keyward) => await keyward.events.list({ status: "delivered" });

    if (run.has("recovery"))
      it("receiver down then up: one webhook-id redelivered until 2xx, retrying meanwhile, dead after the last attempt, delivered after events retry", async () => {
        const rx = await receive();
        const { cli } = backend;
        let release: () => void = () => {};
        const held = new Promise<number>((resolve) => (release = () => resolve(503)));
        // 503, then a 503 held back until the test has looked at status, then 204.
        rx.answer = (r) => (r.seq === 1 ? 503 : r.seq === 2 ? held : 204);
        const keyward = instance();
        const { key } = await keyward.create({ name: "flaky receiver" });
        await until(() => rx.requests.length === 2, "the second attempt");

        // Retrying: one pending delivery with one failure; not a problem yet.
        const health = await keyward.health();
        expect(health).toMatchObject({
          ok: true,
          outbox: { retrying: 1, dead: 0, endpoints: [{ lastError: "HTTP 503" }] },
        });
        if (cli) {
          const status = await cli.status();
          expect(status.code).toBe(0);
          expect(status.report).toMatchObject({ ok: true, outbox: { retrying: 1, dead: 0 } });
        }
        release();
        await until(async () => (await deliveredIn(keyward)).length === 1, "delivery after two 503s");
        await settle();
        expect(rx.requests.map((r) => [r.status, r.verified])).toEqual([
          [503, true],
          [503, true],
          [204, true],
        ]);
        const [first] = rx.requests;
        expect(new Set(rx.requests.map((r) => r.id))).toEqual(new Set([first!.id]));
        expect(first!.payload).toMatchObject({ type: "key.created", data: { id: key.id } });
        // Each attempt is signed anew (its own timestamp); the body is the same.
        expect(new Set(rx.requests.map((r) => r.body)).size).toBe(1);
        expect(await deliveredIn(keyward)).toMatchObject([{ attempts: 3, lastError: "HTTP 503" }]);

        // Down past the last attempt: dead, and status says so (exit 3 from the CLI).
        await rx.stop();
        const { key: lost } = await keyward.create({ name: "receiver away" });
        await until(async () => (await keyward.health()).outbox?.dead === 1, "a dead delivery");
        const [dead] = await keyward.events.list({ status: "dead" });
        expect(dead).toMatchObject({ attempts: 4, event: { data: { id: lost.id } } });
        expect(dead!.lastError).toMatch(/^connection failed/);
        const unhealthy = await keyward.health();
        expect(unhealthy.ok).toBe(false);
        expect(unhealthy.problems).toEqual([expect.stringMatching(/1 dead delivery/)]);
        if (cli) {
          const status = await cli.status();
          expect(status.code).toBe(3);
          expect(status.report).toMatchObject({ ok: false, outbox: { dead: 1 } });
        }
        expect(rx.of(dead!.event.id)).toHaveLength(0);

        // Up again, and retried by hand: delivered once, under the same webhook-id.
        await rx.start();
        if (cli) {
          expect(await cli.retry(dead!.event.id)).toMatchObject({ code: 0 });
        } else {
          expect(await keyward.events.retry(dead!.event.id)).toBe(1);
        }
        await until(() => rx.of(dead!.event.id).length === 1 && rx.delivered().length === 2, "the retry");
        await until(async () => (await deliveredIn(keyward)).length === 2, "the retry recorded");
        await settle();
        expect(rx.of(dead!.event.id)).toMatchObject([{ status: 204, verified: true }]);
        expect(rx.requests).toHaveLength(4);
        expect((await keyward.health()).ok).toBe(true);
        if (cli) expect((await cli.status()).code).toBe(0);
        expect(rx.maxInFlightPerId).toBe(1);
      });

    if (run.has("crash"))
      it("an instance that dies mid-delivery: the other delivers once its lease ends, exactly once, never at the same time", async () => {
        const rx = await receive();
        rx.answer = (r) => (r.seq === 1 ? "hang" : 204); // A's request never gets an answer
        // Instance A "dies" once its request is out: its store calls never return from then on,
        // so it neither finishes the delivery nor leases again (its worker is stuck for good).
        const base = backend.make();
        const box = base.outbox!;
        const never = new Promise<never>(() => {});
        let dead = false;
        let held: LeasedDelivery | undefined;
        const dying: KeywardStore = {
          ...base,
          outbox: {
            ...box,
            lease: async (now, leaseMs, limit) => {
              if (dead) return never;
              const got = await box.lease(now, leaseMs, limit);
              held ??= got[0];
              return got;
            },
            finish: () => never,
          },
        };
        const a = createKeyward({
          store: dying,
          prefix: "sk_test",
          webhooks: [{ url: rx.url, secret: SECRET, timeout: "300ms" }],
          events: { poll: "10ms" },
        });
        const { key } = await a.create({ name: "in flight when A died" });
        await until(() => rx.requests.length === 1, "A's request");
        dead = true;
        const b = instance();
        await until(() => rx.delivered().length === 1, "B's delivery", 15_000);
        await until(async () => (await deliveredIn(b)).length === 1, "B's finish");
        await settle();
        const [fromA, fromB] = rx.requests;
        expect(rx.requests).toHaveLength(2);
        expect(fromA!.id).toBe(fromB!.id);
        expect(fromA!.payload.data.id).toBe(key.id);
        expect(fromA!.status).toBe(0); // never answered
        expect(fromB!.status).toBe(204);
        // A sent within its lease (2 × 300 ms + 1 s); B's attempt started only after it ended.
        expect(held!.leaseUntil).toBeGreaterThan(fromA!.arrivedAt);
        expect(fromB!.arrivedAt).toBeGreaterThanOrEqual(held!.leaseUntil);
        expect(rx.maxInFlightPerId).toBe(1);
        expect(await deliveredIn(b)).toMatchObject([{ attempts: 1, lastError: null }]);
        void a.close(); // stops A's timers; its stuck attempt never ends
      }, 20_000);

    if (run.has("scheduled"))
      it("two instances, one key expiring: key.expiring once per default lead (7d, 1d), key.expired once", async () => {
        const rx = await receive();
        let now = Date.now();
        const clock = () => now;
        const [a, b] = [instance({ clock }), instance({ clock })];
        const { key } = await a.create({ name: "expiring", expiresIn: "10d" });
        const delivered = (count: number) =>
          until(async () => (await deliveredIn(b)).length === count, `${count} deliveries`);
        // Time moves only between deliveries: a lease outlived by the clock would be a test artefact.
        await delivered(1);
        now += 3 * DAY + 1; // the 7-day reminder is due
        await delivered(2);
        now += 3 * DAY; // nothing new is due
        await settle();
        expect(rx.requests).toHaveLength(2);
        now += 3 * DAY; // the 1-day reminder is due
        await delivered(3);
        now += DAY; // expired
        await delivered(4);
        await settle();
        expect(rx.requests.map((r) => [r.payload.type, r.payload.data.lead])).toEqual([
          ["key.created", undefined],
          ["key.expiring", 7 * 86_400],
          ["key.expiring", 86_400],
          ["key.expired", undefined],
        ]);
        expect(rx.requests.every((r) => r.verified && r.status === 204 && r.payload.data.id === key.id)).toBe(
          true,
        );
        expect(new Set(rx.requests.map((r) => r.id)).size).toBe(4);
        expect((await a.events.list({})).map((d) => [d.status, d.attempts])).toEqual(
          Array.from({ length: 4 }, () => ["delivered", 1]),
        );
        expect(rx.maxInFlightPerId).toBe(1);
      });

    if (run.has("scheduled"))
      it("two instances hammering one key: each quota threshold (80, 95, 100 %) delivered exactly once", async () => {
        const rx = await receive();
        const [a, b] = [instance(), instance()];
        const { token, key } = await a.create({ name: "metered", quota: { limit: 40 } });
        const results = await Promise.all(
          Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).verify(token)),
        );
        expect(results.filter((r) => r.ok)).toHaveLength(40);
        const thresholds = () => rx.delivered().filter((r) => r.payload.type === "quota.threshold");
        await until(() => thresholds().length === 3, "three thresholds");
        await settle();
        expect(
          thresholds()
            .map((r) => [r.payload.data.threshold, r.payload.data.used, r.payload.data.remaining])
            .sort((x, y) => Number(x[0]) - Number(y[0])),
        ).toEqual([
          [80, 32, 8],
          [95, 38, 2],
          [100, 40, 0],
        ]);
        expect(thresholds().every((r) => r.payload.data.id === key.id)).toBe(true);
        expect(rx.requests).toHaveLength(4); // key.created and the three thresholds
        expect(rx.maxInFlightPerId).toBe(1);
      });

    if (run.has("secrets"))
      it("no token, SHA-256 of one or webhook secret in any outbox row or key, any webhook received, or console output", async () => {
        const logged: string[] = [];
        for (const level of ["log", "info", "warn", "error", "debug"] as const) {
          vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
            logged.push(args.map((arg) => (typeof arg === "string" ? arg : JSON.stringify(arg))).join(" "));
          });
        }
        try {
          const rx = await receive();
          const failedOnce = new Set<string>();
          // Every event fails once (a last error is stored), then goes through.
          rx.answer = (r) => {
            if (failedOnce.has(r.id)) return 204;
            failedOnce.add(r.id);
            return 500;
          };
          const keyward = instance({ events: { poll: "10ms", quotaThresholds: [50, 100] } });
          // An instance whose leases fail, so that a warning is printed too.
          const base = backend.make();
          const broken = instance(
            {},
            {
              ...base,
              outbox: { ...base.outbox!, lease: () => Promise.reject(new Error("lease failed")) },
            },
          );
          const tokens = await everyEventType(keyward, broken);
          // key.created ×2, key.rotated, key.updated, key.revoked, key.deleted, quota.threshold ×2.
          await until(() => rx.delivered().length === 8, "eight deliveries");
          await until(async () => (await keyward.health()).outbox?.retrying === 0, "no retrying left");
          expect(logged.join("\n")).toMatch(/leasing webhook deliveries/);

          const outbox = await backend.dumpOutbox!();
          expect(outbox).toContain(rx.delivered()[0]!.id); // the dump does see the outbox
          expect(outbox).toMatch(/key\.expiring/); // reminders still pending are scanned too
          const received = JSON.stringify(rx.requests);
          const console_ = logged.join("\n");
          // The webhook signing secret stays in the process too (only signatures made with it go out).
          const secrets = [
            SECRET,
            SECRET.slice("whsec_".length),
            ...tokens.flatMap((t) => [t, createHash("sha256").update(t).digest("hex"), t.slice(-20)]),
          ];
          for (const secret of secrets) {
            expect(outbox).not.toContain(secret);
            expect(received).not.toContain(secret);
            expect(console_).not.toContain(secret);
          }
        } finally {
          vi.restoreAllMocks();
        }
      });
  });
}
