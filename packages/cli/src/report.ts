import { isKeywardError } from "@keyward/core";
import { CliError, EXIT_FAILURE, EXIT_USAGE, redact } from "./errors.js";

/** Node / driver error codes that mean "could not reach the server". */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
]);

/** PostgreSQL SQLSTATE classes the operator has to fix (auth, missing database, privileges). */
const PG_CONFIG_CLASSES = ["28", "3D", "42501"];

/**
 * Turns any thrown value into the exit code and the single line the CLI prints. Known
 * failures get a message an operator can act on; anything else says it was unexpected and
 * points at `KEYWARD_DEBUG=1`. The line is redacted and never spans more than one line.
 */
export function describeFailure(error: unknown): { exitCode: number; message: string } {
  const { exitCode, message } = classify(error);
  const oneLine = message
    .replace(/^keyward:\s*/, "")
    .replace(/\s*\n\s*/g, " ")
    .trim();
  return { exitCode, message: redact(oneLine || "failed") };
}

function classify(error: unknown): { exitCode: number; message: string } {
  if (error instanceof CliError) return { exitCode: error.exitCode, message: error.message };
  if (isKeywardError(error)) {
    const exitCode = error.code === "invalid_request" ? EXIT_USAGE : EXIT_FAILURE;
    return { exitCode, message: error.message };
  }
  // keyward's packages report bad option values (durations, scopes, prefixes) as a TypeError
  // naming the option.
  if (
    error instanceof TypeError &&
    /^(keyward|postgresStore|redisStore|migrate|createRedisClient):/.test(error.message)
  ) {
    return { exitCode: EXIT_USAGE, message: error.message };
  }
  const connection = connectionProblem(error);
  if (connection) return { exitCode: EXIT_FAILURE, message: connection };
  const text = error instanceof Error ? error.message : String(error);
  return { exitCode: EXIT_FAILURE, message: `unexpected error: ${text} (set KEYWARD_DEBUG=1 for details)` };
}

function connectionProblem(error: unknown): string | null {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_CODES.has(code)) {
      return `cannot reach the database (${code}); check --database-url / --redis-url`;
    }
    if (typeof code === "string" && PG_CONFIG_CLASSES.some((prefix) => code.startsWith(prefix))) {
      return `database refused the request: ${(current as Error).message}`;
    }
    if (current instanceof AggregateError && current.errors.length > 0) {
      current = current.errors[0];
      continue;
    }
    if (
      current instanceof Error &&
      /connect(ion)? (timeout|terminated)|timeout exceeded when trying to connect/i.test(current.message)
    ) {
      return `cannot reach the database (${current.message}); check --database-url / --redis-url`;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
