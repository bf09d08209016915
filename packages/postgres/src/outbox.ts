/**
 * The outbox half of `postgresStore()` (tables of migration 004). Every method is one
 * statement. Leasing is the classic queue: `FOR UPDATE SKIP LOCKED` over the pending
 * deliveries in due order, so concurrent instances never lease the same delivery, and a
 * lease whose holder died is taken over once `lease_until` has passed.
 */
import type {
  DeliveryOutcome,
  DeliveryQuery,
  LeasedDelivery,
  OutboxAppend,
  OutboxDelivery,
  OutboxStats,
  OutboxStore,
} from "@keyward/core/store";
import { type Executor, statement } from "./client.js";
import type { Names } from "./options.js";
import { appendCtes, DELIVERY_COLUMNS, eventsParameter, toDelivery } from "./outbox-sql.js";

/** `list()` filters by status; `failed` is a pending delivery that failed at least once, or a dead one. */
const STATUS_FILTERS: Readonly<Record<NonNullable<DeliveryQuery["status"]>, string>> = {
  pending: "d.status = 'pending'",
  delivered: "d.status = 'delivered'",
  dead: "d.status = 'dead'",
  skipped: "d.status = 'skipped'",
  failed: "(d.status = 'dead' OR (d.status = 'pending' AND d.attempts > 0))",
};

