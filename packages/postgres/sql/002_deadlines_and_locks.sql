-- keyward 002: a consume that honours its deadline, and a rotation serialized per key.
-- Placeholders: {{schema}} and {{prefix}} (see docs/postgres.md). All times are epoch ms (bigint).

-- consume() with a deadline (epoch ms, on this server's clock). A call that reaches the server
-- after its deadline, or whose counter work ends after it (it waited on a row lock or on a busy
-- server), raises SQLSTATE KW408 and consumes nothing: the statement rolls back. keyward passes
-- the deadline early by a skew allowance (see docs/postgres.md), so that a call keyward already
-- answered 503 never consumes, even with this server's clock somewhat behind the app's.
CREATE OR REPLACE FUNCTION "{{schema}}"."{{prefix}}consume_before"(
  p_deadline bigint,
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
BEGIN
  IF p_deadline IS NOT NULL AND floor(extract(epoch FROM clock_timestamp()) * 1000) > p_deadline THEN
    RAISE EXCEPTION 'keyward: the consume arrived after its deadline' USING ERRCODE = 'KW408';
  END IF;
  SELECT c.allowed, c.limit_allowed, c.limit_remaining, c.limit_reset_ms, c.limit_retry_ms,
         c.quota_allowed, c.quota_remaining, c.quota_refill_at
  INTO allowed, limit_allowed, limit_remaining, limit_reset_ms, limit_retry_ms,
       quota_allowed, quota_remaining, quota_refill_at
  FROM "{{schema}}"."{{prefix}}consume"(p_partition, p_now, p_keys, p_limits, p_windows, p_algorithms,
    p_costs, p_quota_key, p_quota_limit, p_quota_interval, p_quota_amount, p_quota_cost, p_durable) AS c;
  IF p_deadline IS NOT NULL AND floor(extract(epoch FROM clock_timestamp()) * 1000) > p_deadline THEN
    RAISE EXCEPTION 'keyward: the consume passed its deadline' USING ERRCODE = 'KW408';
  END IF;
END
$fn$;

-- Rotation, serialized per key: the key's row is locked first, so a concurrent rotation waits
-- and then (each statement of a plpgsql function reads a fresh snapshot) retires the secret the
-- other one added. The new token's prefix and start are written in the same transaction, so
-- the key always describes its current token. Returns the key, or no row when it does not exist.
CREATE OR REPLACE FUNCTION "{{schema}}"."{{prefix}}rotate_key"(
  p_id text,
  p_hash text,
  p_created bigint,
  p_expires bigint,
  p_retire bigint,
  p_prefix text,
  p_start text
) RETURNS SETOF "{{schema}}"."{{prefix}}keys" LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM 1 FROM "{{schema}}"."{{prefix}}keys" WHERE id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  UPDATE "{{schema}}"."{{prefix}}secrets" SET expires_at = p_retire
  WHERE key_id = p_id AND (expires_at IS NULL OR expires_at > p_retire);
  INSERT INTO "{{schema}}"."{{prefix}}secrets" (hash, key_id, created_at, expires_at)
  VALUES (p_hash, p_id, p_created, p_expires);
  UPDATE "{{schema}}"."{{prefix}}keys"
  SET updated_at = p_created, prefix = coalesce(p_prefix, prefix), start = coalesce(p_start, start)
  WHERE id = p_id;
  RETURN QUERY SELECT * FROM "{{schema}}"."{{prefix}}keys" WHERE id = p_id;
END
$fn$;
