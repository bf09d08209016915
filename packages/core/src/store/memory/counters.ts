/**
 * The memory counter store: rate limits and quotas in one Map, O(1) per call.
 *
 * Atomicity: `consume` does all its work synchronously before its promise settles, so in one
 * process no other call can interleave: N parallel calls see N consecutive states.
 *
 * Bounded memory: every limit entry records when its state becomes equal to a fresh one
 * (`idleAt`, see `ratelimit/algorithms.ts`); from then on it can be dropped without changing
 * any answer. A cursor walks the Map: every call examines two entries, and a background sweep
 * (an unref'd timer) walks the whole Map in chunks. Time is the request clock: the latest
 * `now` any call brought, so injected clocks stay consistent. Quota balances are never dropped
 * (they are balances, not rates) except by `clearCounters`.
 */
import { evaluateQuota, type QuotaState, quotaRefillAt } from "../../quota/balance.js";
import { ALGORITHMS, evaluateLimit, type LimitParams, type LimitState } from "../../ratelimit/algorithms.js";
import type { RateLimitAlgorithm } from "../../types.js";
import type {
  ConsumeRequest,
  ConsumeResult,
  CounterStore,
  LimitResult,
  QuotaRef,
  QuotaResult,
} from "../types.js";

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

type Entry =
  | { kind: RateLimitAlgorithm; window: number; state: LimitState; idleAt: number }
  | { kind: "quota"; window: 0; state: QuotaState; idleAt: number };

/** Drop state only this long (ms) after it became idle, to absorb slightly late request clocks. */
const CLOCK_SLACK = 1_000;
/** Entries examined per call, and per chunk of the background sweep. */
const STEP_PER_CALL = 2;
const SWEEP_CHUNK = 10_000;

/** Map key of one counter: partition and name, unambiguous whatever characters they hold. */
const entryKey = (partition: string, key: string): string => `${partition.length}:${partition}:${key}`;

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
  const entries = new Map<string, Entry>();
  let clock = Number.NEGATIVE_INFINITY;
  let cursor = entries.entries();
  let sweeping = false;
  let closed = false;

  const advance = (now: number): void => {
    if (now > clock) clock = now;
  };

  /** Examines up to `count` entries at the cursor and drops the idle ones. */
  const step = (count: number): void => {
    const horizon = clock - CLOCK_SLACK;
    for (let i = 0; i < count; i++) {
      let next = cursor.next();
      if (next.done) {
        if (entries.size === 0) return;
        cursor = entries.entries();
        next = cursor.next();
        if (next.done) return;
      }
      const [key, entry] = next.value;
      if (entry.idleAt <= horizon) entries.delete(key);
    }
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

  const limitState = (partition: string, key: string, kind: RateLimitAlgorithm, window: number) => {
    const entry = entries.get(entryKey(partition, key));
    return entry !== undefined && entry.kind === kind && entry.window === window
      ? (entry.state as LimitState)
      : undefined;
  };
  const quotaState = (partition: string, key: string): QuotaState | undefined => {
    const entry = entries.get(entryKey(partition, key));
    return entry?.kind === "quota" ? entry.state : undefined;
  };

  function consumeNow(request: ConsumeRequest): ConsumeResult {
    const { partition, now } = request;
    advance(now);
    const evaluations = request.limits.map((limit) => {
      const algorithm = ALGORITHMS[limit.algorithm];
      const params: LimitParams = { limit: limit.limit, window: limit.window, cost: limit.cost };
      const stored = limitState(partition, limit.key, limit.algorithm, limit.window);
      return { algorithm, params, ...evaluateLimit(algorithm, stored, params, now) };
    });
    const quotaRequest = request.quota;
    const quota =
      quotaRequest === null
        ? null
        : evaluateQuota(quotaState(partition, quotaRequest.key), quotaRequest.config, quotaRequest.cost, now);
    const allowed = evaluations.every((e) => e.admits) && (quota === null || quota.admits);

    const limits: LimitResult[] = evaluations.map((e, index) => {
      const { algorithm, params, t } = e;
      let state = e.rolled;
      if (allowed) {
        state = algorithm.consume(state, params);
        const limit = request.limits[index]!;
        const idleAt = algorithm.idleAt(state, params);
        entries.set(entryKey(partition, limit.key), {
          kind: limit.algorithm,
          window: limit.window,
          state,
          idleAt,
        });
      }
      return {
        allowed: e.admits,
        remaining: algorithm.remaining(state, params, t),
        resetMs: algorithm.resetMs(state, params, t),
        retryAfterMs: e.admits ? 0 : algorithm.retryAfterMs(e.rolled, params, t),
      };
    });

    let quotaResult: QuotaResult | null = null;
    if (quotaRequest !== null && quota !== null) {
      let state = quota.rolled;
      if (allowed) {
        state = { remaining: state.remaining - quotaRequest.cost, periodStart: state.periodStart };
        entries.set(entryKey(partition, quotaRequest.key), {
          kind: "quota",
          window: 0,
          state,
          idleAt: Number.POSITIVE_INFINITY,
        });
      }
      quotaResult = {
        allowed: quota.admits,
        remaining: state.remaining,
        refillAt: quotaRefillAt(state, quotaRequest.config),
      };
    }
    step(STEP_PER_CALL);
    return { allowed, limits, quota: quotaResult, now };
  }

  return {
    async consume(request) {
      return consumeNow(request);
    },
    async getQuota(ref: QuotaRef, config, now) {
      advance(now);
      const { rolled } = evaluateQuota(quotaState(ref.partition, ref.key), config, 1, now);
      return {
        allowed: rolled.remaining > 0,
        remaining: rolled.remaining,
        refillAt: quotaRefillAt(rolled, config),
      };
    },
    async setQuota(ref, _config, remaining, now) {
      advance(now);
      entries.set(entryKey(ref.partition, ref.key), {
        kind: "quota",
        window: 0,
        state: { remaining, periodStart: now },
        idleAt: Number.POSITIVE_INFINITY,
      });
      step(STEP_PER_CALL);
    },
    async clearCounters(partition, keys) {
      for (const key of keys) entries.delete(entryKey(partition, key));
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
