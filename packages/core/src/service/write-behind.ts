/**
 * Write-behind of `lastUsedAt` and usage counts. Verifications only touch an in-memory Map
 * (keyId → { lastUsedAt: max, count: sum }); a flush sends the whole Map in ONE
 * `store.recordUsage` call, every `interval` (an unref'd timer) or as soon as `maxBatch` keys
 * are pending. Flushes run one at a time; a failed flush merges its batch back, so usage is
 * retried on the next flush — never lost, never counted twice.
 */
import type { UsageEntry } from "../store/types.js";

interface Pending {
  lastUsedAt: number;
  count: number;
}

/** The usage buffer; `record` is the only call on the request path. */
export class UsageBuffer {
  #pending = new Map<string, Pending>();
  #write: (entries: UsageEntry[]) => Promise<void>;
  #maxBatch: number;
  #timer: ReturnType<typeof setInterval> | null;
  #chain: Promise<void> = Promise.resolve();
  #onError: (error: unknown) => void;
  #clock: () => number;
  #lastFlushAt: number | null = null;
  #lastError: string | null = null;

  constructor(options: {
    interval: number;
    maxBatch: number;
    write: (entries: UsageEntry[]) => Promise<void>;
    onError: (error: unknown) => void;
    /** Timestamps `lastFlushAt` (epoch ms). @defaultValue Date.now */
    clock?: () => number;
  }) {
    this.#clock = options.clock ?? Date.now;
    this.#write = options.write;
    this.#maxBatch = options.maxBatch;
    this.#onError = options.onError;
    this.#timer = setInterval(() => {
      if (this.#pending.size > 0) this.flush().catch(this.#onError);
    }, options.interval);
    this.#timer.unref?.();
  }

  /** Counts one successful verification. */
  record(keyId: string, now: number): void {
    const entry = this.#pending.get(keyId);
    if (entry) {
      entry.count++;
      if (now > entry.lastUsedAt) entry.lastUsedAt = now;
      return;
    }
    this.#pending.set(keyId, { lastUsedAt: now, count: 1 });
    if (this.#pending.size >= this.#maxBatch) this.flush().catch(this.#onError);
  }

  /** Writes everything pending now (after any flush already running). Rejects when the store failed. */
  flush(): Promise<void> {
    const run = this.#chain.then(() => this.#flushOnce());
    this.#chain = run.catch(() => {});
    return run;
  }

  /** Stops the timer and writes what is pending. */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.flush();
  }

  /** For `health()`: keys waiting, the last successful flush (epoch ms) and the last failure (cleared by a success). */
  get state(): { pendingKeys: number; lastFlushAt: number | null; lastError: string | null } {
    return { pendingKeys: this.#pending.size, lastFlushAt: this.#lastFlushAt, lastError: this.#lastError };
  }

  /** Forgets pending usage of a deleted key. */
  forget(keyId: string): void {
    this.#pending.delete(keyId);
  }

  async #flushOnce(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    this.#pending = new Map();
    const entries: UsageEntry[] = [];
    for (const [id, { lastUsedAt, count }] of batch) entries.push({ id, lastUsedAt, count });
    try {
      await this.#write(entries);
      this.#lastFlushAt = this.#clock();
      this.#lastError = null;
    } catch (error) {
      this.#lastError = describeError(error);
      for (const [id, failed] of batch) {
        const current = this.#pending.get(id);
        if (current) {
          current.count += failed.count;
          current.lastUsedAt = Math.max(current.lastUsedAt, failed.lastUsedAt);
        } else {
          this.#pending.set(id, failed);
        }
      }
      throw error;
    }
  }
}

/** One line about a failure, for an operator: the error's name and the start of its message. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 200);
  const line = error.message.split("\n", 1)[0] ?? "";
  return `${error.name}: ${line}`.slice(0, 200);
}
