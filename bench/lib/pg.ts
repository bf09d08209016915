/**
 * PostgreSQL helpers shared by the postgres, scale and propagation cases: a pool, a throwaway
 * schema with keyward's tables, the store's find-by-hash statement written out by hand, and a
 * bulk loader that fills the store's tables without minting keys one by one.
 */
import { randomBytes } from "node:crypto";
import { generateToken, tokenStart } from "@keyward/core";
import { sha256Hex } from "@keyward/core/store";
import { migrate } from "@keyward/postgres";
import pg from "pg";

/** A schema name no other run uses: `kwbench_<tag>_<random>`. */
export const randomSchema = (tag: string): string => `kwbench_${tag}_${randomBytes(4).toString("hex")}`;

/** A pg Pool on the bench database. */
export const createPool = (databaseUrl: string, max: number): pg.Pool =>
  new pg.Pool({ connectionString: databaseUrl, max });

/** Creates the schema with keyward's tables (the store's own `migrate()`). */
export async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  await migrate(pool, { schema });
}

/** Drops the schema and everything in it; never throws (cleanup runs in `finally`). */
export async function dropSchema(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
}

/** The keys table's columns, in the order packages/postgres/src/rows.ts reads them. */
const KEY_COLUMNS = [
  "id",
  "owner_id",
  "name",
  "prefix",
  "start",
  "scopes",
  "metadata",
  "enabled",
  "created_at",
  "updated_at",
  "expires_at",
  "revoked_at",
  "last_used_at",
  "usage_count",
  "rate_limit",
  "quota",
];

/**
 * The lookup a user would write by hand, and the floor of the postgres case: the secret by its
 * primary key (`hash`), joined to its key by primary key, every column returned as a column.
 * With `asJson`, the key row comes back as one json column instead — the shape the store's
 * `findByHash` (packages/postgres/src/keys.ts) uses.
 */
export function findByHashSql(schema: string, asJson = false): string {
  const columns = asJson ? "row_to_json(k) AS k" : KEY_COLUMNS.map((c) => `k.${c}`).join(", ");
  return `SELECT ${columns}, s.hash AS s_hash, s.created_at AS s_created_at, s.expires_at AS s_expires_at
     FROM "${schema}"."secrets" s JOIN "${schema}"."keys" k ON k.id = s.key_id
     WHERE s.hash = $1`;
}

const ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A key id in keyward's shape (`key_` + 20 base62 characters), unique per `n`. */
function keyId(n: number): string {
  let digits = "";
  let rest = n;
  for (let i = 0; i < 20; i++) {
    digits = ID_ALPHABET[rest % 62] + digits;
    rest = Math.floor(rest / 62);
  }
  return `key_${digits}`;
}

/**
 * Inserts `count` keys straight into the store's tables (keys + secrets, the rows
 * `insertKey` would write for a key with one scope and no limits), in chunks through `unnest`,
 * and returns their tokens. Tokens are real keyward tokens (prefix, checksum), hashed the way
 * an unpeppered keyward instance hashes them, so `verify()` accepts them.
 */
export async function bulkInsertKeys(
  pool: pg.Pool,
  schema: string,
  count: number,
  prefix: string,
  chunk = 10_000,
): Promise<string[]> {
  const tokens: string[] = [];
  const now = Date.now();
  for (let from = 0; from < count; from += chunk) {
    const ids: string[] = [];
    const hashes: string[] = [];
    const starts: string[] = [];
    for (let n = from; n < Math.min(count, from + chunk); n++) {
      const token = generateToken(prefix);
      tokens.push(token);
      ids.push(keyId(n));
      hashes.push(sha256Hex(token));
      starts.push(tokenStart(token));
    }
    await pool.query(
      `WITH k AS (
         INSERT INTO "${schema}"."keys" (id, name, prefix, start, scopes, created_at, updated_at)
         SELECT id, 'bulk', $3, start, ARRAY['task:read'], $4, $4 FROM unnest($1::text[], $2::text[]) AS u(id, start)
         RETURNING id
       )
       INSERT INTO "${schema}"."secrets" (hash, key_id, created_at)
       SELECT hash, id, $4 FROM unnest($1::text[], $5::text[]) AS u(id, hash)`,
      [ids, starts, prefix, now, hashes],
    );
  }
  return tokens;
}
