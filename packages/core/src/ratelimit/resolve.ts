import { describeValue } from "../duration/describe.js";
import { parseDuration } from "../duration/index.js";
import { checkOptionNames } from "../options/check.js";
import type {
  NamedRateLimit,
  RateLimitAlgorithm,
  RateLimitInput,
  RateLimitPolicy,
  ResolvedRateLimit,
} from "../types.js";
import { LIMIT_NAME_PATTERN, LIMIT_NAME_RULE, OWNER_LIMIT_NAME } from "./limit-names.js";
import { DEFAULT_RATE_LIMIT_ALGORITHM, isRateLimitAlgorithm, RATE_LIMIT_ALGORITHMS } from "./names.js";

/** The algorithm used when a policy names none. */
const DEFAULT_ALGORITHM: RateLimitAlgorithm = DEFAULT_RATE_LIMIT_ALGORITHM;

/** The name a single policy gets, and the limit a call consumes when it names none. */
export const DEFAULT_LIMIT_NAME = "default";

export { OWNER_LIMIT_NAME };

/** Upper bound of `limit × window` (ms), so that the integer math stays exact in doubles. */
const MAX_LIMIT_WINDOW_PRODUCT = 2 ** 52;

const NAME_PATTERN = LIMIT_NAME_PATTERN;
const POLICY_FIELDS = new Set(["name", "limit", "window", "algorithm", "autoApply"]);

function fail(option: string, expected: string, value: unknown): never {
  throw new TypeError(`keyward: option "${option}" must be ${expected}, got ${describeValue(value)}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function resolvePolicy(input: unknown, option: string, defaultName: string): ResolvedRateLimit {
  if (!isRecord(input)) fail(option, 'an object like { limit: 100, window: "1m" }', input);
  checkOptionNames(input, [...POLICY_FIELDS], "keyward", option);
  const { limit, window, algorithm = DEFAULT_ALGORITHM, autoApply = false } = input;
  const name = input.name ?? defaultName;
  if (typeof name !== "string" || !NAME_PATTERN.test(name)) {
    fail(`${option}.name`, LIMIT_NAME_RULE, name);
  }
  if (name === OWNER_LIMIT_NAME) {
    throw new TypeError(
      `keyward: option "${option}.name" may not be "owner": that name reports the owner limit`,
    );
  }
  if (typeof limit !== "number" || !Number.isSafeInteger(limit) || limit < 1) {
    fail(`${option}.limit`, "a positive integer", limit);
  }
  if (window === undefined) fail(`${option}.window`, 'a duration like "1m" or milliseconds', window);
  const windowMs = parseDuration(window as RateLimitPolicy["window"], `${option}.window`);
  if (windowMs < 1) fail(`${option}.window`, "at least 1ms", window);
  if (limit * windowMs > MAX_LIMIT_WINDOW_PRODUCT) {
    throw new TypeError(
      `keyward: option "${option}" is too large: limit × window (in ms) must not exceed 2^52; use a quota for very large budgets`,
    );
  }
  if (!isRateLimitAlgorithm(algorithm)) {
    fail(`${option}.algorithm`, `one of ${RATE_LIMIT_ALGORITHMS.map((a) => `"${a}"`).join(", ")}`, algorithm);
  }
  if (typeof autoApply !== "boolean") fail(`${option}.autoApply`, "a boolean", autoApply);
  return { name, limit, window: windowMs, algorithm: algorithm as RateLimitAlgorithm, autoApply };
}

/**
 * Validates a rate-limit option and fills in its defaults: window in milliseconds, algorithm
 * `"sliding-window"`, `autoApply: false`. A single policy becomes one limit named `"default"`;
 * a list keeps its order and must use unique names (`[a-z0-9_-]`, at most 64 characters,
 * `"owner"` reserved).
 *
 * @param input - a policy, a list of named limits, `null` (no limits: `[]`), or
 *   `undefined`/`false` (nothing given: `null`, meaning "the default applies" on a key and
 *   "no default" in `createKeyward`)
 * @param option - the option's name for error messages, e.g. `"rateLimit"`
 * @throws TypeError naming the offending option, e.g. `rateLimit[1].window`
 *
 * @example
 * resolveRateLimit({ limit: 100, window: "1m" }, "rateLimit");
 * // [{ name: "default", limit: 100, window: 60000, algorithm: "sliding-window", autoApply: false }]
 */
export function resolveRateLimit(
  input: RateLimitInput | RateLimitPolicy | readonly NamedRateLimit[] | false | undefined,
  option: string,
): ResolvedRateLimit[] | null {
  if (input === undefined || input === false) return null;
  if (input === null) return [];
  if (!Array.isArray(input)) return [resolvePolicy(input, option, DEFAULT_LIMIT_NAME)];
  const seen = new Set<string>();
  return input.map((entry: unknown, index: number) => {
    const at = `${option}[${index}]`;
    if (isRecord(entry) && entry.name === undefined) fail(`${at}.name`, "a limit name", undefined);
    const resolved = resolvePolicy(entry, at, DEFAULT_LIMIT_NAME);
    if (seen.has(resolved.name)) {
      throw new TypeError(`keyward: option "${at}.name" repeats the limit name "${resolved.name}"`);
    }
    seen.add(resolved.name);
    return resolved;
  });
}

/**
 * Validates the owner-level limit (`ownerRateLimit`): one policy shared by every key of an
 * owner, reported under the name `"owner"`.
 *
 * @returns the resolved limit, or null for `undefined`/`false`/`null`
 * @throws TypeError naming the offending option
 *
 * @example
 * resolveOwnerRateLimit({ limit: 5000, window: "1m" }, "ownerRateLimit");
 * // { name: "owner", limit: 5000, window: 60000, algorithm: "sliding-window", autoApply: true }
 */
export function resolveOwnerRateLimit(
  input: RateLimitPolicy | false | null | undefined,
  option: string,
): ResolvedRateLimit | null {
  if (input === undefined || input === false || input === null) return null;
  if (isRecord(input) && ("name" in input || "autoApply" in input)) {
    throw new TypeError(`keyward: option "${option}" takes { limit, window, algorithm? } only`);
  }
  const resolved = resolvePolicy(input, option, DEFAULT_LIMIT_NAME);
  return { ...resolved, name: OWNER_LIMIT_NAME, autoApply: true };
}
