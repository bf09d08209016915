/**
 * The role ceiling in the management API: with `ownerScopes` configured on the keyward, a
 * caller may not put on a key (create, or widen on update) a scope its owner may not use now.
 * Such a request is well-formed but not permitted for this caller at this time, so it answers
 * 403 `insufficient_scope` listing each scope (docs/decisions.md), where scopes the API never
 * grants (`allowedScopes`) stay a 400.
 */
import type { HttpResponse } from "../http/types.js";
import { aboveCeiling } from "../scopes/ceiling.js";
import type { Keyward } from "../types.js";
import type { Problems } from "./responses.js";

/** The 403 for `scopes` above the caller's ceiling, or null when they fit (or no ceiling applies). */
export async function ceilingProblem(
  keyward: Keyward,
  owner: string,
  scopes: readonly string[] | undefined,
  problems: Problems,
): Promise<HttpResponse | null> {
  const { ownerCeiling } = keyward;
  if (ownerCeiling === null || scopes === undefined || scopes.length === 0) return null;
  const granted = await ownerCeiling(owner);
  if (granted === null) {
    return problems.problem(
      "insufficient_scope",
      "Your account is no longer active, so it cannot grant scopes.",
    );
  }
  const above = aboveCeiling(scopes, granted, keyward.scopes.expand);
  if (above.length === 0) return null;
  const errors = above.map(({ index, scope }) => ({
    path: `/scopes/${index}`,
    message: `is above what you may grant now: ${scope}`,
  }));
  const count = errors.length === 1 ? "a scope" : `${errors.length} scopes`;
  return problems.problem("insufficient_scope", `The request grants ${count} above your role; see errors.`, {
    errors,
  });
}
