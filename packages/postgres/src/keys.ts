/**
 * The key half of the store. Every method is one SQL statement (data-modifying CTEs where
 * several rows change together), so each is atomic without a client-side transaction. The
 * hot-path reads (`findByHash`, `getKey`) and the usage flush are named prepared statements.
 *
 * The writes that carry lifecycle events (`insertKey`, `updateKey`, `rotateKey`, `deleteKey`)
 * append them to the outbox in the same statement, guarded by the row the change returned: the
 * events are committed with the change, and only when it happened (see outbox-sql.ts).
 */
import type {
  KeyPatch,
  KeyStore,
  ListKeysFilter,
  OutboxAppend,
  StoredKey,
  StoredSecret,
  UsageEntry,
} from "@keyward/core/store";
import { type Executor, statement } from "./client.js";
import type { Names } from "./options.js";
import { appendCtes, eventsParameter } from "./outbox-sql.js";
import { json, jsonRow, KEY_COLUMNS, keyValues, toKey, toSecret } from "./rows.js";

const COLUMNS = KEY_COLUMNS.join(", ");

/** KeyPatch fields and their columns; jsonb ones are serialized. */
const PATCH_COLUMNS: ReadonlyArray<[keyof KeyPatch, string, boolean]> = [
  ["name", "name", false],
  ["enabled", "enabled", false],
  ["scopes", "scopes", false],
  ["metadata", "metadata", true],
  ["expiresAt", "expires_at", false],
  ["revokedAt", "revoked_at", false],
  ["rateLimit", "rate_limit", true],
  ["quota", "quota", true],
  ["prefix", "prefix", false],
  ["start", "start", false],
  ["last4", "last4", false],
  ["allowedIps", "allowed_ips", false],
];