const ms = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** The OutboxStore of `postgresStore()`: `atomicWrites` is true (see keys.ts). */
export function createOutbox(db: Executor, names: Names): OutboxStore {
  const { outboxEvents: E, outboxDeliveries: D, outboxEndpoints: EP } = names;

  const append = statement("outbox_append", `WITH ${appendCtes(names, 1)} SELECT count(*) AS n FROM ob_ev`);
  // Locks the due rows it takes (skipping rows another instance holds), then stamps each with a
  // lease of its own (gen_random_uuid(): core since PostgreSQL 13).
  const lease = statement(
    "outbox_lease",
    `WITH due AS (
       SELECT event_id, endpoint FROM ${D}
       WHERE status = 'pending' AND due_at <= $1::bigint
         AND (lease_until IS NULL OR lease_until <= $1::bigint)
       ORDER BY due_at, event_id, endpoint
       LIMIT $3
       FOR UPDATE SKIP LOCKED
     )
     UPDATE ${D} d SET lease = gen_random_uuid()::text, lease_until = $1::bigint + $2::bigint
     FROM due, ${E} e
     WHERE d.event_id = due.event_id AND d.endpoint = due.endpoint AND e.id = d.event_id
     RETURNING ${DELIVERY_COLUMNS}, d.due_at`,
  );
  // $4 outcome, $5 at, $6 next attempt (failed; null = dead), $7 the error (failed only).
  const finish = statement(
    "outbox_finish",
    `WITH f AS (
       UPDATE ${D} SET
         status = CASE WHEN $4::text = 'failed' AND $6::bigint IS NOT NULL THEN 'pending'
                       WHEN $4::text = 'failed' THEN 'dead' ELSE $4::text END,
         attempts = attempts + CASE WHEN $4::text = 'skipped' THEN 0 ELSE 1 END,
         next_attempt_at = coalesce($6::bigint, next_attempt_at),
         due_at = greatest(deliver_after, coalesce($6::bigint, next_attempt_at)),
         last_error = CASE WHEN $4::text = 'failed' THEN $7::text ELSE last_error END,
         last_error_at = CASE WHEN $4::text = 'failed' THEN $5::bigint ELSE last_error_at END,
         finished_at = CASE WHEN $4::text = 'failed' AND $6::bigint IS NOT NULL THEN NULL ELSE $5::bigint END,
         lease = NULL, lease_until = NULL
       WHERE event_id = $1 AND endpoint = $2 AND lease = $3::text AND status = 'pending'
       RETURNING endpoint
     ),
     ep AS (
       INSERT INTO ${EP} AS ep (endpoint, last_error, last_error_at)
       SELECT endpoint, $7::text, $5::bigint FROM f WHERE $4::text = 'failed'
       ON CONFLICT (endpoint) DO UPDATE SET last_error = excluded.last_error, last_error_at = excluded.last_error_at
       WHERE ep.last_error_at IS NULL OR ep.last_error_at <= excluded.last_error_at
     )
     SELECT count(*) AS n FROM f`,
  );
  const retry = statement(
    "outbox_retry",
    `UPDATE ${D} SET status = 'pending', attempts = 0, next_attempt_at = $2::bigint,
       due_at = greatest(deliver_after, $2::bigint), finished_at = NULL
     WHERE event_id = $1 AND status IN ('pending', 'dead')
     RETURNING 1 AS one`,
  );
  const stats = statement(
    "outbox_stats",
    `SELECT
       (SELECT count(*) FROM ${D} WHERE status = 'pending' AND attempts = 0 AND due_at <= $1::bigint) AS pending,
       (SELECT count(*) FROM ${D} WHERE status = 'pending' AND attempts > 0) AS retrying,
       (SELECT count(*) FROM ${D} WHERE status = 'dead') AS dead,
       (SELECT min(due_at) FROM ${D} WHERE status = 'pending' AND due_at <= $1::bigint) AS oldest,
       (SELECT coalesce(json_agg(json_build_object('endpoint', endpoint, 'lastError', last_error,
          'lastErrorAt', last_error_at) ORDER BY endpoint), '[]') FROM ${EP}) AS endpoints`,
  );
  // Finished deliveries first, then the events left without any (their own or older bare ones).
  const prune = statement(
    "outbox_prune",
    `WITH gone AS (
       DELETE FROM ${D} WHERE (event_id, endpoint) IN (
         SELECT event_id, endpoint FROM ${D}
         WHERE status IN ('delivered', 'skipped') AND finished_at < $1::bigint
         ORDER BY finished_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ) RETURNING event_id, endpoint
     ),
     orphans AS (
       DELETE FROM ${E} e
       WHERE e.id IN (SELECT event_id FROM gone)
         AND NOT EXISTS (
           SELECT 1 FROM ${D} d WHERE d.event_id = e.id
             AND (d.event_id, d.endpoint) NOT IN (SELECT event_id, endpoint FROM gone)
         )
     )
     SELECT count(*) AS n FROM gone`,
  );

  return {
    atomicWrites: true,

    async append(entries: readonly OutboxAppend[]): Promise<number> {
      if (entries.length === 0) return 0;
      const rows = await db.run(append, [eventsParameter(entries)]);
      return Number(rows[0]?.n ?? 0);
    },

    async lease(now: number, leaseMs: number, limit: number): Promise<LeasedDelivery[]> {
      if (limit <= 0) return [];
      const rows = await db.run(lease, [now, leaseMs, limit]);
      // RETURNING keeps no order: due order, as the rows were chosen.
      rows.sort(
        (a, b) =>
          Number(a.due_at) - Number(b.due_at) ||
          String(a.event_id).localeCompare(String(b.event_id)) ||
          String(a.endpoint).localeCompare(String(b.endpoint)),
      );
      return rows.map((row) => ({
        ...toDelivery(row),
        lease: row.lease as string,
        leaseUntil: Number(row.lease_until),
      }));
    },

    async finish(eventId: string, endpoint: string, leaseId: string, outcome: DeliveryOutcome) {
      const next = outcome.status === "failed" ? outcome.nextAttemptAt : null;
      const text = outcome.status === "failed" ? outcome.error : null;
      const rows = await db.run(finish, [eventId, endpoint, leaseId, outcome.status, outcome.at, next, text]);
      return Number(rows[0]?.n ?? 0) > 0;
    },

    async retry(eventId: string, now: number): Promise<number> {
      return (await db.run(retry, [eventId, now])).length;
    },

    async list(query: DeliveryQuery): Promise<OutboxDelivery[]> {
      const where: string[] = [];
      const values: unknown[] = [];
      if (query.status !== undefined) where.push(STATUS_FILTERS[query.status]);
      if (query.beforeEventId !== undefined) {
        values.push(query.beforeEventId);
        where.push(`d.event_id < $${values.length}`);
      }
      values.push(query.limit);
      const text =
        `SELECT ${DELIVERY_COLUMNS} FROM ${D} d JOIN ${E} e ON e.id = d.event_id` +
        (where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "") +
        ` ORDER BY d.event_id DESC, d.endpoint LIMIT $${values.length}`;
      return (await db.run(statement("outbox_list", text), values)).map(toDelivery);
    },

    async stats(now: number): Promise<OutboxStats> {
      const row = (await db.run(stats, [now]))[0] ?? {};
      const endpoints =
        (row.endpoints as { endpoint: string; lastError: string | null; lastErrorAt: unknown }[]) ?? [];
      return {
        pending: Number(row.pending ?? 0),
        retrying: Number(row.retrying ?? 0),
        dead: Number(row.dead ?? 0),
        oldestDueAt: ms(row.oldest),
        endpoints: endpoints.map((e) => ({
          endpoint: e.endpoint,
          lastError: e.lastError ?? null,
          lastErrorAt: ms(e.lastErrorAt),
        })),
      };
    },

    async prune(before: number, batchSize: number): Promise<number> {
      const rows = await db.run(prune, [before, batchSize]);
      return Number(rows[0]?.n ?? 0);
    },
  };
}
