import type { Duration } from "../types.js";
import { describeValue } from "./describe.js";

/** Milliseconds per unit suffix. */
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Turns a duration option into whole milliseconds.
 *
 * Accepted: a string made of an integer amount and one unit — `ms`, `s`, `m`, `h`, `d`
 * (`"500ms"`, `"30s"`, `"15m"`, `"24h"`, `"90d"`), with no spaces or signs — or a finite,
 * non-negative number of milliseconds. A fractional number is rounded up to the next whole
 * millisecond, so a positive duration never becomes 0.
 *
 * @param value - the duration as the user wrote it
 * @param option - the option's name, used in the error message (e.g. `"cache.ttl"`)
 * @returns milliseconds, an integer ≥ 0 and ≤ `Number.MAX_SAFE_INTEGER`
 * @throws TypeError naming the option and the rejected value
 *
 * @example
 * parseDuration("15m", "window"); // 900000
 * parseDuration(250, "timeout");  // 250
 * parseDuration("30 sec", "cache.ttl");
 * // TypeError: keyward: option "cache.ttl" must be a duration like "30s" or milliseconds, got "30 sec"
 */
export function parseDuration(value: Duration, option: string): number {
  if (typeof value === "number") {
    if (Number.isFinite(value) && value >= 0) {
      const ms = Math.ceil(value);
      if (ms <= Number.MAX_SAFE_INTEGER) return ms;
    }
  } else if (typeof value === "string") {
    const ms = parseDurationString(value);
    if (ms !== -1) return ms;
  }
  throw new TypeError(
    `keyward: option "${option}" must be a duration like "30s" or milliseconds, got ${describeValue(value)}`,
  );
}

/** `-1` when the string is not `<digits><unit>` or overflows a safe integer. */
function parseDurationString(text: string): number {
  let end = 0;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    if (code < 48 || code > 57) break;
    end++;
  }
  if (end === 0 || end > 16) return -1;
  const unit = text.slice(end);
  if (!Object.hasOwn(UNIT_MS, unit)) return -1;
  const ms = Number(text.slice(0, end)) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return Number.isSafeInteger(ms) ? ms : -1;
}
