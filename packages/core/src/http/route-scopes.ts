/**
 * A route's scope requirement seen from the HTTP step: the scopes a 403 names in
 * `WWW-Authenticate: Bearer … scope="…"` (presets replaced by their scopes), and a check of a
 * key verified earlier in the same request (a route nested in a protected router).
 */
import type { ApiKey, Keyward, ScopeRequirement, VerifyFailure } from "../types.js";

/** The compiled view of one route's `scopes` option. */
interface RouteScopes {
  /** Every scope the requirement mentions, presets expanded, deduplicated, in order. */
  readonly scopes: readonly string[];
  /**
   * Null when `key` satisfies the requirement, else the `insufficient_scope` failure. `granted`:
   * the key's effective scopes under its owner's ceiling, when one applied.
   */
  check(key: ApiKey, granted?: ReadonlySet<string>): VerifyFailure | null;
}

const NOTHING_REQUIRED: RouteScopes = Object.freeze({ scopes: Object.freeze([]), check: () => null });

/** Compiles `requirement` with the scope engine (presets) of `keyward`. */
export function routeScopes(keyward: Keyward, requirement: ScopeRequirement | undefined): RouteScopes {
  const engine = keyward.scopes;
  if (requirement === undefined) return NOTHING_REQUIRED;
  const compiled = engine.compile(requirement, "scopes");
  if (compiled.source === "") return NOTHING_REQUIRED;
  const message = `The API key lacks the required scopes: ${compiled.source}.`;
  return Object.freeze({
    scopes: compiled.scopes,
    check(key: ApiKey, granted?: ReadonlySet<string>): VerifyFailure | null {
      if (compiled.test(granted ?? engine.expand(key.scopes))) return null;
      return { ok: false, code: "insufficient_scope", status: 403, message, key };
    },
  });
}
