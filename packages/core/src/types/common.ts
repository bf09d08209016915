/**
 * Durations and scope names: the vocabulary every other public type uses.
 */

/** `"500ms" | "30s" | "15m" | "24h" | "90d"` or a number of milliseconds. */
export type Duration = number | `${number}${"ms" | "s" | "m" | "h" | "d"}`;

/** Scope presets: a name grants a set of scopes. Pass `as const` to get names checked. */
export type ScopePresets = Readonly<Record<string, readonly string[]>>;

/**
 * The scope names a keyward instance accepts: its preset names, the scopes those presets
 * list, wildcards, and (when no presets are typed) any string.
 */
export type ScopeName<P extends ScopePresets> = string extends keyof P
  ? string
  : (keyof P & string) | P[keyof P][number] | "*" | `${string}:*`;

/**
 * What a route or a `verify()` call requires:
 * - a list: every scope in it (all-of);
 * - `{ anyOf: [...] }`: at least one of them;
 * - a query string: `"task:write AND (project:read OR admin:*)"` (AND binds tighter than OR).
 */
export type ScopeRequirement<S extends string = string> =
  | readonly S[]
  | { readonly anyOf: readonly S[] }
  | string;
