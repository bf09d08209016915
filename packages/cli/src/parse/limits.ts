import type {
  NamedRateLimit,
  QuotaInput,
  RateLimitAlgorithm,
  RateLimitInput,
  RateLimitPolicy,
} from "@keyward/core";
import { parseDuration } from "@keyward/core";
import { RATE_LIMIT_ALGORITHMS } from "@keyward/core/store";
import { UsageError } from "../errors.js";

/**
 * Every algorithm by its name and by each word of its name no other algorithm shares
 * (`sliding`, `fixed`, `token`, `bucket`), derived from core's one list.
 */
const ALGORITHM_ALIASES: Record<string, RateLimitAlgorithm> = Object.fromEntries(
  RATE_LIMIT_ALGORITHMS.flatMap((algorithm) => [
    [algorithm, algorithm],
    ...algorithm
      .split("-")
      .filter((word) => RATE_LIMIT_ALGORITHMS.filter((other) => other.split("-").includes(word)).length === 1)
      .map((word) => [word, algorithm]),
  ]),
);

const LIMIT = /^(?:([A-Za-z0-9_.-]+)=)?(\d+)\/([^:]+)(?::(.+))?$/;

/**
 * Parses the `--rate-limit` values of one command line.
 *
 * Each value is `[name=]<limit>/<window>[:<algorithm>]` — `1000/1m`, `search=10/1m`,
 * `100/1s:token-bucket`. One unnamed value is the key's "default" policy; several values
 * become a list of named limits (an unnamed one is named "default"). `none` means no limit;
 * `default` (update only) goes back to the keyward-wide default.
 *
 * @throws UsageError for a malformed value, an unknown algorithm or a repeated name
 */
export function parseRateLimits(
  values: readonly string[],
  allowDefault: boolean,
): RateLimitInput | "default" {
  if (values.length === 1 && values[0] === "none") return null;
  if (values.length === 1 && values[0] === "default") {
    if (allowDefault) return "default";
    throw new UsageError(
      `--rate-limit "default" is only meaningful for keys update (new keys get the default anyway)`,
    );
  }
  const parsed = values.map(parseOne);
  if (parsed.length === 1 && parsed[0]!.name === undefined) {
    const { name: _unused, ...policy } = parsed[0]!;
    return policy;
  }
  const seen = new Set<string>();
  const named: NamedRateLimit[] = parsed.map(({ name = "default", ...policy }) => {
    if (seen.has(name)) throw new UsageError(`--rate-limit names "${name}" twice`);
    seen.add(name);
    return { name, ...policy };
  });
  return named;
}

function parseOne(value: string): RateLimitPolicy & { name?: string } {
  const match = LIMIT.exec(value);
  if (!match) {
    throw new UsageError(
      `--rate-limit must look like 1000/1m, name=10/1m or 100/1s:token-bucket, got ${JSON.stringify(value)}`,
    );
  }
  const [, name, limitText, windowText, algorithmText] = match;
  const limit = Number(limitText);
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new UsageError(`--rate-limit limit must be a positive integer`);
  const window = parseDuration(windowText as `${number}s`, "--rate-limit window");
  if (window <= 0) throw new UsageError(`--rate-limit window must be longer than 0`);
  let algorithm: RateLimitAlgorithm | undefined;
  if (algorithmText !== undefined) {
    algorithm = ALGORITHM_ALIASES[algorithmText];
    if (!algorithm) {
      throw new UsageError(
        `--rate-limit algorithm must be ${RATE_LIMIT_ALGORITHMS.join(", ")}, got ${JSON.stringify(algorithmText)}`,
      );
    }
  }
  return {
    ...(name !== undefined && { name }),
    limit,
    window: windowText as `${number}s`,
    ...(algorithm && { algorithm }),
  };
}

const QUOTA = /^(\d+)(?:\/([^:]+)(?::(\d+))?)?$/;

/**
 * Parses `--quota`: `10000` (a balance, never refilled), `10000/30d` (refilled to 10000 every
 * 30 days), `10000/30d:5000` (refilled to 5000), or `none` to remove the quota.
 *
 * @throws UsageError for a malformed value
 */
export function parseQuota(value: string): QuotaInput | null {
  if (value === "none") return null;
  const match = QUOTA.exec(value);
  if (!match) throw new UsageError(`--quota must look like 10000 or 10000/30d, got ${JSON.stringify(value)}`);
  const [, limitText, intervalText, amountText] = match;
  const limit = Number(limitText);
  if (!Number.isSafeInteger(limit)) throw new UsageError(`--quota limit must be a whole number`);
  // The same rule as the management API: a quota of 0 is a key that can never be used.
  if (limit < 1)
    throw new UsageError(`--quota limit must be at least 1 (keyward keys disable stops a key), got ${limit}`);
  if (intervalText === undefined) return { limit };
  const interval = parseDuration(intervalText as `${number}s`, "--quota refill interval");
  if (interval <= 0) throw new UsageError(`--quota refill interval must be longer than 0`);
  const amount = amountText === undefined ? undefined : Number(amountText);
  if (amount !== undefined && !Number.isSafeInteger(amount))
    throw new UsageError(`--quota refill amount must be a whole number`);
  if (amount !== undefined && amount < 1) throw new UsageError(`--quota refill amount must be at least 1`);
  return {
    limit,
    refill: { interval: intervalText as `${number}s`, ...(amount !== undefined && { amount }) },
  };
}
