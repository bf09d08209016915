-- keyward 001_init: keys, their secrets, counters and the consume() function.
-- Placeholders: {{schema}} and {{prefix}} (see docs/postgres.md). All times are epoch ms (bigint).

CREATE TABLE IF NOT EXISTS "{{schema}}"."{{prefix}}keys" (
  id            text COLLATE "C" PRIMARY KEY,
  owner_id      text COLLATE "C",
  name          text,
  prefix        text NOT NULL,
  start         text NOT NULL,
  scopes        text[] NOT NULL DEFAULT '{}',
  metadata      json NOT NULL DEFAULT '{}', -- json, not jsonb: key order round-trips as written
  enabled       boolean NOT NULL DEFAULT true,
  created_at    bigint NOT NULL,
  updated_at    bigint NOT NULL,
  expires_at    bigint,
  revoked_at    bigint,
  last_used_at  bigint,
  usage_count   bigint NOT NULL DEFAULT 0,
  rate_limit    jsonb,
  quota         jsonb
);

-- Listing one owner's keys, newest first (keyset pagination on id).
CREATE INDEX IF NOT EXISTS "{{prefix}}keys_owner_id_idx" ON "{{schema}}"."{{prefix}}keys" (owner_id, id DESC);
-- Listing by scope: scopes @> ARRAY[$1].
CREATE INDEX IF NOT EXISTS "{{prefix}}keys_scopes_idx" ON "{{schema}}"."{{prefix}}keys" USING gin (scopes);
-- purge(): revoked or expired keys.
CREATE INDEX IF NOT EXISTS "{{prefix}}keys_revoked_at_idx" ON "{{schema}}"."{{prefix}}keys" (revoked_at)
  WHERE revoked_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS "{{prefix}}keys_expires_at_idx" ON "{{schema}}"."{{prefix}}keys" (expires_at)
  WHERE expires_at IS NOT NULL;

-- One row per token hash. A rotated key keeps its older secrets as separate rows until they expire.
CREATE TABLE IF NOT EXISTS "{{schema}}"."{{prefix}}secrets" (
  hash        text COLLATE "C" PRIMARY KEY,
  key_id      text COLLATE "C" NOT NULL REFERENCES "{{schema}}"."{{prefix}}keys" (id) ON DELETE CASCADE,
  created_at  bigint NOT NULL,
  expires_at  bigint
);

CREATE INDEX IF NOT EXISTS "{{prefix}}secrets_key_id_idx" ON "{{schema}}"."{{prefix}}secrets" (key_id);
CREATE INDEX IF NOT EXISTS "{{prefix}}secrets_expires_at_idx" ON "{{schema}}"."{{prefix}}secrets" (expires_at)
  WHERE expires_at IS NOT NULL;

-- Rate-limit and quota state. kind: the algorithm, or 'quota'; NULL for a row that only holds a
-- lock (its state is a fresh one). ts: window start (fixed, sliding), last refill (token bucket)
-- or period start (quota). v: count (fixed), previous window (sliding), level = tokens x window
-- (token bucket) or balance (quota). v2: current window (sliding). expires_at: from then on the
-- state equals a fresh one and the row may be deleted (NULL for quotas: a balance never expires).
CREATE TABLE IF NOT EXISTS "{{schema}}"."{{prefix}}counters" (
  partition   text COLLATE "C" NOT NULL,
  key         text COLLATE "C" NOT NULL,
  kind        text,
  window_ms   bigint,
  ts          bigint,
  v           bigint,
  v2          bigint,
  expires_at  bigint,
  PRIMARY KEY (partition, key)
);

CREATE INDEX IF NOT EXISTS "{{prefix}}counters_expires_at_idx" ON "{{schema}}"."{{prefix}}counters" (expires_at)
  WHERE expires_at IS NOT NULL;

