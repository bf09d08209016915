/**
 * The memory counter store: rate limits and quotas in one Map, O(1) per call.
 *
 * Atomicity: `consume` does all its work synchronously before its promise settles, so in one
 * process no other call can interleave: N parallel calls see N consecutive states. That
 * synchronous work is also offered as is (`SYNC_CONSUME`), so the verifier needs no promise.
 *
 * Bounded memory: every limit entry records when its state becomes equal to a fresh one
 * (`idleAt`, see `ratelimit/algorithms.ts`); from then on it can be dropped without changing
 * any answer. A cursor walks the table: every new entry pays for examining a couple of old
 * ones (only new entries grow the table, so calls on known counters do no sweeping), and a
 * sweep (an unref'd timer) walks the whole Map in chunks. Time is the request clock: the latest
 * `now` any call brought, so injected clocks stay consistent. Quota balances are never dropped
 * (they are balances, not rates) except by `clearCounters`.
 */

import { evaluateQuota, type QuotaState, quotaRefillAt } from "../../quota/balance.js";
import { readQuota } from "../../quota/read.js";
import {
  consumeInPlace,
  evaluateLimit,
  LIMIT_ALGORITHMS,
  type LimitAlgorithm,
  type LimitParams,
  type LimitState,
} from "../../ratelimit/algorithms.js";
import type { RateLimitAlgorithm } from "../../types.js";
import { deadlinePassed } from "../deadline.js";
import { SYNC_CONSUME } from "../sync-consume.js";
import type {
  ConsumeRequest,
  ConsumeResult,
  CounterStore,
  LimitRequest,
  LimitResult,
  QuotaRef,
  QuotaResult,
} from "../types.js";
import { CounterTable } from "./table.js";

export interface MemoryCounterOptions {
  /**
   * How often (ms) the background sweep walks every counter and reclaims idle state. 0 turns
   * the timer off; calls still reclaim incrementally.
   * @defaultValue 10_000
   */
  sweepInterval?: number;
}

/** The memory counter store, plus what tests need to watch reclamation. */
export interface MemoryCounterStore extends CounterStore {
  /** Stops the background sweep. */
  close(): void;
  /** Number of counters held (limits and quotas). */
  size(): number;
  /**
   * Walks every counter now and drops the idle ones. `now` moves the request clock forward
   * (it never moves back).
   */
  sweep(now?: number): void;
}

/** One counter. Mutable: a call that is admitted updates `state` and `idleAt` in place. */
interface Entry {
  kind: RateLimitAlgorithm | "quota";
  window: number;
  state: LimitState | QuotaState;
  idleAt: number;
}

/** Drop state only this long (ms) after it became idle, to absorb slightly late request clocks. */
const CLOCK_SLACK = 1_000;
/** Entries examined per new entry. */
const STEP_PER_INSERT = 2;
/** New entries share the incremental sweep: every INSERTS_PER_STEP-th one examines that many times STEP_PER_INSERT. */
const INSERTS_PER_STEP = 16;
/** Entries per chunk of the background sweep. */
const SWEEP_CHUNK = 10_000;

/**
 * Creates the in-process counter store used by `memoryStore()`.
 *
 * @example
 * const counters = createMemoryCounterStore({ sweepInterval: 60_000 });
 * await counters.consume({ partition: "key_1", now: Date.now(), limits: [...], quota: null });
 * counters.close();
 */
