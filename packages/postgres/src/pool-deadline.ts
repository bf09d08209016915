/**
 * One statement on a pg Pool under keyward's deadline (`currentStoreDeadline()`), whatever the
 * pool's settings (`connectionTimeoutMillis`, `query_timeout` or none):
 *
 * - a connection the pool hands out only after the deadline is given back unused: nothing is
 *   sent for a call keyward already answered 503 (a held pool does not queue work for later);
 * - a statement without an answer at the deadline has its connection released as broken
 *   (`release(error)`: pg-pool removes it and destroys its socket), so a hung or frozen
 *   connection never holds a pool slot, and the next call opens a fresh one — which is how the
 *   store recovers within moments of the network healing, even when the old sockets stay open
 *   and silent forever.
 *
 * The calls in flight on one pool share one timer, armed for the earliest of their deadlines
 * (keyward's deadlines arrive almost in order, so it is re-armed about once per deadline span,
 * not once per call); when it fires it expires every call past its deadline and re-arms for
 * the next. A call that ends first only marks itself done.
 */
/** A statement as pg takes it: `{ name?, text, values }`. */
export interface QueryConfig {
  name?: string;
  text: string;
  values: unknown[];
}

/** The callback forms of a checked-out pg client (a pg or Neon `PoolClient`). */
interface PooledConnection {
  query(config: QueryConfig, callback: (error: Error | undefined | null, result: unknown) => void): void;
  release(error?: Error): void;
  on(event: "error", listener: (error?: Error) => void): unknown;
  removeListener(event: "error", listener: (error?: Error) => void): unknown;
}

/** A pg (or Neon) `Pool`: `connect(callback)` checks a connection out. */
export interface PoolLike {
  connect(callback: (error: Error | undefined | null, connection: PooledConnection) => void): void;
}

/** Why a call gave up; keyward has answered 503 by then. */
const timedOut = (phase: string): Error => new Error(`keyward: no ${phase} before the store deadline`);

/** One call in flight: its deadline, and what to do when the deadline passes first. */
interface Call {
  readonly deadline: number;
  done: boolean;
  expire(): void;
}

/** The calls in flight on one pool and their one timer. */
class DeadlineWatch {
  #calls: Call[] = [];
  #pending = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #armedFor = Number.POSITIVE_INFINITY;

  add(call: Call): void {
    // Ended calls leave from the head as new ones arrive, so the list stays as long as the
    // calls actually in flight.
    let head = 0;
    while (head < this.#calls.length && this.#calls[head]!.done) head++;
    if (head > 0) this.#calls.splice(0, head);
    this.#calls.push(call);
    this.#pending++;
    if (call.deadline < this.#armedFor) this.#arm(call.deadline);
  }

  /** A call ended (answered, failed or expired). */
  settle(call: Call): void {
    call.done = true;
    if (--this.#pending === 0) this.#disarm();
  }

  #arm(at: number): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#armedFor = at;
    this.#timer = setTimeout(this.#fire, Math.max(0, at - Date.now()));
  }

  #disarm(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#armedFor = Number.POSITIVE_INFINITY;
    this.#calls = [];
  }

  readonly #fire = (): void => {
    this.#timer = null;
    this.#armedFor = Number.POSITIVE_INFINITY;
    const now = Date.now();
    const calls = this.#calls;
    this.#calls = [];
    let next = Number.POSITIVE_INFINITY;
    for (const call of calls) {
      if (call.done) continue;
      if (call.deadline <= now) {
        call.expire(); // settles it
      } else {
        this.#calls.push(call);
        next = Math.min(next, call.deadline);
      }
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
  };
}

const watches = new WeakMap<PoolLike, DeadlineWatch>();

/**
 * Checks a connection out, runs `config` on it, and gives it back (as broken after a timeout).
 * pg's callback forms of `connect` and `query`: their promise forms cost a few microseconds
 * per call more, measurable on the uncached verification path.
 */
export function queryOnPool<R>(pool: PoolLike, deadline: number, config: QueryConfig): Promise<R> {
  let watch = watches.get(pool);
  if (watch === undefined) {
    watch = new DeadlineWatch();
    watches.set(pool, watch);
  }
  const deadlines = watch;
  return new Promise<R>((resolve, reject) => {
    let connection: PooledConnection | null = null;
    let released = false;
    const release = (broken?: Error): void => {
      if (released || connection === null) return;
      released = true;
      connection.release(broken);
    };
    const call: Call = {
      deadline,
      done: false,
      expire() {
        const error = timedOut(connection === null ? "pooled connection" : "answer");
        release(error); // a statement in flight: the connection is broken, destroy it
        finish(error);
      },
    };
    const finish = (error: unknown, value?: R): void => {
      if (call.done) return;
      deadlines.settle(call);
      if (error === undefined) resolve(value as R);
      else reject(error);
    };
    deadlines.add(call);
    pool.connect((failed, acquired) => {
      if (failed !== undefined && failed !== null) {
        finish(failed);
        return;
      }
      connection = acquired;
      if (call.done || Date.now() > deadline) {
        release(); // healthy, but too late to use: send nothing
        finish(timedOut("pooled connection"));
        return;
      }
      // As pg-pool's own query(): an error the connection emits mid-statement fails the call.
      const onError = (error?: Error): void => {
        release(error ?? new Error("keyward: connection error"));
        finish(error);
      };
      acquired.on("error", onError);
      acquired.query(config, (error, result) => {
        acquired.removeListener("error", onError);
        if (error === undefined || error === null) {
          release();
          finish(undefined, result as R);
          return;
        }
        // A database error (it has an SQLSTATE) leaves the connection usable; anything
        // else (a dropped socket, a protocol error) does not.
        const code = (error as { code?: unknown }).code;
        const sqlState = typeof code === "string" && /^[0-9A-Z]{5}$/.test(code);
        release(sqlState ? undefined : error);
        finish(error);
      });
    });
  });
}
