import { describeValue } from "../duration/describe.js";
import { parseDuration } from "../duration/index.js";
import { checkOptionNames } from "../options/check.js";
import type { Duration, QuotaConfig, QuotaInput } from "../types.js";

const QUOTA_FIELDS = new Set(["limit", "refill", "remaining"]);
const REFILL_FIELDS = new Set(["interval", "amount"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkFields(value: Record<string, unknown>, allowed: Set<string>, option: string): void {
  checkOptionNames(value, [...allowed], "keyward", option);
}

function count(value: unknown, option: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(
      `keyward: option "${option}" must be a non-negative integer, got ${describeValue(value)}`,
    );
  }
  return value;
}

/**
 * Validates a quota option and fills in its defaults: the refill `amount` defaults to `limit`,
 * the starting balance (`remaining`) to `limit`.
 *
 * @param input - `{ limit, refill?: { interval, amount? } | null, remaining? }`
 * @param option - the option's name for error messages, e.g. `"quota"`
 * @returns the stored configuration and the balance to start with (`setQuota`)
 * @throws TypeError naming the offending option, e.g. `quota.refill.interval`
 *
 * @example
 * resolveQuota({ limit: 10_000, refill: { interval: "30d" } }, "quota");
 * // { config: { limit: 10000, refill: { interval: 2592000000, amount: 10000 } }, remaining: 10000 }
 */
export function resolveQuota(input: QuotaInput, option: string): { config: QuotaConfig; remaining: number } {
  if (!isRecord(input)) {
    throw new TypeError(
      `keyward: option "${option}" must be an object like { limit: 1000, refill: { interval: "30d" } }, got ${describeValue(input)}`,
    );
  }
  checkFields(input, QUOTA_FIELDS, option);
  const limit = count(input.limit, `${option}.limit`);
  const remaining = input.remaining === undefined ? limit : count(input.remaining, `${option}.remaining`);
  const refillInput: unknown = input.refill;
  if (refillInput === undefined || refillInput === null)
    return { config: { limit, refill: null }, remaining };
  if (!isRecord(refillInput)) {
    throw new TypeError(
      `keyward: option "${option}.refill" must be an object like { interval: "30d" } or null, got ${describeValue(refillInput)}`,
    );
  }
  checkFields(refillInput, REFILL_FIELDS, `${option}.refill`);
  if (refillInput.interval === undefined) {
    throw new TypeError(`keyward: option "${option}.refill.interval" is required (a duration like "30d")`);
  }
  const interval = parseDuration(refillInput.interval as Duration, `${option}.refill.interval`);
  if (interval < 1) {
    throw new TypeError(
      `keyward: option "${option}.refill.interval" must be at least 1ms, got ${describeValue(refillInput.interval)}`,
    );
  }
  const amount =
    refillInput.amount === undefined ? limit : count(refillInput.amount, `${option}.refill.amount`);
  return { config: { limit, refill: { interval, amount } }, remaining };
}
