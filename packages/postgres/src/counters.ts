/**
 * The counter half of the store. `consume` is one call of the `consume()` function the
 * migration installs (see sql/001_init.sql): it locks the call's counter rows in key order,
 * evaluates every limit and the quota, and writes only when all of them admit the call. Node
 * never reads a counter to write it back.
 */
import type { QuotaConfig } from "@keyward/core";
import {
  type ConsumeRequest,
  type ConsumeResult,
  type CounterStore,
  type LimitResult,
  type QuotaRef,
  type QuotaResult,
  readQuota as quotaBalance,
} from "@keyward/core/store";
import { type Executor, type Row, statement } from "./client.js";
import type { Names } from "./options.js";

const num = (value: unknown): number => Number(value);
const nums = (value: unknown): number[] => ((value as unknown[] | null) ?? []).map(num);

/** The CounterStore half of `postgresStore()`; `durable` waits for the WAL flush on counter commits. */
export function createCounterStore(db: Executor, names: Names, durable: boolean): CounterStore {
  const { counters } = names;
  const consume = statement(
    "consume",
    `SELECT * FROM ${names.consumeBefore}($14, $1, $2, $3::text[], $4::bigint[], $5::bigint[], $6::text[],
       $7::bigint[], $8, $9, $10, $11, $12, $13)`,
  );
  const readQuota = statement(
    "read_quota",
    `SELECT kind, ts, v FROM ${counters} WHERE partition = $1 AND key = $2`,
  );
  const writeQuota = statement(
    "write_quota",
    `INSERT INTO ${counters} (partition, key, kind, window_ms, ts, v, v2, expires_at)
     VALUES ($1, $2, 'quota', NULL, $3, $4, NULL, NULL)
     ON CONFLICT (partition, key) DO UPDATE
     SET kind = 'quota', window_ms = NULL, ts = EXCLUDED.ts, v = EXCLUDED.v, v2 = NULL, expires_at = NULL`,
  );
  const clear = statement(
    "clear_counters",
    `DELETE FROM ${counters} WHERE partition = $1 AND key = ANY($2::text[])`,
  );

  return {
    async consume(request: ConsumeRequest): Promise<ConsumeResult> {
      const { limits, quota } = request;
      const row = (
        await db.run(consume, [
          request.partition,
          request.now,
          limits.map((l) => l.key),
          limits.map((l) => l.limit),
          limits.map((l) => l.window),
          limits.map((l) => l.algorithm),
          limits.map((l) => l.cost),
          quota?.key ?? null,
          quota?.config.limit ?? null,
          quota?.config.refill?.interval ?? null,
          quota?.config.refill?.amount ?? null,
          quota?.cost ?? null,
          durable,
          request.deadline ?? null,
        ])
      )[0] as Row;
      const allowed = (row.limit_allowed as boolean[] | null) ?? [];
      const remaining = nums(row.limit_remaining);
      const reset = nums(row.limit_reset_ms);
      const retry = nums(row.limit_retry_ms);
      const limitResults: LimitResult[] = limits.map((_, i) => ({
        allowed: allowed[i] === true,
        remaining: remaining[i]!,
        resetMs: reset[i]!,
        retryAfterMs: retry[i]!,
      }));
      const quotaResult: QuotaResult | null =
        quota === null
          ? null
          : {
              allowed: row.quota_allowed === true,
              remaining: num(row.quota_remaining),
              refillAt: row.quota_refill_at === null ? null : num(row.quota_refill_at),
            };
      return { allowed: row.allowed === true, limits: limitResults, quota: quotaResult, now: request.now };
    },

    // A read: applies a due refill to what it returns, writes nothing.
    async getQuota(ref: QuotaRef, config: QuotaConfig, now: number): Promise<QuotaResult> {
      const row = (await db.run(readQuota, [ref.partition, ref.key]))[0];
      const stored =
        row !== undefined && row.kind === "quota"
          ? { remaining: num(row.v), periodStart: num(row.ts) }
          : undefined;
      return quotaBalance(stored, config, now);
    },

    async setQuota(ref: QuotaRef, _config: QuotaConfig, remaining: number, now: number): Promise<void> {
      await db.run(writeQuota, [ref.partition, ref.key, now, remaining]);
    },

    async clearCounters(partition: string, keys: readonly string[]): Promise<void> {
      if (keys.length === 0) return;
      await db.run(clear, [partition, [...keys]]);
    },
  };
}
