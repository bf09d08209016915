import { describeValue } from "./describe.js";

/** Units from largest to smallest, each with its length in milliseconds. */
const UNITS = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1_000],
] as const;

/**
 * Writes milliseconds in the largest unit that divides them exactly — the inverse of
 * {@link parseDuration} for display in docs, logs and the CLI.
 *
 * @param ms - a whole, non-negative number of milliseconds
 * @throws TypeError for a negative, fractional or non-finite number
 *
 * @example
 * formatDuration(86_400_000); // "1d"
 * formatDuration(90_000);     // "90s"
 * formatDuration(1_500);      // "1500ms"
 * formatDuration(0);          // "0ms"
 */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new TypeError(
      `keyward: formatDuration() needs a whole, non-negative number of milliseconds, got ${describeValue(ms)}`,
    );
  }
  if (ms > 0) {
    for (const [unit, size] of UNITS) {
      if (ms % size === 0) return `${ms / size}${unit}`;
    }
  }
  return `${ms}ms`;
}
