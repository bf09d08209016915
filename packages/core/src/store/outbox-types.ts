/**
 * The outbox a store keeps for lifecycle events (DESIGN "Lifecycle events, delivered"): events
 * are written with the change that caused them where the store allows it, then delivered to each
 * webhook endpoint at least once by whichever instance holds the delivery's lease.
 *
 * Nothing here ever holds a token, a hash or a pepper: `data` is the public payload core built.
 * All times are epoch milliseconds.
 */

/** The lifecycle event types delivered to webhooks, in catalogue order (docs/events.md). */
export const LIFECYCLE_EVENT_TYPES = Object.freeze([
  "key.created",
  "key.updated",
  "key.rotated",
  "key.revoked",
  "key.deleted",
  "key.expiring",
  "key.expired",
  "key.grace_ending",
  "quota.threshold",
] as const);

/** One of {@link LIFECYCLE_EVENT_TYPES}. */
export type LifecycleEventType = (typeof LIFECYCLE_EVENT_TYPES)[number];

/** An event as the outbox stores it. */
export interface OutboxEvent {
  /** Stable and unique (`evt_…`); sent as `webhook-id`, so receivers can drop duplicates. */
  readonly id: string;
  readonly type: LifecycleEventType;
  /** When the event happened (for scheduled events: when it is due). */
  readonly timestamp: number;
  /** The JSON payload's `data` (key id, ownerId, name, preview, scopes, times…). */
  readonly data: Readonly<Record<string, unknown>>;
  /**
   * At most one event per dedupe key is ever stored (a second append with the same key is a
   * no-op): what makes scheduled events and quota thresholds exactly-once across instances.
   * Null for ordinary events.
   */
  readonly dedupeKey: string | null;
  /** Not delivered before this time (scheduled events); equals `timestamp` otherwise. */
  readonly deliverAfter: number;
}

/** Appending events: each event gets one delivery per endpoint id listed with it. */
export interface OutboxAppend {
  readonly event: OutboxEvent;
  /** Endpoint ids (from `webhooks[].id`, default derived from the URL) subscribed to the type. */
  readonly endpoints: readonly string[];
}

/** The state of one event's delivery to one endpoint. */
export type DeliveryStatus = "pending" | "delivered" | "dead" | "skipped";

/** One event's delivery to one endpoint. */
export interface OutboxDelivery {
  readonly event: OutboxEvent;
  readonly endpoint: string;
  readonly status: DeliveryStatus;
  /** Attempts made so far (0 before the first). */
  readonly attempts: number;
  /** When the next attempt is due (pending only). */
  readonly nextAttemptAt: number;
  /** The last failure, one line, no secrets (`"HTTP 503"`, `"timeout after 10000 ms"`); null before any. */
  readonly lastError: string | null;
  /** When the delivery ended (delivered, dead or skipped); null while pending. */
  readonly finishedAt: number | null;
}

/** A delivery leased to one instance until `leaseUntil`. */
export interface LeasedDelivery extends OutboxDelivery {
  /** The lease token the holder must pass back to finish or release the delivery. */
  readonly lease: string;
  readonly leaseUntil: number;
}

/** How a leased attempt ended. */
export type DeliveryOutcome =
  | { readonly status: "delivered"; readonly at: number }
  /** Failed; retry at `nextAttemptAt`, or dead-letter it when that is null. */
  | {
      readonly status: "failed";
      readonly at: number;
      readonly error: string;
      readonly nextAttemptAt: number | null;
    }
  /** Not sent and never will be (a scheduled reminder whose key changed or is gone). */
  | { readonly status: "skipped"; readonly at: number; readonly reason: string };

/** A page of deliveries for `keyward events list`. */
export interface DeliveryQuery {
  /** `failed` means pending with at least one failed attempt, or dead. */
  readonly status?: DeliveryStatus | "failed";
  readonly limit: number;
  /** Deliveries of events older than this event id (keyset paging, newest first). */
  readonly beforeEventId?: string;
}

/** Counts for `keyward.health()`. */
export interface OutboxStats {
  /** Pending with no failed attempt yet (scheduled ones only once due). */
  readonly pending: number;
  /** Pending after at least one failed attempt. */
  readonly retrying: number;
  readonly dead: number;
  /** `deliverAfter`/`nextAttemptAt` of the oldest due pending delivery; null when none is due. */
  readonly oldestDueAt: number | null;
  /** Every endpoint that has had a delivery or a failure: its last failure and when (null if none). */
  readonly endpoints: readonly {
    readonly endpoint: string;
    readonly lastError: string | null;
    readonly lastErrorAt: number | null;
  }[];
}

/**
 * The outbox of a store. Every method is atomic on its own; leases make one instance deliver a
 * given (event, endpoint) at a time, however many instances poll.
 */
export interface OutboxStore {
  /**
   * True when the store's key writes (`insertKey`, `updateKey`, `rotateKey`, `deleteKey`) take
   * their events as a last argument and append them in the same transaction as the change (only
   * when the change happens: not for a null/false result or a thrown conflict). False: core
   * calls `append` right after a successful write (a crash between the two loses the event;
   * docs/events.md says which stores are which).
   */
  readonly atomicWrites: boolean;
  /**
   * Stores events and their deliveries (status pending, attempts 0, `nextAttemptAt` =
   * `deliverAfter`). An event whose `id` or `dedupeKey` is already stored is skipped whole (no
   * new deliveries), so core may safely repeat an append that timed out. Returns how many
   * events were new.
   */
  append(entries: readonly OutboxAppend[]): Promise<number>;
  /**
   * Leases up to `limit` deliveries that are pending, due (`max(deliverAfter, nextAttemptAt) <= now`)
   * and not leased (or whose lease ended before `now`), until `now + leaseMs`.
   */
  lease(now: number, leaseMs: number, limit: number): Promise<LeasedDelivery[]>;
  /**
   * Ends an attempt and clears the lease; ignored (returns false) when `lease` is no longer the
   * delivery's lease (it ended and another instance leased it) or the delivery is not pending.
   * `delivered` and `failed` add one to `attempts`, `skipped` does not; `delivered`, `skipped`
   * and `failed` with `nextAttemptAt: null` (dead) set `finishedAt = at`; `failed` sets
   * `lastError` and records it as the endpoint's last error (`stats().endpoints`).
   */
  finish(eventId: string, endpoint: string, lease: string, outcome: DeliveryOutcome): Promise<boolean>;
  /**
   * Dead or pending deliveries of the event become pending and due at `now`, attempts reset to
   * 0, `finishedAt` null (`lastError` is kept; a current lease is kept, so an attempt in flight
   * still finishes). Delivered and skipped ones are left alone. Returns how many.
   */
  retry(eventId: string, now: number): Promise<number>;
  /** Newest first. */
  list(query: DeliveryQuery): Promise<OutboxDelivery[]>;
  stats(now: number): Promise<OutboxStats>;
  /** Removes delivered/skipped deliveries (and events left with none) finished before `before`. Returns how many. */
  prune(before: number, batchSize: number): Promise<number>;
}
