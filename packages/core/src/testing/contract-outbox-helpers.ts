/**
 * Fixtures of the outbox contract: fresh events and endpoints, and a drain that empties what
 * earlier tests left due, so each test leases only its own deliveries.
 */
import { randomBytes } from "node:crypto";
import { createEventIds } from "../delivery/payload.js";
import type { LifecycleEventType, OutboxEvent, OutboxStore } from "../store/outbox-types.js";
import type { KeywardStore } from "../store/types.js";
import { freshId } from "./contract-helpers.js";

const nextEventId = createEventIds();

/** A lease long enough never to end during a test unless the test moves `now` past it. */
export const LEASE_MS = 60_000;

/** A fresh endpoint id. */
export const freshEndpoint = (): string => `https://hooks.example/${randomBytes(6).toString("hex")}`;

/** A fresh event due at `at` (default now), newer than every event made before it. */
export function freshEvent(
  overrides: Partial<OutboxEvent> & { at?: number; type?: LifecycleEventType } = {},
): OutboxEvent {
  const { at = Date.now(), ...rest } = overrides;
  return {
    id: nextEventId(Date.now()),
    type: "key.created",
    timestamp: at,
    data: {
      id: freshId(),
      ownerId: null,
      name: "contract",
      preview: "sk_test_AbCd…x9Z0",
      scopes: ["task:read"],
    },
    dedupeKey: null,
    deliverAfter: at,
    ...rest,
  };
}

/** The store's outbox; fails the suite clearly when there is none. */
export function outboxOf(store: KeywardStore): OutboxStore {
  if (!store.outbox) throw new Error(`the ${store.kind} store has no outbox (runOutboxContract needs one)`);
  return store.outbox;
}

/**
 * Leases everything due up to `horizon` and marks it delivered, so that a test on a shared
 * backend sees only what it appends itself.
 */
export async function drain(outbox: OutboxStore, horizon: number): Promise<void> {
  for (let round = 0; round < 100; round++) {
    const leased = await outbox.lease(horizon, 1, 500);
    if (leased.length === 0) return;
    await Promise.all(
      leased.map((d) => outbox.finish(d.event.id, d.endpoint, d.lease, { status: "delivered", at: horizon })),
    );
  }
}
