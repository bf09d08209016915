/**
 * The host app's rules on what callers may ask for: allowed scopes, the longest lifetime, the
 * caller's own owner id. Each check answers validation errors in the same shape as the schemas,
 * so a caller sees every problem of a request at once.
 */
import { formatDuration } from "../duration/index.js";
import { satisfiesScope } from "../scopes/index.js";
import { instantProblem } from "../service/representable.js";
import type { ResolvedKeysApiOptions } from "./options.js";
import type { ValidationError } from "./validate.js";

/** One error per requested scope that `allowedScopes` does not cover. */
export function checkScopes(
  options: ResolvedKeysApiOptions,
  scopes: readonly string[] | undefined,
  errors: ValidationError[],
): void {
  const allowed = options.allowedScopes;
  if (allowed === null || scopes === undefined) return;
  scopes.forEach((scope, index) => {
    if (!satisfiesScope(allowed, scope)) {
      errors.push({ path: `/scopes/${index}`, message: `is not a scope you may grant: ${scope}` });
    }
  });
}

/** Checks a relative lifetime against `maxExpiresIn`. */
export function checkExpiresIn(options: ResolvedKeysApiOptions, ms: number, errors: ValidationError[]): void {
  if (ms <= 0) errors.push({ path: "/expiresIn", message: "must be a positive duration" });
  else if (instantProblem(options.clock() + ms) !== null)
    errors.push({ path: "/expiresIn", message: "must end by 9999-12-31 (UTC)" });
  else if (options.maxExpiresIn !== null && ms > options.maxExpiresIn) {
    errors.push({ path: "/expiresIn", message: `must be at most ${formatDuration(options.maxExpiresIn)}` });
  }
}

/**
 * Checks an absolute expiry: null (never) is refused when a maximum applies, a date past the
 * maximum is refused, and on create (`future`) a date that already passed is refused.
 */
export function checkExpiresAt(
  options: ResolvedKeysApiOptions,
  expiresAt: Date | null,
  future: boolean,
  errors: ValidationError[],
): void {
  const max = options.maxExpiresIn;
  if (expiresAt === null) {
    if (max !== null)
      errors.push({ path: "/expiresAt", message: `must be set: keys expire within ${formatDuration(max)}` });
    return;
  }
  const now = options.clock();
  if (future && expiresAt.getTime() <= now)
    errors.push({ path: "/expiresAt", message: "must be in the future" });
  else if (max !== null && expiresAt.getTime() > now + max) {
    errors.push({ path: "/expiresAt", message: `must be at most ${formatDuration(max)} from now` });
  }
}