-- One verification's counter work, all or nothing, in one call. The rows are locked in key order
-- (missing ones are created first), every limit and the quota are evaluated on the locked state,
-- and only when all of them admit the call is the new state written. The math mirrors
-- packages/core/src/ratelimit/algorithms.ts and packages/core/src/quota/balance.ts exactly.
CREATE OR REPLACE FUNCTION "{{schema}}"."{{prefix}}consume"(
  p_partition text,
  p_now bigint,
  p_keys text[],
  p_limits bigint[],
  p_windows bigint[],
  p_algorithms text[],
  p_costs bigint[],
  p_quota_key text,
  p_quota_limit bigint,
  p_quota_interval bigint,
  p_quota_amount bigint,
  p_quota_cost bigint,
  p_durable boolean,
  OUT allowed boolean,
  OUT limit_allowed boolean[],
  OUT limit_remaining bigint[],
  OUT limit_reset_ms bigint[],
  OUT limit_retry_ms bigint[],
  OUT quota_allowed boolean,
  OUT quota_remaining bigint,
  OUT quota_refill_at bigint
) LANGUAGE plpgsql AS $fn$
DECLARE
  n int := coalesce(array_length(p_keys, 1), 0);
  i int;
  lim numeric;
  win numeric;
  cost numeric;
  alg text;
  s_kind text;
  s_window numeric;
  s_ts numeric;
  s_v numeric;
  s_v2 numeric;
  t numeric;
  aligned numeric;
  elapsed numeric;
  room numeric;
  cap numeric;
  admits boolean;
  e_t numeric[] := '{}';
  e_ts numeric[] := '{}';
  e_v numeric[] := '{}';
  e_v2 numeric[] := '{}';
  e_ok boolean[] := '{}';
  q_start numeric;
  q_rem numeric;
