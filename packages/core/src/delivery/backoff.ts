/**
 * The retry schedule: exponential backoff (factor 4) with full jitter, capped at `maxDelay`.
 * After failed attempt `n` (1-based) the next is due after a uniformly random delay in
 * `[0, min(maxDelay, initialDelay × 4^(n−1))]`; after `attempts` failures the delivery is dead.
 * With the defaults (5 s, 10 h, 8 attempts) the caps are 5 s, 20 s, 80 s, 5 min 20 s, 21 min,
 * 85 min and 5 h 41 min: about 7.6 hours from the first attempt to the last at most.
 */

/** The growth factor between consecutive caps. */
export const BACKOFF_FACTOR = 4;

/** The upper bound of the delay after failed attempt `failures` (1-based), in ms. */
export function retryCap(retry: { initialDelay: number; maxDelay: number }, failures: number): number {
  return Math.min(retry.maxDelay, retry.initialDelay * BACKOFF_FACTOR ** Math.max(0, failures - 1));
}

/** When the next attempt is due after failed attempt `failures`, or null when it was the last. */
export function nextAttemptAt(
  retry: { initialDelay: number; maxDelay: number; attempts: number },
  failures: number,
  at: number,
  random: () => number = Math.random,
): number | null {
  if (failures >= retry.attempts) return null;
  return at + Math.floor(random() * (retryCap(retry, failures) + 1));
}
