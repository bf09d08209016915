/**
 * `keyward.health()` and `keyward.events`: what an operator (and `keyward status`, `keyward
 * events list|retry`) reads about the asynchronous parts of an instance and its store.
 */
import { KeywardError } from "../errors/index.js";
import type { Runtime } from "../service/runtime.js";
import { call } from "../service/store-call.js";
import type { OutboxStore } from "../store/outbox-types.js";
import type { DeliveryListQuery, EventDeliveries, KeywardHealth, OutboxHealth } from "./types.js";

/** The oldest due delivery may wait this long (ms) before `health()` reports a stalled outbox. */
export const STALLED_AFTER_MS = 300_000;
const DEFAULT_PAGE = 50;
const MAX_PAGE = 1000;
const STATUSES = ["pending", "delivered", "dead", "skipped", "failed"];

/** Reads the state of the instance and its outbox. */
export async function health(rt: Runtime): Promise<KeywardHealth> {
  const { store, clock } = rt.config;
  const now = clock();
  const problems: string[] = [];
  const writeBehind = rt.usage.state;
  if (writeBehind.lastError !== null)
    problems.push(`usage write-behind: the last flush failed (${writeBehind.lastError})`);

  const subscription = rt.invalidationState();
  const invalidation =
    subscription === null
      ? null
      : {
          ...subscription,
          lastMessageAge: subscription.lastMessageAt === null ? null : now - subscription.lastMessageAt,
        };
  if (invalidation !== null && !invalidation.connected)
    problems.push("invalidation: not subscribed (other instances' changes do not reach this cache)");

  let outbox: OutboxHealth | null = null;
  const box = store.outbox;
  if (box) {
    const stats = await call(rt, "outbox.stats", () => box.stats(now));
    outbox = { ...stats, oldestDueAge: stats.oldestDueAt === null ? null : now - stats.oldestDueAt };
    if (stats.dead > 0)
      problems.push(
        `outbox: ${stats.dead} dead deliver${stats.dead === 1 ? "y" : "ies"} (keyward events list --status dead)`,
      );
    if (outbox.oldestDueAge !== null && outbox.oldestDueAge > STALLED_AFTER_MS)
      problems.push(
        `outbox: the oldest due delivery has waited ${Math.round(outbox.oldestDueAge / 1000)} s (is a delivering instance running?)`,
      );
  }
  return { ok: problems.length === 0, problems, writeBehind, invalidation, outbox };
}

function outboxOf(rt: Runtime): OutboxStore {
  const box = rt.config.store.outbox;
  if (!box) throw new TypeError(`keyward: the ${rt.config.store.kind} store keeps no outbox of events`);
  return box;
}

/** `keyward.events`: list and retry deliveries. */
export function eventDeliveries(rt: Runtime): EventDeliveries {
  return Object.freeze({
    async list(query: DeliveryListQuery = {}) {
      const box = outboxOf(rt);
      if (typeof query !== "object" || query === null)
        throw new KeywardError("invalid_request", "keyward: the events query must be an object");
      const limit = query.limit ?? DEFAULT_PAGE;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
        throw new KeywardError(
          "invalid_request",
          `keyward: "limit" must be an integer from 1 to ${MAX_PAGE}`,
        );
      if (query.status !== undefined && !STATUSES.includes(query.status))
        throw new KeywardError("invalid_request", `keyward: "status" must be one of ${STATUSES.join(", ")}`);
      if (query.before !== undefined && (typeof query.before !== "string" || query.before === ""))
        throw new KeywardError("invalid_request", 'keyward: "before" must be an event id');
      return call(rt, "outbox.list", () =>
        box.list({
          limit,
          ...(query.status !== undefined && { status: query.status }),
          ...(query.before !== undefined && { beforeEventId: query.before }),
        }),
      );
    },
    async retry(eventId: string) {
      const box = outboxOf(rt);
      if (typeof eventId !== "string" || eventId === "")
        throw new KeywardError("invalid_request", 'keyward: "eventId" must be an event id');
      const count = await call(rt, "outbox.retry", () => box.retry(eventId, rt.config.clock()));
      if (count > 0) rt.worker?.kick();
      return count;
    },
  });
}