BEGIN
  -- Counter writes need not wait for the WAL flush (unless asked to): a database crash may lose
  -- the last moments of counting, never corrupt it. Applies to this call's own transaction only.
  IF NOT p_durable THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;

  -- Lock every counter of the call in one deterministic order; create missing rows (fresh state).
  INSERT INTO "{{schema}}"."{{prefix}}counters" AS c (partition, key, expires_at)
  SELECT p_partition, k, p_now
  FROM (SELECT DISTINCT u.k FROM unnest(array_append(p_keys, p_quota_key)) AS u(k) WHERE u.k IS NOT NULL) AS d
  ORDER BY k COLLATE "C"
  ON CONFLICT (partition, key) DO UPDATE SET expires_at = c.expires_at WHERE false;

  allowed := true;

  -- Evaluate: roll each limit's state to the call's time and test it.
  FOR i IN 1..n LOOP
    lim := p_limits[i];
    win := p_windows[i];
    cost := p_costs[i];
    alg := p_algorithms[i];
    SELECT c.kind, c.window_ms, c.ts, c.v, c.v2 INTO s_kind, s_window, s_ts, s_v, s_v2
    FROM "{{schema}}"."{{prefix}}counters" AS c
    WHERE c.partition = p_partition AND c.key = p_keys[i];
    IF s_kind IS DISTINCT FROM alg OR s_window IS DISTINCT FROM win THEN
      s_kind := NULL; -- never seen, reclaimed, or kept for another algorithm or window: fresh
    END IF;

    IF s_kind IS NULL THEN
      t := p_now;
    ELSE
      t := greatest(p_now, s_ts);
    END IF;

    IF alg = 'fixed-window' THEN
      aligned := div(t, win) * win;
      IF s_kind IS NULL OR s_ts <> aligned THEN
        s_ts := aligned;
        s_v := 0;
      END IF;
      admits := s_v + cost <= lim;
    ELSIF alg = 'sliding-window' THEN
      aligned := div(t, win) * win;
      IF s_kind IS NULL THEN
        s_ts := aligned; s_v := 0; s_v2 := 0;
      ELSIF aligned = s_ts + win THEN
        s_ts := aligned; s_v := s_v2; s_v2 := 0;
      ELSIF aligned <> s_ts THEN
        s_ts := aligned; s_v := 0; s_v2 := 0;
      END IF;
      admits := s_v * (win - (t - s_ts)) + (s_v2 + cost) * win <= lim * win;
    ELSIF alg = 'token-bucket' THEN
      cap := lim * win;
      IF s_kind IS NULL THEN
        s_v := cap; s_ts := t;
      ELSIF t <> s_ts THEN
        s_v := least(cap, s_v + (t - s_ts) * lim); s_ts := t;
      END IF;
      admits := s_v >= cost * win;
    ELSE
      RAISE EXCEPTION 'keyward: unknown rate-limit algorithm %', alg USING ERRCODE = '22023';
    END IF;

    e_t[i] := t; e_ts[i] := s_ts; e_v[i] := s_v; e_v2[i] := s_v2; e_ok[i] := admits;
    allowed := allowed AND admits;
  END LOOP;

  IF p_quota_key IS NOT NULL THEN
    SELECT c.kind, c.ts, c.v INTO s_kind, q_start, q_rem
    FROM "{{schema}}"."{{prefix}}counters" AS c
    WHERE c.partition = p_partition AND c.key = p_quota_key;
    IF s_kind IS DISTINCT FROM 'quota' THEN
      q_start := p_now; q_rem := p_quota_limit;
    ELSIF p_quota_interval IS NOT NULL AND p_now >= q_start + p_quota_interval THEN
      q_start := q_start + div(p_now - q_start, p_quota_interval) * p_quota_interval;
      q_rem := p_quota_amount;
    END IF;
    quota_allowed := q_rem >= p_quota_cost;
    allowed := allowed AND quota_allowed;
  END IF;

  -- Apply (only when everything admitted) and report.
  limit_allowed := '{}'; limit_remaining := '{}'; limit_reset_ms := '{}'; limit_retry_ms := '{}';
  FOR i IN 1..n LOOP
    lim := p_limits[i];
    win := p_windows[i];
    cost := p_costs[i];
    alg := p_algorithms[i];
    t := e_t[i]; s_ts := e_ts[i]; s_v := e_v[i]; s_v2 := e_v2[i];
    limit_allowed[i] := e_ok[i];

    IF alg = 'fixed-window' THEN
      IF allowed THEN
        s_v := s_v + cost;
        UPDATE "{{schema}}"."{{prefix}}counters"
        SET kind = alg, window_ms = win, ts = s_ts, v = s_v, v2 = NULL, expires_at = s_ts + win
        WHERE partition = p_partition AND key = p_keys[i];
      END IF;
      limit_remaining[i] := greatest(0, lim - s_v);
      limit_reset_ms[i] := s_ts + win - t;
      limit_retry_ms[i] := CASE WHEN e_ok[i] THEN 0 ELSE s_ts + win - t END;
    ELSIF alg = 'sliding-window' THEN
      elapsed := t - s_ts;
      IF NOT e_ok[i] THEN
        room := (lim - s_v2 - cost) * win;
        IF room >= 0 AND s_v > 0 THEN
          limit_retry_ms[i] := win - elapsed - div(room, s_v);
        ELSIF cost > lim THEN
          limit_retry_ms[i] := CASE WHEN s_v2 > 0 THEN 2 * win - elapsed WHEN s_v > 0 THEN win - elapsed ELSE 0 END;
        ELSIF s_v2 = 0 THEN
          limit_retry_ms[i] := win - elapsed;
        ELSE
          limit_retry_ms[i] := 2 * win - elapsed - div((lim - cost) * win, s_v2);
        END IF;
      ELSE
        limit_retry_ms[i] := 0;
      END IF;
      IF allowed THEN
        s_v2 := s_v2 + cost;
        UPDATE "{{schema}}"."{{prefix}}counters"
        SET kind = alg, window_ms = win, ts = s_ts, v = s_v, v2 = s_v2, expires_at = s_ts + 2 * win
        WHERE partition = p_partition AND key = p_keys[i];
      END IF;
      room := lim * win - s_v * (win - elapsed) - s_v2 * win;
      limit_remaining[i] := CASE WHEN room <= 0 THEN 0 ELSE div(room, win) END;
      limit_reset_ms[i] := CASE WHEN s_v2 > 0 THEN 2 * win - elapsed WHEN s_v > 0 THEN win - elapsed ELSE 0 END;
    ELSE -- token-bucket
      cap := lim * win;
      IF NOT e_ok[i] THEN
        IF cost > lim THEN
          limit_retry_ms[i] := div(cap - s_v + lim - 1, lim);
        ELSE
          limit_retry_ms[i] := div(cost * win - s_v + lim - 1, lim);
        END IF;
      ELSE
        limit_retry_ms[i] := 0;
      END IF;
      IF allowed THEN
        s_v := s_v - cost * win;
        UPDATE "{{schema}}"."{{prefix}}counters"
        SET kind = alg, window_ms = win, ts = s_ts, v = s_v, v2 = NULL,
            expires_at = s_ts + div(cap - s_v + lim - 1, lim)
        WHERE partition = p_partition AND key = p_keys[i];
      END IF;
      limit_remaining[i] := div(s_v, win);
      limit_reset_ms[i] := div(cap - s_v + lim - 1, lim);
    END IF;
  END LOOP;

  IF p_quota_key IS NOT NULL THEN
    IF allowed THEN
      q_rem := q_rem - p_quota_cost;
      UPDATE "{{schema}}"."{{prefix}}counters"
      SET kind = 'quota', window_ms = NULL, ts = q_start, v = q_rem, v2 = NULL, expires_at = NULL
      WHERE partition = p_partition AND key = p_quota_key;
    END IF;
    quota_remaining := q_rem;
    quota_refill_at := CASE WHEN p_quota_interval IS NULL THEN NULL ELSE q_start + p_quota_interval END;
  END IF;
END
$fn$;
