/**
 * Role ceilings: a key's effective scopes are its own grants intersected with what its owner
 * may do now. Both sides are expanded grant sets (presets replaced), wildcards included, and
 * the intersection is again such a set, so compiled requirements test it unchanged.
 */
import { satisfiesScope } from "./grammar.js";

/**
 * The scopes granted by both `a` and `b`. Wildcards follow the matching rules
 * (`*` ⊇ `r:*` ⊇ `r:action`): an entry of one side is kept when the other side grants it, so
 * `{"*"} ∩ {"task:read"}` is `{"task:read"}` and `{"task:*"} ∩ {"task:read", "project:read"}`
 * is `{"task:read"}`.
 *
 * @example
 * intersectGrants(new Set(["task:*"]), new Set(["task:read", "admin:*"])); // Set { "task:read" }
 */
export function intersectGrants(a: ReadonlySet<string>, b: ReadonlySet<string>): ReadonlySet<string> {
  const both = new Set<string>();
  for (const scope of a) if (satisfiesScope(b, scope)) both.add(scope);
  for (const scope of b) if (satisfiesScope(a, scope)) both.add(scope);
  return both;
}

/**
 * The entries of `requested` (scopes or preset names, expanded by `expand`) that `ceiling`
 * does not fully grant, with their index: what a caller may not put on a key.
 */
export function aboveCeiling(
  requested: readonly string[],
  ceiling: ReadonlySet<string>,
  expand: (scopes: readonly string[]) => ReadonlySet<string>,
): { index: number; scope: string }[] {
  const above: { index: number; scope: string }[] = [];
  requested.forEach((scope, index) => {
    for (const granted of expand([scope])) {
      if (!satisfiesScope(ceiling, granted)) {
        above.push({ index, scope });
        return;
      }
    }
  });
  return above;
}
