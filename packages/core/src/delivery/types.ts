/**
 * Public types of lifecycle-event delivery: the `webhooks` and `events` options of
 * `createKeyward()`, `keyward.health()` and `keyward.events`. Nothing here has behaviour.
 */
import type {
  DeliveryStatus,
  LifecycleEventType,
  OutboxDelivery,
  OutboxStats,
} from "../store/outbox-types.js";
import type { Duration } from "../types.js";

/**
 * The retry schedule of one endpoint. Attempt `n + 1` follows a failed attempt `n` after a
 * random delay between 0 and `min(maxDelay, initialDelay × 4^(n−1))` ("full jitter"); after
 * `attempts` failed attempts the delivery is dead (`keyward.events.retry(id)` revives it).
 */
export interface WebhookRetry {
  /** Upper bound of the first retry's delay. @defaultValue "5s" */
  initialDelay?: Duration;
  /** No delay is longer than this. @defaultValue "10h" */
  maxDelay?: Duration;
  /** Attempts in all, the first included (1 = never retry). @defaultValue 8 */
  attempts?: number;
}

/**
 * One endpoint that receives lifecycle events as Standard Webhooks
 * (https://www.standardwebhooks.com/): a JSON `POST` of `{ type, timestamp, data }` with the
 * headers `webhook-id` (the event id, stable across retries), `webhook-timestamp` (seconds) and
 * `webhook-signature` (`v1,<base64 HMAC-SHA-256>`), signed with the `standardwebhooks` package.
 * Any 2xx answer is a delivery; anything else, a timeout or a network error is retried.
 */
export interface WebhookEndpoint {
  /** Where to `POST`: an `http:` or `https:` URL. */
  url: string;
  /** The signing secret, `whsec_` + base64 of 24 to 64 random bytes (as Svix and Standard Webhooks issue them). */
  secret: string;
  /** The event types this endpoint receives. @defaultValue every type in `LIFECYCLE_EVENT_TYPES` */
  events?: readonly LifecycleEventType[];
  /** @defaultValue { initialDelay: "5s", maxDelay: "10h", attempts: 8 } */
  retry?: WebhookRetry;
  /**
   * Names the endpoint in the outbox, `health()` and `keyward status`; keep it stable across
   * deploys (pending deliveries are addressed by it). @defaultValue the URL without query,
   * fragment or credentials (`https://hooks.example.com/keyward`)
   */
  id?: string;
  /** Per-attempt deadline (the request is aborted past it). @defaultValue "10s" */
  timeout?: Duration;
}

/** How lifecycle events are scheduled and delivered (`createKeyward({ events })`). */
export interface EventsOptions {
  /** `key.expiring` is sent this long before a key's `expiresAt`, once per lead. @defaultValue ["7d", "1d"] */
  expiringLeads?: readonly Duration[];
  /** `key.grace_ending` is sent this long before a rotation's grace period ends. @defaultValue "1h" */
  graceEndingLead?: Duration;
  /** `quota.threshold` is sent when a quota period's usage reaches each of these percentages. @defaultValue [80, 95, 100] */
  quotaThresholds?: readonly number[];
  /** How often the delivery worker asks the outbox for due deliveries. @defaultValue "1s" */
  poll?: Duration;
  /** Deliveries in flight at once, per instance. @defaultValue 8 */
  concurrency?: number;
  /** Delivered and skipped deliveries are pruned from the outbox after this long. @defaultValue "7d" */
  retention?: Duration;
  /**
   * False: this instance writes events but runs no delivery worker (a CLI, a short-lived
   * script); another instance delivers them. @defaultValue true
   */
  deliver?: boolean;
}

/** What `keyward.events.list()` takes. */
export interface DeliveryListQuery {
  /** `"failed"`: pending after a failed attempt, or dead. @defaultValue every status */
  status?: DeliveryStatus | "failed";
  /** @defaultValue 50 (max 1000) */
  limit?: number;
  /** Only deliveries of events older than this event id (the last one of the previous page). */
  before?: string;
}

/** The outbox as an operator sees it: `keyward.events` (the `keyward events` CLI commands). */
export interface EventDeliveries {
  /**
   * Deliveries, newest event first (one per event and endpoint).
   * @throws TypeError when the store keeps no outbox; KeywardError `invalid_request` for a bad
   *   query; `unavailable` on store failure/timeout
   */
  list(query?: DeliveryListQuery): Promise<OutboxDelivery[]>;
  /**
   * Makes the event's dead or pending deliveries due now, with a fresh set of attempts. Returns
   * how many deliveries that was (0: unknown event, or every delivery already delivered/skipped).
   * @throws TypeError when the store keeps no outbox; KeywardError `unavailable` on store failure/timeout
   */
  retry(eventId: string): Promise<number>;
}

/** The outbox part of {@link KeywardHealth}. Times are epoch ms. */
export interface OutboxHealth extends OutboxStats {
  /** ms since `oldestDueAt` (how long the oldest due delivery has waited); null when none is due. */
  oldestDueAge: number | null;
}

/**
 * `keyward.health()`: the asynchronous state of this instance and its store, for an operator or
 * a health probe. Times are epoch ms, ages are ms.
 */
export interface KeywardHealth {
  /** False when any `problems` were found. */
  ok: boolean;
  /** One line per problem: a failed usage flush, invalidation down, dead deliveries, a stalled outbox. */
  problems: string[];
  /** The usage write-behind of this instance (`lastUsedAt`, usage counts). */
  writeBehind: {
    /** Keys with usage waiting to be flushed. */
    pendingKeys: number;
    /** When the last flush succeeded; null before the first. */
    lastFlushAt: number | null;
    /** The last flush's failure (cleared by a later success); null when it succeeded. */
    lastError: string | null;
  };
  /** The cross-instance invalidation subscription; null when the store has no bus. */
  invalidation: {
    connected: boolean;
    /** When the last message arrived; null before the first. */
    lastMessageAt: number | null;
    /** ms since then. */
    lastMessageAge: number | null;
  } | null;
  /** The store's outbox; null when the store keeps none. */
  outbox: OutboxHealth | null;
}
