/**
 * Deadlines inside store calls. keyward answers 503 once a store call passes `timeout`; the
 * store must then not do the work later (a consume replayed after a reconnect, a statement
 * that waited for a pooled connection). So the deadline travels with the call
 * (`ConsumeRequest.deadline`) and the store checks it where the work happens, on its own clock.
 */
import { KeywardError } from "../errors/index.js";

/**
 * How much earlier than keyward's own deadline a store must stop consuming (ms): the clock skew
 * allowed between the app and the store's server. A store clock less than this behind the
 * app's never consumes a call keyward answered 503; one more than `timeout` minus this ahead
 * refuses every consume (keep server clocks in sync with NTP).
 */
export const CONSUME_SKEW_ALLOWANCE_MS = 250;

/**
 * The deadline a store gets for a call keyward started at `start` (epoch ms) with `timeout` ms:
 * `start + timeout - min(CONSUME_SKEW_ALLOWANCE_MS, timeout / 4)`.
 */
export function storeDeadline(start: number, timeout: number): number {
  return start + timeout - Math.min(CONSUME_SKEW_ALLOWANCE_MS, Math.floor(timeout / 4));
}

/** What a store throws instead of consuming after the deadline (keyward answers 503). */
export function deadlinePassed(): KeywardError {
  return new KeywardError(
    "unavailable",
    "keyward: the store call arrived after its deadline; nothing was consumed",
  );
}

let active: number | undefined;

/**
 * The deadline (epoch ms, `Date.now()` scale) of the keyward store call that is invoking the
 * store right now, or undefined outside one. Read it synchronously when your method is called
 * (before its first `await`): a store uses it to give up on a connection keyward stopped
 * waiting for — release a pooled connection as broken, reconnect after repeated timeouts — and
 * to send nothing once it has passed.
 */
export function currentStoreDeadline(): number | undefined {
  return active;
}

/** @internal Runs `start` (which calls the store) with `deadline` as the current store deadline. */
export function withStoreDeadline<T>(deadline: number, start: () => T): T {
  const previous = active;
  active = deadline;
  try {
    return start();
  } finally {
    active = previous;
  }
}
