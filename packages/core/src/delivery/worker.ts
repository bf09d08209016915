/**
 * The delivery worker of one instance: every `poll` ms (and right after this instance appends
 * events) it leases due deliveries from the store's outbox and sends them, at most
 * `concurrency` at a time. A lease lasts longer than any endpoint's timeout, so while this
 * instance works on a delivery no other instance can lease it; an instance that dies mid-attempt
 * leaves a lease that simply ends, and another instance takes the delivery over (at least once,
 * never two sends at the same time). Timers are unref'd; `close()` stops polling and waits for
 * the attempts in flight.
 */
import { storeCall } from "../service/deadline.js";
import type { DeliveryOutcome, LeasedDelivery, OutboxStore } from "../store/outbox-types.js";
import type { KeywardStore } from "../store/types.js";
import { nextAttemptAt } from "./backoff.js";
import type { ResolvedDelivery } from "./options.js";
import { isScheduled, staleReason } from "./schedule.js";
import { sendWebhook } from "./send.js";

/** What the worker needs from its instance. */
export interface WorkerContext {
  readonly store: KeywardStore;
  readonly outbox: OutboxStore;
  readonly delivery: ResolvedDelivery;
  readonly clock: () => number;
  /** The store-call deadline (ms). */
  readonly timeout: number;
  /** Reports a background failure once (never a payload, token or secret). */
  readonly warn: (what: string) => void;
}

/** How many deliveries and events one prune call removes at most. */
const PRUNE_BATCH = 1_000;
/** How often delivered and skipped deliveries older than `retention` are pruned. */
const PRUNE_EVERY_MS = 3_600_000;

export class DeliveryWorker {
  #ctx: WorkerContext;
  #inFlight = new Set<Promise<void>>();
  #polling: Promise<void> | null = null;
  #again = false;
  #closed = false;
  #timer: ReturnType<typeof setInterval>;
  #pruneTimer: ReturnType<typeof setInterval>;

  constructor(ctx: WorkerContext) {
    this.#ctx = ctx;
    this.#timer = setInterval(() => this.kick(), ctx.delivery.poll);
    this.#timer.unref?.();
    this.#pruneTimer = setInterval(() => void this.#prune(), Math.max(PRUNE_EVERY_MS, ctx.delivery.poll));
    this.#pruneTimer.unref?.();
    setImmediate(() => this.kick()).unref?.();
  }

  /** Looks for due deliveries now (after an append, or when an attempt freed a slot). */
  kick(): void {
    if (this.#closed) return;
    if (this.#polling) {
      this.#again = true;
      return;
    }
    this.#polling = this.#poll().finally(() => {
      this.#polling = null;
      if (this.#again) {
        this.#again = false;
        this.kick();
      }
    });
  }

  /** Stops polling and waits for the attempts in flight (each bounded by its endpoint's timeout). */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    clearInterval(this.#pruneTimer);
    await this.#polling;
    await Promise.all(this.#inFlight);
  }

  async #poll(): Promise<void> {
    const { outbox, delivery, clock, timeout, store } = this.#ctx;
    try {
      while (!this.#closed) {
        const free = delivery.concurrency - this.#inFlight.size;
        if (free <= 0) return;
        const leased = await storeCall(store.kind, "outbox.lease", timeout, () =>
          outbox.lease(clock(), delivery.leaseMs, free),
        );
        for (const item of leased) this.#start(item);
        if (leased.length < free) return;
      }
    } catch {
      this.#ctx.warn("leasing webhook deliveries");
    }
  }

  #start(item: LeasedDelivery): void {
    const attempt = this.#attempt(item).finally(() => {
      this.#inFlight.delete(attempt);
      this.kick();
    });
    this.#inFlight.add(attempt);
  }

  async #attempt(item: LeasedDelivery): Promise<void> {
    const { outbox, store, timeout } = this.#ctx;
    const outcome = await this.#outcome(item);
    try {
      await storeCall(store.kind, "outbox.finish", timeout, () =>
        outbox.finish(item.event.id, item.endpoint, item.lease, outcome),
      );
    } catch {
      // The lease ends on its own; another attempt follows (at least once).
      this.#ctx.warn("recording a webhook delivery");
    }
  }

  async #outcome(item: LeasedDelivery): Promise<DeliveryOutcome> {
    const { delivery, clock, store, timeout } = this.#ctx;
    const endpoint = delivery.endpoints.get(item.endpoint);
    const failed = (error: string): DeliveryOutcome => {
      const at = clock();
      const retry = endpoint?.retry ?? {
        initialDelay: delivery.poll,
        maxDelay: delivery.leaseMs,
        attempts: 8,
      };
      return { status: "failed", at, error, nextAttemptAt: nextAttemptAt(retry, item.attempts + 1, at) };
    };
    if (endpoint === undefined) return failed(`no webhook "${item.endpoint}" is configured on this instance`);
    if (isScheduled(item.event)) {
      const keyId = String(item.event.data.id);
      let reason: string | null;
      try {
        const key = await storeCall(store.kind, "getKey", timeout, () => store.getKey(keyId));
        reason = staleReason(item.event, key, clock(), delivery);
      } catch {
        return failed("the key could not be read to check the reminder");
      }
      if (reason !== null) return { status: "skipped", at: clock(), reason };
    }
    const error = await sendWebhook(endpoint, item.event);
    return error === null ? { status: "delivered", at: clock() } : failed(error);
  }

  async #prune(): Promise<void> {
    const { outbox, store, timeout, clock, delivery } = this.#ctx;
    try {
      await storeCall(store.kind, "outbox.prune", timeout, () =>
        outbox.prune(clock() - delivery.retention, PRUNE_BATCH),
      );
    } catch {
      this.#ctx.warn("pruning delivered webhook events");
    }
  }
}
