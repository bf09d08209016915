import { describeValue } from "../duration/describe.js";
import type { ScopeName, ScopePresets, ScopeRequirement } from "../types.js";
import { type CompiledRequirement, compileNode, NO_REQUIREMENT } from "./compile.js";
import { isScope } from "./grammar.js";
import { resolvePresets } from "./presets.js";
import { joinNodes, parseScopeQuery, type ScopeNode } from "./query.js";

/**
 * Scope rules bound to one set of presets. `S` is the accepted scope names: with presets
 * given `as const`, requirement lists are checked by the compiler.
 */
export interface ScopeEngine<S extends string = string> {
  /**
   * A key's granted scopes with every preset name replaced by the preset's scopes (nested
   * presets followed). Other names pass through unchanged. Call it at check time, so a changed
   * preset applies to every key that holds it.
   */
  expand(scopes: readonly string[]): ReadonlySet<string>;
  /**
   * Compiles what a route requires: a list (all of them), `{ anyOf }` (at least one) or a
   * query string (`AND`, `OR`, parentheses). A preset name stands for all of its scopes. An
   * empty list requires nothing.
   *
   * @param option - the option's name for error messages @defaultValue "scopes"
   * @throws TypeError for a malformed query or an unknown scope name, with its position
   */
  compile(requirement: ScopeRequirement<S>, option?: string): CompiledRequirement;
  /**
   * Checks a list of scopes to grant: each must be a scope or a preset name.
   * @throws TypeError naming `option[index]`
   */
  validate(scopes: readonly string[], option: string): void;
  /** The presets, flattened: preset name → every scope it grants. */
  readonly presets: ReadonlyMap<string, readonly string[]>;
}

/**
 * Creates the scope engine for a set of presets (`{ writer: ["task:read", "task:write"] }`).
 * Preset values may name other presets; cycles are harmless.
 *
 * @param presets - preset name → scopes; undefined for none
 * @throws TypeError (naming the `scopes` option) for a bad preset name or entry
 *
 * @example
 * const scopes = createScopes({ reader: ["task:read"], writer: ["reader", "task:write"] } as const);
 * const route = scopes.compile("task:write AND (project:read OR admin:*)");
 * route.test(scopes.expand(key.scopes)); // true or false
 */
export function createScopes<const P extends ScopePresets>(
  presets: P | undefined,
): ScopeEngine<ScopeName<P>> {
  const resolved = resolvePresets(presets, "scopes");

  const problemWith = (name: string): string | null => {
    if (isScope(name) || resolved.has(name)) return null;
    return name.includes(":") || name === ""
      ? `${describeValue(name)} is not a valid scope: resource and action are made of letters, digits, "_", "." and "-", and the action may be "*"`
      : `${describeValue(name)} is neither a scope ("resource:action") nor a preset name`;
  };

  const checkList = (scopes: unknown, option: string): ScopeNode[] => {
    if (!Array.isArray(scopes)) {
      throw new TypeError(
        `keyward: option "${option}" must be a list of scopes, got ${describeValue(scopes)}`,
      );
    }
    return scopes.map((name: unknown, index) => {
      const problem =
        typeof name === "string" ? problemWith(name) : `expected a string, got ${describeValue(name)}`;
      if (problem !== null) throw new TypeError(`keyward: option "${option}[${index}]": ${problem}`);
      return { kind: "scope", name: name as string };
    });
  };

  return Object.freeze({
    presets: resolved,
    expand(scopes: readonly string[]): ReadonlySet<string> {
      const granted = new Set<string>();
      for (const name of scopes) {
        const expanded = resolved.get(name);
        if (expanded === undefined) granted.add(name);
        else for (const scope of expanded) granted.add(scope);
      }
      return granted;
    },
    compile(requirement: ScopeRequirement<ScopeName<P>>, option = "scopes"): CompiledRequirement {
      if (typeof requirement === "string")
        return compileNode(parseScopeQuery(requirement, option, problemWith), resolved);
      if (Array.isArray(requirement)) {
        const nodes = checkList(requirement, option);
        return nodes.length === 0 ? NO_REQUIREMENT : compileNode(joinNodes("and", nodes), resolved);
      }
      const anyOf = (requirement as { anyOf?: unknown } | null)?.anyOf;
      if (typeof requirement === "object" && requirement !== null && anyOf !== undefined) {
        const nodes = checkList(anyOf, `${option}.anyOf`);
        if (nodes.length === 0) {
          throw new TypeError(`keyward: option "${option}.anyOf" must list at least one scope`);
        }
        return compileNode(joinNodes("or", nodes), resolved);
      }
      throw new TypeError(
        `keyward: option "${option}" must be a list of scopes, { anyOf: [...] } or a query string, got ${describeValue(requirement)}`,
      );
    },
    validate(scopes: readonly string[], option: string): void {
      checkList(scopes, option);
    },
  });
}
