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
 * One timer per call covers both phases.
 */
import type { PgClientLike } from "./client.js";

interface PoolLike {
  connect(): Promise<PgClientLike>;
}

/** Why a call gave up; keyward has answered 503 by then. */
const timedOut = (phase: string): Error => new Error(`keyward: no ${phase} before the store deadline`);

/** Checks a connection out, runs `send` on it, and gives it back (as broken after a timeout). */
export function onPoolConnection<T>(
  pool: PoolLike,
  deadline: number,
  send: (connection: PgClientLike) => Promise<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let connection: PgClientLike | null = null;
    let done = false;
    let released = false;
    const release = (broken?: Error): void => {
      if (released || connection === null) return;
      released = true;
      connection.release?.(broken);
    };
    const finish = (error: unknown, value?: T): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error === undefined) resolve(value as T);
      else reject(error);
    };
    const timer = setTimeout(
      () => {
        const error = timedOut(connection === null ? "pooled connection" : "answer");
        release(error); // a statement in flight: the connection is broken, destroy it
        finish(error);
      },
      Math.max(0, deadline - Date.now()),
    );
    pool.connect().then(
      (acquired) => {
        connection = acquired;
        if (done || Date.now() > deadline) {
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
        send(acquired).then(
          (value) => {
            acquired.removeListener?.("error", onError);
            release();
            finish(undefined, value);
          },
          (error: unknown) => {
            acquired.removeListener?.("error", onError);
            // A database error (it has an SQLSTATE) leaves the connection usable; anything
            // else (a dropped socket, a protocol error) does not.
            const code = (error as { code?: unknown } | null)?.code;
            const sqlState = typeof code === "string" && /^[0-9A-Z]{5}$/.test(code);
            release(sqlState ? undefined : error instanceof Error ? error : new Error(String(error)));
            finish(error);
          },
        );
      },
      (error: unknown) => finish(error),
    );
  });
}
