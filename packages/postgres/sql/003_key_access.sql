-- keyward 003_key_access: per-key IP allowlists and the token's last four characters.
-- Placeholders: {{schema}} and {{prefix}} (see docs/postgres.md).

-- Allowed client addresses and CIDR ranges, as given (validated by keyward); NULL: any address.
ALTER TABLE "{{schema}}"."{{prefix}}keys" ADD COLUMN IF NOT EXISTS allowed_ips text[];
-- The last four characters of the current token: checksum characters only, for a start…last4
-- preview. '' for keys created before this migration and keys imported by their hash.
ALTER TABLE "{{schema}}"."{{prefix}}keys" ADD COLUMN IF NOT EXISTS last4 text NOT NULL DEFAULT '';

-- Rotation writes the new token's last four characters with its prefix and start, in the same
-- locked step as 002's rotate_key (which this overload extends with p_last4), so concurrent
-- rotations from several instances never leave a preview that matches none of the tokens.
CREATE OR REPLACE FUNCTION "{{schema}}"."{{prefix}}rotate_key"(
  p_id text,
  p_hash text,
  p_created bigint,
  p_expires bigint,
  p_retire bigint,
  p_prefix text,
  p_start text,
  p_last4 text
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
  SET updated_at = p_created, prefix = coalesce(p_prefix, prefix), start = coalesce(p_start, start),
      last4 = coalesce(p_last4, last4)
  WHERE id = p_id;
  RETURN QUERY SELECT * FROM "{{schema}}"."{{prefix}}keys" WHERE id = p_id;
END
$fn$;

-- The seven-argument rotate_key of 002 is replaced by the overload above: drop it, so no caller
-- can rotate without writing last4.
DROP FUNCTION IF EXISTS "{{schema}}"."{{prefix}}rotate_key"(text, text, bigint, bigint, bigint, text, text);
