/**
 * The one list of rate-limit algorithm names. The `RateLimitAlgorithm` type, the option
 * validation, the management API schema, the CLI and every store's dispatch derive from it;
 * adding an algorithm starts here (see docs/architecture.md, "Add a rate-limit algorithm").
 * @module
 */

/** Every rate-limit algorithm keyward knows, by its public name. */
export const RATE_LIMIT_ALGORITHMS = Object.freeze([
  "sliding-window",
  "fixed-window",
  "token-bucket",
] as const);

/** The name of a rate-limit algorithm: one of {@link RATE_LIMIT_ALGORITHMS}. */
export type RateLimitAlgorithm = (typeof RATE_LIMIT_ALGORITHMS)[number];

/** The algorithm a policy gets when it names none. */
export const DEFAULT_RATE_LIMIT_ALGORITHM: RateLimitAlgorithm = RATE_LIMIT_ALGORITHMS[0];

/** Narrowing check: whether `value` names a known algorithm. */
export function isRateLimitAlgorithm(value: unknown): value is RateLimitAlgorithm {
  return typeof value === "string" && (RATE_LIMIT_ALGORITHMS as readonly string[]).includes(value);
}
