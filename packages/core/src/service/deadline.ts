/**
 * The store deadline. Every store call keyward makes is raced against `timeout`; a call that
 * throws (with anything but a KeywardError) or runs past the deadline becomes
 * `KeywardError("unavailable")`, which `verify()` turns into a 503 result and the management
 * methods throw.
 *
 * No timer per call: calls that share a timeout expire in the order they started, so one
 * watchdog per timeout value keeps them in a FIFO queue with one timer armed for the oldest
 * unsettled call. Settling a call only marks it; the timer skips settled calls when it fires.
 * On the request path this replaces a setTimeout/clearTimeout pair per call with an array push.
 *
 * The store sees the deadline too (`currentStoreDeadline()`, and `ConsumeRequest.deadline`), so
 * that work keyward gave up on is not done later: see store/deadline.ts.
 */
import { KeywardError } from "../errors/index.js";
import { withStoreDeadline } from "../store/deadline.js";

interface PendingCall {
  deadline: number;
  settled: boolean;
  expire: () => void;
}

/** The calls of one timeout value, oldest first, and the one timer that watches them. */
class Watchdog {
  #queue: PendingCall[] = [];
  #head = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(readonly timeout: number) {}

  watch(call: PendingCall): void {
    // Calls mostly settle in the order they started: drop settled ones at the head, so the
    // queue holds only from the oldest call still in flight.
    const queue = this.#queue;
    while (this.#head < queue.length && queue[this.#head]!.settled) this.#head++;
    if (this.#head === queue.length) {
      queue.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > queue.length) {
      this.#queue = queue.slice(this.#head);
      this.#head = 0;
    }
    this.#queue.push(call);
    if (this.#timer === null) this.#arm(call.deadline);
  }

  #arm(deadline: number): void {
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, deadline - Date.now()));
  }

  #fire(): void {
    this.#timer = null;
    const now = Date.now();
    const queue = this.#queue;
    while (this.#head < queue.length) {
      const call = queue[this.#head]!;
      if (!call.settled) {
        if (call.deadline > now) break;
        call.settled = true;
        call.expire();
      }
      this.#head++;
    }
    if (this.#head === queue.length) {
      this.#queue = [];
      this.#head = 0;
      return;
    }
    if (this.#head > 1024) {
      this.#queue = queue.slice(this.#head);
      this.#head = 0;
    }
    this.#arm(this.#queue[this.#head]!.deadline);
  }
}

const watchdogs = new Map<number, Watchdog>();

/** Runs one store operation under a deadline; see the module comment for what failures become. */
export function storeCall<T>(
  kind: string,
  operation: string,
  timeout: number,
  run: () => Promise<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const call: PendingCall = {
      deadline: Date.now() + timeout,
      settled: false,
      expire: () =>
        reject(
          new KeywardError(
            "unavailable",
            `keyward: the ${kind} store did not answer ${operation} within ${timeout} ms`,
          ),
        ),
    };
    const fail = (cause: unknown): void => {
      if (call.settled) return;
      call.settled = true;
      if (cause instanceof KeywardError) reject(cause);
      else
        reject(
          new KeywardError("unavailable", `keyward: the ${kind} store failed in ${operation}`, { cause }),
        );
    };
    try {
      withStoreDeadline(call.deadline, run).then((value) => {
        if (call.settled) return;
        call.settled = true;
        resolve(value);
      }, fail);
    } catch (cause) {
      fail(cause);
      return;
    }
    let watchdog = watchdogs.get(timeout);
    if (watchdog === undefined) {
      watchdog = new Watchdog(timeout);
      watchdogs.set(timeout, watchdog);
    }
    watchdog.watch(call);
  });
}
