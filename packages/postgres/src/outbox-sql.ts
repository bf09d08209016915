/**
 * The outbox's SQL pieces shared by `append()` and the key writes that carry events: the
 * events go to the database as one `json` parameter and are inserted by data-modifying CTEs,
 * so a key write and its events are one statement — one round trip, one transaction — and a
 * write that did not happen (no row) appends nothing.
 */
import type { DeliveryStatus, OutboxAppend, OutboxDelivery, OutboxEvent } from "@keyward/core/store";
import type { Row } from "./client.js";
import type { Names } from "./options.js";

/** The events of an append as the one `json` parameter {@link appendCtes} reads. */
export function eventsParameter(entries: readonly OutboxAppend[]): string {
  return JSON.stringify(
    entries.map(({ event, endpoints }) => ({
      id: event.id,
      type: event.type,
      ts: event.timestamp,
      data: event.data,
      dedupe_key: event.dedupeKey,
      deliver_after: event.deliverAfter,
      endpoints: [...new Set(endpoints)],
    })),
  );
}

/**
 * CTEs (to follow `WITH`, comma-separated, no trailing comma) that insert the events of
 * parameter `$<param>` (see {@link eventsParameter}) with one pending delivery per endpoint,
 * and register the endpoints. With `guard` (the name of an earlier CTE), nothing is appended
 * unless that CTE returned a row: the change happened. An event whose id or dedupe key exists
 * is skipped with its deliveries (`ON CONFLICT DO NOTHING` covers the partial unique index on
 * `dedupe_key`, and a concurrent append of the same key waits for the first to commit).
 * `ob_ev` returns the ids of the events that were new.
 */
export function appendCtes(names: Names, param: number, guard?: string): string {
  const { outboxEvents, outboxDeliveries, outboxEndpoints } = names;
  const endpoints = "CROSS JOIN LATERAL json_array_elements_text(i.endpoints) AS e(endpoint)";
  return `ob_in AS MATERIALIZED (
       SELECT x.id, x.type, x.ts, x.data, x.dedupe_key, x.deliver_after, x.endpoints
       FROM json_to_recordset($${param}::json) AS x(id text, type text, ts bigint, data json,
         dedupe_key text, deliver_after bigint, endpoints json)
       ${guard === undefined ? "" : `WHERE EXISTS (SELECT 1 FROM ${guard})`}
     ),
     ob_ev AS (
       INSERT INTO ${outboxEvents} (id, type, ts, data, dedupe_key, deliver_after)
       SELECT id, type, ts, data, dedupe_key, deliver_after FROM ob_in
       ON CONFLICT DO NOTHING
       RETURNING id
     ),
     ob_dl AS (
       INSERT INTO ${outboxDeliveries} (event_id, endpoint, deliver_after, next_attempt_at, due_at)
       SELECT i.id, e.endpoint, i.deliver_after, i.deliver_after, i.deliver_after
       FROM ob_ev JOIN ob_in i ON i.id = ob_ev.id ${endpoints}
       ON CONFLICT DO NOTHING
     ),
     ob_ep AS (
       INSERT INTO ${outboxEndpoints} (endpoint)
       SELECT DISTINCT e.endpoint FROM ob_ev JOIN ob_in i ON i.id = ob_ev.id ${endpoints}
       ON CONFLICT DO NOTHING
     )`;
}

/** The columns a delivery is read with (deliveries `d` joined to their event `e`). */
export const DELIVERY_COLUMNS = `d.event_id, d.endpoint, d.status, d.attempts, d.next_attempt_at,
  d.last_error, d.finished_at, d.lease, d.lease_until,
  e.type, e.ts, e.data, e.dedupe_key, e.deliver_after`;

const ms = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** A row of {@link DELIVERY_COLUMNS} as an OutboxDelivery (int8 arrives as a string on pg). */
export function toDelivery(row: Row): OutboxDelivery {
  const event: OutboxEvent = {
    id: row.event_id as string,
    type: row.type as OutboxEvent["type"],
    timestamp: Number(row.ts),
    data: (row.data as OutboxEvent["data"]) ?? {},
    dedupeKey: (row.dedupe_key as string | null) ?? null,
    deliverAfter: Number(row.deliver_after),
  };
  return {
    event,
    endpoint: row.endpoint as string,
    status: row.status as DeliveryStatus,
    attempts: Number(row.attempts),
    nextAttemptAt: Number(row.next_attempt_at),
    lastError: (row.last_error as string | null) ?? null,
    finishedAt: ms(row.finished_at),
  };
}
