/**
 * The memory store's outbox: events and their per-endpoint deliveries in Maps. Every method runs
 * synchronously, hence atomically, so the key writes of the memory store append their events in
 * the same step as the change (`atomicWrites: true`). Values are copied on the way in and out.
 */
import { randomUUID } from "node:crypto";
import type {
  DeliveryOutcome,
  DeliveryQuery,
  LeasedDelivery,
  OutboxAppend,
  OutboxDelivery,
  OutboxEvent,
  OutboxStats,
  OutboxStore,
} from "../outbox-types.js";

interface Row {
  event: OutboxEvent;
  endpoint: string;
  status: OutboxDelivery["status"];
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  finishedAt: number | null;
  lease: string | null;
  leaseUntil: number;
}

/** The memory outbox, with the synchronous append the memory key store calls inside its writes. */
export interface MemoryOutbox extends OutboxStore {
  appendNow(entries: readonly OutboxAppend[]): number;
}

const copy = <T>(value: T): T => structuredClone(value);
const rowKey = (eventId: string, endpoint: string): string => `${eventId}\u0000${endpoint}`;
const dueAt = (row: Row): number => Math.max(row.event.deliverAfter, row.nextAttemptAt);

function view(row: Row): OutboxDelivery {
  return {
    event: copy(row.event),
    endpoint: row.endpoint,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError,
    finishedAt: row.finishedAt,
  };
}

/** Creates an empty in-process outbox. */
export function createMemoryOutbox(): MemoryOutbox {
  const events = new Map<string, { event: OutboxEvent; rows: Set<string> }>();
  const dedupe = new Set<string>();
  const rows = new Map<string, Row>();
  const pending = new Set<string>();
  const endpoints = new Map<string, { lastError: string | null; lastErrorAt: number | null }>();

  const appendNow = (entries: readonly OutboxAppend[]): number => {
    let added = 0;
    for (const { event, endpoints: targets } of entries) {
      if (events.has(event.id) || (event.dedupeKey !== null && dedupe.has(event.dedupeKey))) continue;
      const stored = copy(event);
      const held = new Set<string>();
      events.set(stored.id, { event: stored, rows: held });
      if (stored.dedupeKey !== null) dedupe.add(stored.dedupeKey);
      for (const endpoint of new Set(targets)) {
        const key = rowKey(stored.id, endpoint);
        rows.set(key, {
          event: stored,
          endpoint,
          status: "pending",
          attempts: 0,
          nextAttemptAt: stored.deliverAfter,
          lastError: null,
          finishedAt: null,
          lease: null,
          leaseUntil: 0,
        });
        held.add(key);
        pending.add(key);
        if (!endpoints.has(endpoint)) endpoints.set(endpoint, { lastError: null, lastErrorAt: null });
      }
      added++;
    }
    return added;
  };

  const newestFirst = (a: Row, b: Row): number =>
    a.event.id === b.event.id ? (a.endpoint < b.endpoint ? -1 : 1) : a.event.id < b.event.id ? 1 : -1;

  return {
    atomicWrites: true,
    appendNow,

    async append(entries) {
      return appendNow(entries);
    },

    async lease(now, leaseMs, limit) {
      const due: Row[] = [];
      for (const key of pending) {
        const row = rows.get(key)!;
        if (dueAt(row) <= now && (row.lease === null || row.leaseUntil <= now)) due.push(row);
      }
      due.sort((a, b) => dueAt(a) - dueAt(b) || (a.event.id < b.event.id ? -1 : 1));
      return due.slice(0, Math.max(0, limit)).map((row): LeasedDelivery => {
        row.lease = randomUUID();
        row.leaseUntil = now + leaseMs;
        return { ...view(row), lease: row.lease, leaseUntil: row.leaseUntil };
      });
    },

    async finish(eventId, endpoint, lease, outcome: DeliveryOutcome) {
      const key = rowKey(eventId, endpoint);
      const row = rows.get(key);
      if (row?.status !== "pending" || row.lease !== lease) return false;
      row.lease = null;
      row.leaseUntil = 0;
      if (outcome.status === "skipped") {
        row.status = "skipped";
        row.finishedAt = outcome.at;
        pending.delete(key);
        return true;
      }
      row.attempts++;
      if (outcome.status === "delivered") {
        row.status = "delivered";
        row.finishedAt = outcome.at;
        pending.delete(key);
        return true;
      }
      row.lastError = outcome.error;
      endpoints.set(endpoint, { lastError: outcome.error, lastErrorAt: outcome.at });
      if (outcome.nextAttemptAt === null) {
        row.status = "dead";
        row.finishedAt = outcome.at;
        pending.delete(key);
      } else {
        row.nextAttemptAt = outcome.nextAttemptAt;
      }
      return true;
    },

    async retry(eventId, now) {
      const held = events.get(eventId);
      if (!held) return 0;
      let count = 0;
      for (const key of held.rows) {
        const row = rows.get(key)!;
        if (row.status !== "pending" && row.status !== "dead") continue;
        row.status = "pending";
        row.attempts = 0;
        row.nextAttemptAt = now;
        row.finishedAt = null;
        pending.add(key);
        count++;
      }
      return count;
    },

    async list(query: DeliveryQuery) {
      const wanted = query.status;
      const out: Row[] = [];
      for (const row of rows.values()) {
        if (query.beforeEventId !== undefined && row.event.id >= query.beforeEventId) continue;
        if (wanted === "failed") {
          if (!(row.status === "dead" || (row.status === "pending" && row.attempts > 0))) continue;
        } else if (wanted !== undefined && row.status !== wanted) continue;
        out.push(row);
      }
      return out.sort(newestFirst).slice(0, query.limit).map(view);
    },

    async stats(now): Promise<OutboxStats> {
      let waiting = 0;
      let retrying = 0;
      let dead = 0;
      let oldestDueAt: number | null = null;
      for (const row of rows.values()) {
        if (row.status === "dead") dead++;
        if (row.status !== "pending") continue;
        const due = dueAt(row);
        if (row.attempts > 0) retrying++;
        else if (due <= now) waiting++;
        if (due <= now && (oldestDueAt === null || due < oldestDueAt)) oldestDueAt = due;
      }
      return {
        pending: waiting,
        retrying,
        dead,
        oldestDueAt,
        endpoints: [...endpoints].map(([endpoint, last]) => ({ endpoint, ...last })),
      };
    },

    async prune(before, batchSize) {
      let removed = 0;
      for (const [key, row] of rows) {
        if (removed >= batchSize) break;
        const done = row.status === "delivered" || row.status === "skipped";
        if (!done || row.finishedAt === null || row.finishedAt >= before) continue;
        rows.delete(key);
        removed++;
        const held = events.get(row.event.id);
        held?.rows.delete(key);
        if (held && held.rows.size === 0) {
          events.delete(row.event.id);
          if (row.event.dedupeKey !== null) dedupe.delete(row.event.dedupeKey);
        }
      }
      return removed;
    },
  };
}
