import type { QuotaConfig, RateLimitAlgorithm } from "@keyward/core";
import type {
  ConsumeRequest,
  ConsumeResult,
  CounterStore,
  LimitResult,
  QuotaRef,
  QuotaResult,
} from "@keyward/core/store";
import { checkOptionNames, deadlinePassed } from "@keyward/core/store";
import { type AnyRedisClient, withStoreClients } from "./clients/node-redis.js";
import { guardOf } from "./guard.js";
import { type Keyspace, keyspace, resolvePrefix } from "./keyspace.js";
import { CONSUME_LUA } from "./scripts/consume.js";
import { GET_QUOTA_LUA, SET_QUOTA_LUA } from "./scripts/quota.js";
import { defineScript, type RedisClient } from "./scripts/runner.js";

/** Options of {@link redisCounters}. */
export interface RedisCountersOptions {
  /** An ioredis client (`new Redis()`, `new Cluster()`) or a node-redis one. Not closed by keyward. */
  client: AnyRedisClient;
  /** Namespace of every Redis key. No braces or whitespace. @defaultValue "keyward" */
  prefix?: string;
}

const ALGORITHM_CODE: Record<RateLimitAlgorithm, string> = {
  "fixed-window": "f",
  "sliding-window": "s",
  "token-bucket": "b",
};

const toNumbers = (reply: unknown): number[] => (reply as (number | string)[]).map(Number);

/** @internal The counter store over an already resolved keyspace (shared with `redisStore`). */
export function createCounters(client: RedisClient, keys: Keyspace): CounterStore {
  const consumeScript = defineScript(client, "keyward:consume", CONSUME_LUA);
  const getQuotaScript = defineScript(client, "keyward:get-quota", GET_QUOTA_LUA);
  const setQuotaScript = defineScript(client, "keyward:set-quota", SET_QUOTA_LUA);

  return {
    async consume(request: ConsumeRequest): Promise<ConsumeResult> {
      const redisKeys: string[] = [];
      const args: (string | number)[] = [request.limits.length, request.quota ? "1" : "0"];
      for (const limit of request.limits) {
        redisKeys.push(keys.counter(request.partition, limit.key));
        args.push(ALGORITHM_CODE[limit.algorithm], limit.limit, limit.window, limit.cost);
      }
      const quota = request.quota;
      if (quota) {
        redisKeys.push(keys.counter(request.partition, quota.key));
        const refill = quota.config.refill;
        args.push(quota.config.limit, refill?.interval ?? 0, refill?.amount ?? 0, quota.cost);
      }
      args.push(request.deadline ?? "");
      let raw: unknown;
      try {
        raw = await consumeScript.run(redisKeys, args);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith("KWDEADLINE")) throw deadlinePassed();
        throw error;
      }
      const reply = toNumbers(raw);
      let at = 2;
      const limits: LimitResult[] = request.limits.map(() => {
        const result: LimitResult = {
          allowed: reply[at] === 1,
          remaining: reply[at + 1]!,
          resetMs: reply[at + 2]!,
          retryAfterMs: reply[at + 3]!,
        };
        at += 4;
        return result;
      });
      const quotaResult: QuotaResult | null = quota
        ? { allowed: reply[at] === 1, remaining: reply[at + 1]!, refillAt: refillAt(reply[at + 2]!) }
        : null;
      return { allowed: reply[0] === 1, limits, quota: quotaResult, now: reply[1]! };
    },

    async getQuota(ref: QuotaRef, config: QuotaConfig): Promise<QuotaResult> {
      const refill = config.refill;
      const reply = toNumbers(
        await getQuotaScript.run(
          [keys.counter(ref.partition, ref.key)],
          [config.limit, refill?.interval ?? 0, refill?.amount ?? 0],
        ),
      );
      const remaining = reply[0]!;
      return { allowed: remaining > 0, remaining, refillAt: refillAt(reply[1]!) };
    },

    async setQuota(ref: QuotaRef, _config: QuotaConfig, remaining: number): Promise<void> {
      await setQuotaScript.run([keys.counter(ref.partition, ref.key)], [remaining]);
    },

    async clearCounters(partition: string, counterKeys: readonly string[]): Promise<void> {
      if (counterKeys.length === 0) return;
      // One DEL, every key in the partition's hash tag: a single-slot command.
      await guardOf(client).send(() => client.del(...counterKeys.map((key) => keys.counter(partition, key))));
    },
  };
}

const refillAt = (value: number): number | null => (value < 0 ? null : value);

/**
 * Limits, quotas and nothing else in Redis: for running beside another key store (for
 * example PostgreSQL) with core's `composeStores`. Every `consume` is one `EVALSHA` on
 * Redis's clock; every counter of one call shares the partition's hash tag.
 *
 * @example
 * import { composeStores } from "@keyward/core";
 * import { postgresStore } from "@keyward/postgres";
 * import { redisCounters, redisInvalidation } from "@keyward/redis";
 *
 * const store = composeStores({
 *   keys: postgresStore({ client: pool }),
 *   counters: redisCounters({ client: redis }),
 *   invalidation: redisInvalidation({ client: redis }),
 * });
 */
export function redisCounters(given: RedisCountersOptions): CounterStore {
  const options = withStoreClients(given);
  if (!options || typeof options.client?.evalsha !== "function") {
    throw new TypeError('redisCounters: option "client" must be an ioredis client (Redis or Cluster)');
  }
  checkOptionNames(options, ["client", "prefix"], "redisCounters()");
  return createCounters(options.client, keyspace(resolvePrefix(options.prefix, "redisCounters")));
}
