import { parseDuration } from "@keyward/core";
import { UsageError } from "../errors.js";

const SCOPE = /^(?:\*|[A-Za-z0-9][A-Za-z0-9_.-]*:(?:\*|[A-Za-z0-9][A-Za-z0-9_.-]*))$/;

/**
 * Collects `--scope` values (each may also be comma-separated) and checks every name: a scope
 * is `*`, `resource:*` or `resource:action`, or the name of a preset from the configuration.
 *
 * @throws UsageError naming the first bad scope
 */
export function parseScopes(
  values: readonly string[],
  presets: Readonly<Record<string, unknown>> = {},
): string[] {
  const scopes: string[] = [];
  for (const value of values) {
    for (const part of value.split(",")) {
      const scope = part.trim();
      if (scope === "") continue;
      if (!SCOPE.test(scope) && !Object.hasOwn(presets, scope)) {
        throw new UsageError(
          `bad scope ${JSON.stringify(scope)}: use resource:action, resource:*, * or a preset from keyward.config.json`,
        );
      }
      if (!scopes.includes(scope)) scopes.push(scope);
    }
  }
  return scopes;
}

/**
 * Parses `--metadata` values: `key=value` sets a string, `key:=<json>` sets any JSON value
 * (`count:=3`, `tags:=["a","b"]`).
 *
 * @throws UsageError for a value without `=` or with invalid JSON after `:=`
 */
export function parseMetadata(values: readonly string[]): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  for (const value of values) {
    const eq = value.indexOf("=");
    if (eq <= 0)
      throw new UsageError(
        `--metadata must look like key=value or key:=<json>, got ${JSON.stringify(value)}`,
      );
    if (value[eq - 1] === ":" && eq > 1) {
      const key = value.slice(0, eq - 1);
      try {
        metadata[key] = JSON.parse(value.slice(eq + 1));
      } catch {
        throw new UsageError(`--metadata ${key}:= must be followed by valid JSON`);
      }
    } else {
      metadata[value.slice(0, eq)] = value.slice(eq + 1);
    }
  }
  return metadata;
}

/** An expiry as given on the command line: relative (a duration) or absolute (a date). */
type Expiry = { expiresIn: `${number}d` } | { expiresAt: Date | null };

/**
 * Parses `--expires`: a duration from now (`90d`, `12h`), an ISO 8601 date or date-time
 * (`2027-01-31`, `2027-01-31T12:00:00Z`), or `never` (update only: removes the expiry).
 *
 * @throws UsageError for anything else
 */
export function parseExpiry(value: string, now: number): Expiry {
  if (value === "never" || value === "none") return { expiresAt: null };
  if (/^-\d+[a-z]+$/.test(value)) {
    throw new UsageError(
      `--expires must be in the future, got ${JSON.stringify(value)} (revoke the key to end it now)`,
    );
  }
  if (/^\d+[a-z]+$/.test(value)) {
    const ms = parseDuration(value as `${number}d`, "--expires");
    if (ms <= 0) throw new UsageError(`--expires must be in the future`);
    return { expiresIn: value as `${number}d` };
  }
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const at = new Date(value);
    if (!Number.isNaN(at.getTime())) {
      if (at.getTime() <= now) throw new UsageError(`--expires must be in the future`);
      return { expiresAt: at };
    }
  }
  throw new UsageError(
    `--expires must be a duration like 90d, a date like 2027-01-31, or never, got ${JSON.stringify(value)}`,
  );
}

/**
 * Parses a positive whole number option (`--limit`, `--batch-size`, `--concurrency`).
 *
 * @throws UsageError otherwise
 */
export function parsePositiveInt(
  value: string | undefined,
  option: string,
  fallback: number,
  max = 1_000_000,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > max) {
    throw new UsageError(`${option} must be a whole number from 1 to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}
