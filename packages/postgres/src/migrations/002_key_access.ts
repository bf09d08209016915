// Generated from sql/002_key_access.sql by scripts/sync-migrations.mjs; edit the .sql file, then rerun it.
/** The text of sql/002_key_access.sql, with {{schema}} and {{prefix}} placeholders. */
export const sql = `-- keyward 002_key_access: per-key IP allowlists and the token's last four characters.
-- Placeholders: {{schema}} and {{prefix}} (see docs/postgres.md).

-- Allowed client addresses and CIDR ranges, as given (validated by keyward); NULL: any address.
ALTER TABLE "{{schema}}"."{{prefix}}keys" ADD COLUMN IF NOT EXISTS allowed_ips text[];
-- The last four characters of the current token: checksum characters only, for a start…last4
-- preview. '' for keys created before this migration and keys imported by their hash.
ALTER TABLE "{{schema}}"."{{prefix}}keys" ADD COLUMN IF NOT EXISTS last4 text NOT NULL DEFAULT '';
`;