/** The KeyStore half of `postgresStore()`, over the tables named in `names`. */
export function createKeyStore(db: Executor, names: Names): KeyStore {
  const { keys, secrets, counters } = names;
  const placeholders = KEY_COLUMNS.map((_, i) => `$${i + 1}`).join(", ");
  const n = KEY_COLUMNS.length;

  const insert = statement(
    "insert_key",
    `WITH k AS (INSERT INTO ${keys} (${COLUMNS}) VALUES (${placeholders}) RETURNING id)
     INSERT INTO ${secrets} (hash, key_id, created_at, expires_at)
     SELECT $${n + 1}, k.id, $${n + 2}, $${n + 3} FROM k`,
  );
  // The same insert with its events: the key's CTE guards the append.
  const insertWithEvents = statement(
    "insert_key_events",
    `WITH k AS (INSERT INTO ${keys} (${COLUMNS}) VALUES (${placeholders}) RETURNING id),
     s AS (
       INSERT INTO ${secrets} (hash, key_id, created_at, expires_at)
       SELECT $${n + 1}, k.id, $${n + 2}, $${n + 3} FROM k
     ),
     ${appendCtes(names, n + 4, "k")}
     SELECT 1 AS one`,
  );
  // The key row comes back as one json column: the driver then describes and parses one field
  // instead of eighteen on every uncached verification (pg re-reads the row description on each
  // execution), which measured about a fifth of the Node time of the lookup.
  const findByHash = statement(
    "find_by_hash",
    `SELECT row_to_json(k) AS k, s.hash AS s_hash, s.created_at AS s_created_at, s.expires_at AS s_expires_at
     FROM ${secrets} s JOIN ${keys} k ON k.id = s.key_id
     WHERE s.hash = $1`,
  );
  const getKey = statement("get_key", `SELECT ${COLUMNS} FROM ${keys} WHERE id = $1`);
  // A function (migration 002) locks the key's row before it reads the secrets to retire: a
  // single statement would read them from a snapshot taken before a concurrent rotation committed.
  const rotate = statement(
    "rotate_key",
    `SELECT ${COLUMNS} FROM ${names.rotateKey}($1, $2, $3, $4, $5, $6, $7, $8)`,
  );
  const rotateWithEvents = statement(
    "rotate_key_events",
    `WITH r AS MATERIALIZED (SELECT ${COLUMNS} FROM ${names.rotateKey}($1, $2, $3, $4, $5, $6, $7, $8)),
     ${appendCtes(names, 9, "r")}
     SELECT * FROM r`,
  );
  const rehash = statement(
    "rehash_secret",
    `WITH old AS (DELETE FROM ${secrets} WHERE hash = $1 RETURNING key_id, created_at, expires_at)
     INSERT INTO ${secrets} (hash, key_id, created_at, expires_at)
     SELECT $2, key_id, created_at, expires_at FROM old
     ON CONFLICT (hash) DO NOTHING`,
  );
  const remove = statement("delete_key", `DELETE FROM ${keys} WHERE id = $1 RETURNING id`);
  const removeWithEvents = statement(
    "delete_key_events",
    `WITH k AS (DELETE FROM ${keys} WHERE id = $1 RETURNING id), ${appendCtes(names, 2, "k")}
     SELECT id FROM k`,
  );
  // Rows are locked in id order before they are updated, so two instances flushing
  // overlapping batches queue instead of deadlocking.
  const usage = statement(
    "record_usage",
    `WITH u AS (
       SELECT id, max(used_at) AS used_at, sum(n)::bigint AS n
       FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS t(id, used_at, n)
       GROUP BY id
     ),
     locked AS MATERIALIZED (
       SELECT k.id FROM ${keys} k JOIN u ON u.id = k.id ORDER BY k.id FOR UPDATE OF k
     )
     UPDATE ${keys} k
     SET last_used_at = greatest(k.last_used_at, u.used_at), usage_count = k.usage_count + u.n
     FROM u
     WHERE k.id = u.id AND k.id IN (SELECT id FROM locked)`,
  );
  const purgeKeys = statement(
    "purge_keys",
    `DELETE FROM ${keys} WHERE id IN (
       SELECT id FROM ${keys} WHERE revoked_at < $1 OR expires_at < $1
       LIMIT $2 FOR UPDATE SKIP LOCKED
     ) RETURNING id`,
  );
  const purgeSecrets = statement(
    "purge_secrets",
    `DELETE FROM ${secrets} WHERE hash IN (
       SELECT hash FROM ${secrets} WHERE expires_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED
     ) RETURNING 1 AS one`,
  );
  const purgeCounters = statement(
    "purge_counters",
    `DELETE FROM ${counters} WHERE (partition, key) IN (
       SELECT partition, key FROM ${counters} WHERE expires_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED
     ) RETURNING 1 AS one`,
  );

  /** Deletes in batches until a batch comes back short; each batch is its own short statement. */
  const drain = async (s: typeof purgeSecrets, before: number, batchSize: number): Promise<void> => {
    for (;;) {
      const rows = await db.run(s, [before, batchSize]);
      if (rows.length < batchSize) return;
    }
  };

  return {
    async insertKey(key: StoredKey, secret: StoredSecret, events?: readonly OutboxAppend[]) {
      const values = [...keyValues(key), secret.hash, secret.createdAt, secret.expiresAt];
      if (events === undefined || events.length === 0) await db.run(insert, values);
      else await db.run(insertWithEvents, [...values, eventsParameter(events)]);
    },

    async findByHash(hash: string) {
      const row = (await db.run(findByHash, [hash]))[0];
      if (!row) return null;
      const key = toKey(jsonRow(row.k));
      return { key, secret: toSecret(row, key.id) };
    },

    async getKey(id: string) {
      const row = (await db.run(getKey, [id]))[0];
      return row ? toKey(row) : null;
    },

    async listKeys(filter: ListKeysFilter) {
      const where: string[] = [];
      const values: unknown[] = [];
      const add = (condition: (p: string) => string, value: unknown) => {
        values.push(value);
        where.push(condition(`$${values.length}`));
      };
      if (filter.ownerId !== undefined) add((p) => `owner_id = ${p}`, filter.ownerId);
      if (filter.scope !== undefined) add((p) => `scopes @> ARRAY[${p}::text]`, filter.scope);
      if (filter.enabled !== undefined) add((p) => `enabled = ${p}`, filter.enabled);
      if (filter.beforeId !== undefined) add((p) => `id < ${p}`, filter.beforeId);
      values.push(filter.limit);
      const text =
        `SELECT ${COLUMNS} FROM ${keys}` +
        (where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "") +
        ` ORDER BY id DESC LIMIT $${values.length}`;
      // At most 16 distinct texts: each is prepared once per connection.
      return (await db.run(statement("list_keys", text), values)).map(toKey);
    },

    async updateKey(id: string, patch: KeyPatch, events?: readonly OutboxAppend[]) {
      const values: unknown[] = [id, patch.updatedAt];
      const sets = ["updated_at = $2"];
      for (const [field, column, isJson] of PATCH_COLUMNS) {
        const value = patch[field];
        if (value === undefined) continue;
        values.push(isJson ? json(value) : value);
        // Revocation is permanent: concurrent revokes keep the first time.
        if (column === "revoked_at") sets.push(`revoked_at = coalesce(revoked_at, $${values.length})`);
        else sets.push(`${column} = $${values.length}`);
      }
      let text = `UPDATE ${keys} SET ${sets.join(", ")} WHERE id = $1 RETURNING ${COLUMNS}`;
      if (events !== undefined && events.length > 0) {
        values.push(eventsParameter(events));
        text = `WITH u AS (${text}), ${appendCtes(names, values.length, "u")} SELECT * FROM u`;
      }
      const row = (await db.query(text, values))[0];
      return row ? toKey(row) : null;
    },

    async rotateKey(
      id: string,
      secret: StoredSecret,
      retireAt: number,
      current?: Pick<StoredKey, "prefix" | "start" | "last4">,
      events?: readonly OutboxAppend[],
    ) {
      const values: unknown[] = [
        ...[id, secret.hash, secret.createdAt, secret.expiresAt, retireAt],
        ...[current?.prefix ?? null, current?.start ?? null, current?.last4 ?? null],
      ];
      const row = (
        events === undefined || events.length === 0
          ? await db.run(rotate, values)
          : await db.run(rotateWithEvents, [...values, eventsParameter(events)])
      )[0];
      return row ? toKey(row) : null;
    },

    async rehashSecret(oldHash: string, newHash: string) {
      if (oldHash === newHash) return;
      await db.run(rehash, [oldHash, newHash]);
    },

    async deleteKey(id: string, events?: readonly OutboxAppend[]) {
      if (events === undefined || events.length === 0) return (await db.run(remove, [id])).length > 0;
      return (await db.run(removeWithEvents, [id, eventsParameter(events)])).length > 0;
    },

    async recordUsage(entries: readonly UsageEntry[]) {
      if (entries.length === 0) return;
      await db.run(usage, [
        entries.map((e) => e.id),
        entries.map((e) => e.lastUsedAt),
        entries.map((e) => e.count),
      ]);
    },

    async purge(before: number, batchSize: number) {
      const removed = (await db.run(purgeKeys, [before, batchSize])).length;
      await drain(purgeSecrets, before, batchSize);
      await drain(purgeCounters, before, batchSize);
      return removed;
    },
  };
}