export function createMemoryCounterStore(options: MemoryCounterOptions = {}): MemoryCounterStore {
  const interval = options.sweepInterval ?? 10_000;
  if (typeof interval !== "number" || !Number.isFinite(interval) || interval < 0) {
    throw new TypeError(`keyward: option "sweepInterval" must be a non-negative number of milliseconds`);
  }
  const entries = new CounterTable<Entry>();
  let clock = Number.NEGATIVE_INFINITY;
  let sweeping = false;
  let closed = false;

  const advance = (now: number): void => {
    if (now > clock) clock = now;
  };

  /** Examines about `count` entries at the sweep cursor and drops the idle ones. */
  const step = (count: number): void => entries.sweep(count, clock - CLOCK_SLACK);
  let inserts = 0;
  /** Adds an entry and pays for it with the incremental part of reclamation. */
  const insert = (partition: string, key: string, entry: Entry): void => {
    entries.set(partition, key, entry);
    if (++inserts % INSERTS_PER_STEP === 0) step(STEP_PER_INSERT * INSERTS_PER_STEP);
  };

  const backgroundSweep = (): void => {
    if (sweeping || closed) return;
    sweeping = true;
    let left = entries.size;
    const chunk = (): void => {
      const n = Math.min(left, SWEEP_CHUNK);
      step(n);
      left -= n;
      if (left > 0 && !closed) setImmediate(chunk);
      else sweeping = false;
    };
    chunk();
  };
  const timer = interval > 0 ? setInterval(backgroundSweep, interval) : null;
  timer?.unref();

  /** The stored entry of a limit, unless it was made for another algorithm or window. */
  const limitEntry = (partition: string, limit: LimitRequest): Entry | undefined => {
    const entry = entries.get(partition, limit.key);
    return entry !== undefined && entry.kind === limit.algorithm && entry.window === limit.window
      ? entry
      : undefined;
  };
  const quotaState = (partition: string, key: string): QuotaState | undefined => {
    const entry = entries.get(partition, key);
    return entry?.kind === "quota" ? (entry.state as QuotaState) : undefined;
  };

  /** Stores an admitted limit's new state (the rolled one, consumed in place) and when it goes idle. */
  const keep = (
    partition: string,
    entry: Entry | undefined,
    limit: LimitRequest,
    algorithm: LimitAlgorithm<LimitState>,
    state: LimitState,
  ): void => {
    const idleAt = algorithm.idleAt(state, limit);
    if (entry !== undefined) {
      entry.state = state;
      entry.idleAt = idleAt;
    } else {
      insert(partition, limit.key, { kind: limit.algorithm, window: limit.window, state, idleAt });
    }
  };

  /** Stores a quota balance: in place when the entry exists. Balances are never idle. */
  const keepQuota = (partition: string, key: string, state: QuotaState): void => {
    const entry = entries.get(partition, key);
    if (entry?.kind === "quota") entry.state = state;
    else insert(partition, key, { kind: "quota", window: 0, state, idleAt: Number.POSITIVE_INFINITY });
  };

  /**
   * The result of one limit, from its state after the call (consumed only if the whole call
   * was admitted): `p` is the request itself (it has limit, window and cost).
   */
  const report = (
    algorithm: LimitAlgorithm<LimitState>,
    p: LimitParams,
    state: LimitState,
    t: number,
    admits: boolean,
  ): LimitResult => ({
    allowed: admits,
    remaining: algorithm.remaining(state, p, t),
    resetMs: algorithm.resetMs(state, p, t),
    retryAfterMs: admits ? 0 : algorithm.retryAfterMs(state, p, t),
  });

  /**
   * The common call — one limit, no quota — without the bookkeeping of the general case, and
   * with the counter's state consumed in place.
   */
  function consumeOne(partition: string, limit: LimitRequest, now: number): ConsumeResult {
    const entry = limitEntry(partition, limit);
    const algorithm = LIMIT_ALGORITHMS[limit.algorithm];
    const { t, rolled, admits } = evaluateLimit(
      algorithm,
      entry?.state as LimitState | undefined,
      limit,
      now,
    );
    if (admits) {
      consumeInPlace(limit.algorithm, rolled, limit);
      keep(partition, entry, limit, algorithm, rolled);
    }
    return {
      allowed: admits,
      limits: [report(algorithm, limit, rolled, t, admits)],
      quota: null,
      now,
    };
  }

  function consumeNow(request: ConsumeRequest): ConsumeResult {
    const { partition, now, limits: requested } = request;
    advance(now);
    if (requested.length === 1 && request.quota === null) return consumeOne(partition, requested[0]!, now);

    const count = requested.length;
    const found: (Entry | undefined)[] = new Array(count);
    const evaluations: ReturnType<typeof evaluateLimit<LimitState>>[] = new Array(count);
    let allowed = true;
    for (let i = 0; i < count; i++) {
      const limit = requested[i]!;
      found[i] = limitEntry(partition, limit);
      evaluations[i] = evaluateLimit(
        LIMIT_ALGORITHMS[limit.algorithm],
        found[i]?.state as LimitState | undefined,
        limit,
        now,
      );
      if (!evaluations[i]!.admits) allowed = false;
    }
    const quotaRequest = request.quota;
    const quota =
      quotaRequest === null
        ? null
        : evaluateQuota(quotaState(partition, quotaRequest.key), quotaRequest.config, quotaRequest.cost, now);
    if (quota !== null && !quota.admits) allowed = false;

    const limits: LimitResult[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const limit = requested[i]!;
      const algorithm = LIMIT_ALGORITHMS[limit.algorithm];
      const { t, rolled, admits } = evaluations[i]!;
      // A new state per limit here (not in place): every limit was evaluated on the state as it
      // was before the call, even if a request names one counter twice.
      const state = allowed ? algorithm.consume(rolled, limit) : rolled;
      if (allowed) keep(partition, found[i], limit, algorithm, state);
      limits[i] = report(algorithm, limit, state, t, admits);
    }

    let quotaResult: QuotaResult | null = null;
    if (quotaRequest !== null && quota !== null) {
      let state = quota.rolled;
      if (allowed) {
        state = { remaining: state.remaining - quotaRequest.cost, periodStart: state.periodStart };
        keepQuota(partition, quotaRequest.key, state);
      }
      quotaResult = {
        allowed: quota.admits,
        remaining: state.remaining,
        refillAt: quotaRefillAt(state, quotaRequest.config),
      };
    }
    return { allowed, limits, quota: quotaResult, now };
  }

  const consume = async (request: ConsumeRequest): Promise<ConsumeResult> => {
    // A call that starts after its deadline was already answered 503: it must not count.
    if (request.deadline !== undefined && Date.now() > request.deadline) throw deadlinePassed();
    return consumeNow(request);
  };

  return {
    consume: Object.assign(consume, { [SYNC_CONSUME]: consumeNow }),
    async getQuota(ref: QuotaRef, config, now) {
      advance(now);
      return readQuota(quotaState(ref.partition, ref.key), config, now);
    },
    async setQuota(ref, _config, remaining, now) {
      advance(now);
      keepQuota(ref.partition, ref.key, { remaining, periodStart: now });
    },
    async clearCounters(partition, keys) {
      for (const key of keys) entries.delete(partition, key);
    },
    close() {
      closed = true;
      if (timer !== null) clearInterval(timer);
    },
    size: () => entries.size,
    sweep(now) {
      if (now !== undefined) advance(now);
      step(entries.size);
    },
  };
}
