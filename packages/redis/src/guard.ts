/**
 * Every command the store sends goes through a guard of its client, which makes keyward's
 * deadline hold whatever the client's settings:
 *
 * - nothing is queued: a command is sent only while the client is `ready`; otherwise it fails
 *   at once. A client with ioredis's offline queue on (the default) is thereby neutralised for
 *   keyward's commands — they can never be replayed on reconnect after keyward answered 503
 *   (and the consume script refuses work past its deadline anyway, should a command in flight
 *   be resent);
 * - a connection that keeps timing out is replaced: after `TIMEOUTS_BEFORE_RECONNECT` commands
 *   in a row went unanswered past their deadline (or failed with ioredis's `commandTimeout`),
 *   the guard disconnects the client and lets it reconnect. Established sockets that froze
 *   (open, no bytes) are kept by ioredis forever; this is how keyward recovers within moments
 *   of the network healing.
 *
 * Detection is lazy (checked when the next command is sent), so the request path arms no timer.
 */
import { currentStoreDeadline } from "@keyward/core/store";
import type { RedisClient } from "./scripts/runner.js";

/** Unanswered commands past their deadline that make the guard reconnect the client. */
export const TIMEOUTS_BEFORE_RECONNECT = 3;

interface InFlight {
  deadline: number;
  settled: boolean;
}

const isTimeout = (error: unknown): boolean =>
  error instanceof Error && error.message.startsWith("Command timed out");

class Guard {
  #inFlight: InFlight[] = [];
  #timeouts = 0;

  constructor(private readonly client: RedisClient) {}

  send<T>(command: () => Promise<T>): Promise<T> {
    const { status } = this.client;
    if (status !== "ready") {
      return Promise.reject(
        new Error(`keyward: Redis connection is ${status}; the command was not sent (nothing is queued)`),
      );
    }
    const deadline = currentStoreDeadline();
    if (deadline === undefined) return command();
    if (this.#stale(Date.now()) + this.#timeouts >= TIMEOUTS_BEFORE_RECONNECT) {
      this.#reconnect();
      return Promise.reject(new Error("keyward: Redis connection timed out repeatedly; reconnecting"));
    }
    const entry: InFlight = { deadline, settled: false };
    this.#inFlight.push(entry);
    return command().then(
      (value) => {
        entry.settled = true;
        this.#timeouts = 0;
        return value;
      },
      (error: unknown) => {
        entry.settled = true;
        if (isTimeout(error)) this.#timeouts++;
        throw error;
      },
    );
  }

  /** Drops answered commands from the head; counts the unanswered ones past their deadline there. */
  #stale(now: number): number {
    const queue = this.#inFlight;
    let head = 0;
    while (head < queue.length && queue[head]!.settled) head++;
    if (head > 0) queue.splice(0, head);
    let stale = 0;
    for (const entry of queue) {
      if (entry.settled) continue;
      if (entry.deadline >= now) break;
      stale++;
    }
    return stale;
  }

  #reconnect(): void {
    this.#inFlight = [];
    this.#timeouts = 0;
    // ioredis: close the socket (destroyed after `disconnectTimeout` if the peer is silent)
    // and reconnect with the client's own retry strategy.
    this.client.disconnect(true);
  }
}

const guards = new WeakMap<RedisClient, Guard>();

/** The guard of a client (one per client, shared by every store on it). */
export function guardOf(client: RedisClient): Guard {
  let guard = guards.get(client);
  if (guard === undefined) {
    guard = new Guard(client);
    guards.set(client, guard);
  }
  return guard;
}
