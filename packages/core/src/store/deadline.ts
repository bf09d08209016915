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
