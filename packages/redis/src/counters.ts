import type { QuotaConfig, RateLimitAlgorithm } from "@keyward/core";
import type {
  ConsumeRequest,
  ConsumeResult,
  CounterStore,
  LimitRequest,
  LimitResult,
  LimitState,
  QuotaRef,
  QuotaResult,
} from "@keyward/core/store";
import { checkOptionNames, deadlinePassed, LIMIT_ALGORITHMS, quotaRefillAt } from "@keyward/core/store";
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

/** The first character of a counter's mode (`m`): the algorithm; the rest is the window. */
const ALGORITHM_CODE: Record<RateLimitAlgorithm, string> = {
  "fixed-window": "f",
  "sliding-window": "s",
  "token-bucket": "b",
};

/** A limit's state from the script's reply (`a`, `b`, `c`; see `CONSUME_LUA`). */
const STATE_FROM_REPLY: Record<RateLimitAlgorithm, (a: number, b: number, c: number) => LimitState> = {
  "fixed-window": (a, b) => ({ start: a, count: b }),
  "sliding-window": (a, b, c) => ({ start: a, prev: b, curr: c }),
  "token-bucket": (a, b) => ({ level: a, updatedAt: b }),
};

/**
 * What a limit reports after a call, from the state the script answered: the memory store's
 * report, with the same reference math. `t = max(now, since(state))` is the time the script
 * evaluated the counter at (rolling never moves a state's `since` past the later of the two).
 * A rejecting limit means a rejected call, so its state is the rolled one `retryAfterMs` takes.
 */
function limitResult(limit: LimitRequest, admitted: boolean, state: LimitState, now: number): LimitResult {
  const algorithm = LIMIT_ALGORITHMS[limit.algorithm];
  const t = Math.max(now, algorithm.since(state));
  return {
    allowed: admitted,
    remaining: algorithm.remaining(state, limit, t),
    resetMs: algorithm.resetMs(state, limit, t),
    retryAfterMs: admitted ? 0 : algorithm.retryAfterMs(state, limit, t),
  };
}

const toNumbers = (reply: unknown): number[] => (reply as (number | string)[]).map(Number);

/** @internal The counter store over an already resolved keyspace (shared with `redisStore`). */
export function createCounters(client: RedisClient, keys: Keyspace): CounterStore {
  const consumeScript = defineScript(client, "keyward:consume", CONSUME_LUA);
  const getQuotaScript = defineScript(client, "keyward:get-quota", GET_QUOTA_LUA);
  const setQuotaScript = defineScript(client, "keyward:set-quota", SET_QUOTA_LUA);

  return {
    async consume(request: ConsumeRequest): Promise<ConsumeResult> {
      const { limits, quota } = request;
      const n = limits.length;
      const redisKeys: string[] = [];
      const args: (string | number)[] = [request.deadline ?? "", n];
      for (const limit of limits) {
        redisKeys.push(keys.counter(request.partition, limit.key));
        args.push(`${ALGORITHM_CODE[limit.algorithm]}${limit.window}`, limit.limit, limit.window, limit.cost);
      }
      if (quota) {
        redisKeys.push(keys.counter(request.partition, quota.key));
        const refill = quota.config.refill;
        args.push(quota.config.limit, refill?.interval ?? 0, refill?.amount ?? 0, quota.cost);
      }
      let reply: number[];
      try {
        // Integer replies: ioredis and node-redis both give numbers.
        reply = (await consumeScript.run(redisKeys, args)) as number[];
      } catch (error) {
        if (error instanceof Error && error.message.startsWith("KWDEADLINE")) throw deadlinePassed();
        throw error;
      }
      const now = reply[0]!;
      let allowed = true;
      const results: LimitResult[] = new Array(n);
      for (let i = 0, at = 1; i < n; i++, at += 4) {
        const limit = limits[i]!;
        const admitted = reply[at] === 1;
        if (!admitted) allowed = false;
        const state = STATE_FROM_REPLY[limit.algorithm](reply[at + 1]!, reply[at + 2]!, reply[at + 3]!);
        results[i] = limitResult(limit, admitted, state, now);
      }
      let quotaResult: QuotaResult | null = null;
      if (quota) {
        const at = 1 + 4 * n;
        const admitted = reply[at] === 1;
        if (!admitted) allowed = false;
        const state = { remaining: reply[at + 1]!, periodStart: reply[at + 2]! };
        quotaResult = {
          allowed: admitted,
          remaining: state.remaining,
          refillAt: quotaRefillAt(state, quota.config),
        };
      }
      return { allowed, limits: results, quota: quotaResult, now };
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
