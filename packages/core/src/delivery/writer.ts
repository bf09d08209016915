/**
 * Writing lifecycle events to the outbox. A key write takes its events as its last argument when
 * the store appends them in the same transaction (`outbox.atomicWrites`); otherwise they are
 * appended right after the write succeeded, retried a few times in the background when that
 * fails (appends are idempotent by event id), then reported once. Either way the delivery
 * worker is woken so that the events go out at once. Nothing is written without `webhooks`,
 * nor for a type no endpoint subscribes to.
 */
import { storeCall } from "../service/deadline.js";
import type { OutboxAppend, OutboxEvent, OutboxStore } from "../store/outbox-types.js";
import type { QuotaResult, StoredKey } from "../store/types.js";
import type { QuotaConfig } from "../types.js";
import type { ResolvedDelivery } from "./options.js";
import { createEventIds, lifecycleEvent } from "./payload.js";
import type { DeliveryWorker } from "./worker.js";

/** Background retries of a failed append, in ms after the failure. */
const APPEND_RETRIES_MS = [250, 1_000, 4_000];

/** The outbox side of one instance; absent when no webhook is configured. */
export interface EventWriter {
  readonly delivery: ResolvedDelivery;
  readonly eventId: (now: number) => string;
  /** One outbox entry per event some endpoint subscribes to. */
  entries(events: readonly OutboxEvent[]): OutboxAppend[];
  /** The `events` argument of a key write: the entries when the store appends them atomically. */
  forWrite(entries: readonly OutboxAppend[]): readonly OutboxAppend[] | undefined;
  /** After a successful write: appends (non-atomic stores) and wakes the worker. Never throws. */
  written(entries: readonly OutboxAppend[]): Promise<void>;
  /**
   * On the verify path after a quota was charged: a comparison per threshold; only a crossing
   * appends a `quota.threshold` event, off the request path.
   */
  quotaCharged(key: StoredKey, quota: QuotaConfig, result: QuotaResult, cost: number): void;
}

/** Builds the writer of one instance. */
export function createEventWriter(ctx: {
  delivery: ResolvedDelivery;
  outbox: OutboxStore;
  storeKind: string;
  timeout: number;
  clock: () => number;
  worker: () => DeliveryWorker | null;
  warn: (what: string) => void;
}): EventWriter {
  const { delivery, outbox } = ctx;
  const eventId = createEventIds();
  const append = (entries: readonly OutboxAppend[]) =>
    storeCall(ctx.storeKind, "outbox.append", ctx.timeout, () => outbox.append(entries));

  const retryLater = (entries: readonly OutboxAppend[], round: number): void => {
    const delay = APPEND_RETRIES_MS[round];
    if (delay === undefined) {
      ctx.warn("writing lifecycle events to the outbox");
      return;
    }
    setTimeout(() => {
      append(entries).then(
        () => ctx.worker()?.kick(),
        () => retryLater(entries, round + 1),
      );
    }, delay).unref?.();
  };

  const written = async (entries: readonly OutboxAppend[], withWrite = true): Promise<void> => {
    if (entries.length === 0) return;
    if (!withWrite || !outbox.atomicWrites) {
      try {
        await append(entries);
      } catch {
        retryLater(entries, 0);
        return;
      }
    }
    ctx.worker()?.kick();
  };

  const { quotaThresholds } = delivery;
  return {
    delivery,
    eventId,
    entries(events) {
      const out: OutboxAppend[] = [];
      for (const event of events) {
        const endpoints = delivery.subscribers.get(event.type);
        if (endpoints) out.push({ event, endpoints });
      }
      return out;
    },
    forWrite: (entries) => (outbox.atomicWrites && entries.length > 0 ? entries : undefined),
    written: (entries) => written(entries),
    quotaCharged(key, quota, result, cost) {
      const { limit } = quota;
      const used = limit - result.remaining;
      const before = used - cost;
      for (const threshold of quotaThresholds) {
        const mark = threshold * limit;
        if (before * 100 < mark && mark <= used * 100) {
          setImmediate(() => void written(quotaEvents(key, quota, result, used, threshold), false));
        }
      }
    },
  };

  function quotaEvents(
    key: StoredKey,
    quota: QuotaConfig,
    result: QuotaResult,
    used: number,
    threshold: number,
  ): OutboxAppend[] {
    const now = ctx.clock();
    // One period: until the next refill, or (without refill) since the quota was last set.
    const period = result.refillAt === null ? `set${key.updatedAt}` : `refill${result.refillAt}`;
    const extra = {
      threshold,
      used,
      limit: quota.limit,
      remaining: result.remaining,
      refillAt: result.refillAt === null ? null : new Date(result.refillAt).toISOString(),
    };
    const dedupe = `quota.threshold:${key.id}:${period}:${threshold}`;
    const event = lifecycleEvent(eventId(now), "quota.threshold", key, now, extra, dedupe);
    const endpoints = delivery.subscribers.get("quota.threshold");
    return endpoints ? [{ event, endpoints }] : [];
  }
}
