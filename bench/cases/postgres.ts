import { createKeyward } from "@keyward/core";
import { sha256Hex } from "@keyward/core/store";
import { postgresStore } from "@keyward/postgres";
import { compareThroughput, ratio } from "../lib/compare.js";
import { missedTargetNotes } from "../lib/notes.js";
import { createPool, createSchema, dropSchema, findByHashSql, randomSchema } from "../lib/pg.js";
import type { BenchCase } from "../lib/types.js";

const KEYS = 1_000;

// Where the time goes, from `node --cpu-prof` on this case; printed only when the target is missed.
const MISSED: Record<string, string> = {
  "keyward uncached / bare SELECT":
    "Where the time goes: both variants run the same indexed SELECT on the same pool, and the pg driver (query submission, protocol, row parsing) dominates both. On top of it an uncached verify() does its own work: the token check and SHA-256, mapping the row to a key, building the cache entry (a frozen ApiKey and the expanded scope set), the store deadline, and the write-behind of usage (one UPDATE per flush, every 5 s or 10,000 pending keys); on two CPUs shared with PostgreSQL each of those shows. The “usage flush deferred” variant separates the write-behind. To close it: build the ApiKey lazily on the uncached path and allocate less in row mapping.",
};
const CONCURRENCY = 16;

export const postgresCase: BenchCase = {
  id: "postgres",
  title: "PostgreSQL: uncached verify() vs a bare indexed SELECT by hash",
  async run(ctx) {
    const pool = createPool(ctx.databaseUrl, CONCURRENCY);
    const schema = randomSchema("pg");
    try {
      await createSchema(pool, schema);
      const store = postgresStore({ client: pool, schema, listen: false });
      const keyward = createKeyward({ store, prefix: "sk_bench", cache: false, rateLimit: false });
      const quiet = createKeyward({
        store,
        prefix: "sk_bench",
        cache: false,
        rateLimit: false,
        writeBehind: { interval: "1h", maxBatch: 1_000_000 },
      });
      const tokens: string[] = [];
      for (let i = 0; i < KEYS; i += CONCURRENCY) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(CONCURRENCY, KEYS - i) }, () =>
            keyward.create({ name: "bench", scopes: ["task:read"], rateLimit: null }),
          ),
        );
        for (const { token } of batch) tokens.push(token);
      }
      const hashes = tokens.map((token) => sha256Hex(token));

      let nextToken = 0;
      const viaKeyward = async () => {
        const result = await keyward.verify(tokens[nextToken++ % KEYS]);
        if (!result.ok) throw new Error(`keyward rejected a minted key: ${result.code}`);
      };
      let nextQuiet = 0;
      const viaQuiet = async () => {
        const result = await quiet.verify(tokens[nextQuiet++ % KEYS]);
        if (!result.ok) throw new Error(`keyward rejected a minted key: ${result.code}`);
      };
      // The floor: the store's own find-by-hash statement, prepared under its own name, on the
      // same pool, with the hash already computed (no token parsing, no row mapping).
      const find = { name: `bench_find_${schema}`, text: findByHashSql(schema) };
      let nextHash = 0;
      const bareSelect = async () => {
        const { rows } = await pool.query({ ...find, values: [hashes[nextHash++ % KEYS]] });
        if (rows.length !== 1) throw new Error("the bare SELECT lost a key");
      };
      // The same lookup with the key row as one json column, the shape the store uses.
      const findJson = { name: `bench_find_json_${schema}`, text: findByHashSql(schema, true) };
      let nextJson = 0;
      const jsonSelect = async () => {
        const { rows } = await pool.query({ ...findJson, values: [hashes[nextJson++ % KEYS]] });
        if (rows.length !== 1) throw new Error("the bare SELECT lost a key");
      };

      const results = await compareThroughput(
        [
          { label: "bare SELECT by hash (floor)", op: bareSelect, concurrency: CONCURRENCY },
          { label: "bare SELECT by hash, row as one json column", op: jsonSelect, concurrency: CONCURRENCY },
          { label: "keyward verify() uncached", op: viaKeyward, concurrency: CONCURRENCY },
          {
            label: "keyward verify() uncached, usage flush deferred",
            op: viaQuiet,
            concurrency: CONCURRENCY,
          },
        ],
        { rounds: ctx.quick ? 3 : 12, roundMs: ctx.quick ? 250 : 1_000 },
      );
      await keyward.close();
      await quiet.close();
      await store.close();
      const ratios = [
        ratio(
          "keyward uncached / bare SELECT",
          results,
          "keyward verify() uncached",
          "bare SELECT by hash (floor)",
          0.8,
        ),
        ratio(
          "keyward uncached, usage flush deferred / bare SELECT",
          results,
          "keyward verify() uncached, usage flush deferred",
          "bare SELECT by hash (floor)",
          null,
        ),
        ratio(
          "keyward uncached / bare SELECT, row as one json column",
          results,
          "keyward verify() uncached",
          "bare SELECT by hash, row as one json column",
          null,
        ),
      ];
      return {
        id: this.id,
        title: this.title,
        unit: "ops/s",
        higherIsBetter: true,
        variants: results,
        ratios,
        notes: [
          `${KEYS} keys minted through keyward, verified round-robin; ${CONCURRENCY} calls in flight on one pg Pool of ${CONCURRENCY} connections for both.`,
          "keyward: cache disabled, no rate limit, default write-behind (usage flushed every 5 s, or as soon as 1,000 keys are pending). The floor is the lookup written by hand (secrets ⋈ keys by primary key, every column as a column) as a named prepared statement, like the store's; the store's own statement returns the key row as one json column (row_to_json), which the driver parses as one field instead of eighteen, and the “row as one json column” variant is the floor in that shape, to show how much of the ratio that is. The third variant is keyward with usage writes deferred past the run (writeBehind maxBatch 1,000,000, interval 1 h), to show what usage tracking costs.",
          ...missedTargetNotes(ratios, MISSED),
        ],
      };
    } finally {
      await dropSchema(pool, schema);
      await pool.end();
    }
  },
};
