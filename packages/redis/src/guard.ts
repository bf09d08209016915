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
 *
 * The guard also batches writes: on a standalone ioredis client it corks the socket at the
 * first command of a tick and uncorks it on the next tick, so the commands of concurrent
 * requests leave in one write instead of one syscall each (node-redis does the same for every
 * command it sends). Nothing waits longer than the tick it was sent in.
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

/** The part of a socket the guard corks (absent on a Cluster and on node-redis, which batch themselves). */
interface Corkable {
  cork(): void;
  uncork(): void;
}

class Guard {
  #inFlight: InFlight[] = [];
  #timeouts = 0;
  #corked: Corkable | null = null;
  readonly #uncork = (): void => {
    const stream = this.#corked;
    this.#corked = null;
    stream?.uncork();
  };

  constructor(private readonly client: RedisClient) {}

  send<T>(command: () => Promise<T>): Promise<T> {
    const { status } = this.client;
    if (status !== "ready") {
      return Promise.reject(
        new Error(`keyward: Redis connection is ${status}; the command was not sent (nothing is queued)`),
      );
    }
    if (this.#corked === null) this.#cork();
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

  /** Corks the client's socket until the next tick (see the file comment). */
  #cork(): void {
    const stream = (this.client as { stream?: Partial<Corkable> }).stream;
    if (typeof stream?.cork !== "function" || typeof stream.uncork !== "function") return;
    stream.cork();
    this.#corked = stream as Corkable;
    process.nextTick(this.#uncork);
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
