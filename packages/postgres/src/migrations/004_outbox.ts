// Generated from sql/004_outbox.sql by scripts/sync-migrations.mjs; edit the .sql file, then rerun it.
/** The text of sql/004_outbox.sql, with {{schema}} and {{prefix}} placeholders. */
export const sql = `-- keyward 004_outbox: the durable outbox of lifecycle events and their webhook deliveries.
-- Placeholders: {{schema}} and {{prefix}} (see docs/postgres.md). All times are epoch ms (bigint).
-- Nothing here ever holds a token, a hash or a pepper: data is the public payload keyward built.

-- One row per event. Key writes insert their events in the same statement as the change.
CREATE TABLE IF NOT EXISTS "{{schema}}"."{{prefix}}outbox_events" (
  id             text COLLATE "C" PRIMARY KEY, -- evt_…, time-ordered; sent as webhook-id
  type           text NOT NULL,
  ts             bigint NOT NULL,               -- when it happened (scheduled: when it is due)
  data           json NOT NULL,                 -- json, not jsonb: the payload round-trips as written
  dedupe_key     text COLLATE "C",              -- scheduled events: at most one per key
  deliver_after  bigint NOT NULL
);

-- Exactly once per dedupe key, however many instances append it (INSERT … ON CONFLICT DO NOTHING).
CREATE UNIQUE INDEX IF NOT EXISTS "{{prefix}}outbox_events_dedupe_key_idx"
  ON "{{schema}}"."{{prefix}}outbox_events" (dedupe_key) WHERE dedupe_key IS NOT NULL;

-- One row per (event, endpoint). due_at = greatest(deliver_after, next_attempt_at): the index
-- the lease scans. A leased row keeps status 'pending' with lease/lease_until set.
CREATE TABLE IF NOT EXISTS "{{schema}}"."{{prefix}}outbox_deliveries" (
  event_id         text COLLATE "C" NOT NULL
                     REFERENCES "{{schema}}"."{{prefix}}outbox_events" (id) ON DELETE CASCADE,
  endpoint         text COLLATE "C" NOT NULL,
  status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'delivered', 'dead', 'skipped')),
  attempts         integer NOT NULL DEFAULT 0,
  deliver_after    bigint NOT NULL,
  next_attempt_at  bigint NOT NULL,
  due_at           bigint NOT NULL,
  lease            text,
  lease_until      bigint,
  last_error       text,
  last_error_at    bigint,
  finished_at      bigint,
  PRIMARY KEY (event_id, endpoint)
);

-- lease(): pending deliveries in due order (FOR UPDATE SKIP LOCKED); stats() counts them.
CREATE INDEX IF NOT EXISTS "{{prefix}}outbox_deliveries_due_idx"
  ON "{{schema}}"."{{prefix}}outbox_deliveries" (due_at) WHERE status = 'pending';
-- prune(): finished deliveries by age.
CREATE INDEX IF NOT EXISTS "{{prefix}}outbox_deliveries_finished_idx"
  ON "{{schema}}"."{{prefix}}outbox_deliveries" (finished_at) WHERE status IN ('delivered', 'skipped');
-- list --status failed|dead and stats(): the few deliveries that failed, newest first.
CREATE INDEX IF NOT EXISTS "{{prefix}}outbox_deliveries_failed_idx"
  ON "{{schema}}"."{{prefix}}outbox_deliveries" (event_id DESC)
  WHERE status = 'dead' OR (status = 'pending' AND attempts > 0);

-- One row per endpoint ever appended to: its last failure, for keyward.health() without a scan
-- of the deliveries. Survives prune().
CREATE TABLE IF NOT EXISTS "{{schema}}"."{{prefix}}outbox_endpoints" (
  endpoint       text COLLATE "C" PRIMARY KEY,
  last_error     text,
  last_error_at  bigint
);
`;
