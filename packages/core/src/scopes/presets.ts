import { describeValue } from "../duration/describe.js";
import type { ScopePresets } from "../types.js";
import { isPresetName, isScope } from "./grammar.js";

/** Preset name → every scope it grants, nested presets flattened, in first-seen order. */
export type ResolvedPresets = ReadonlyMap<string, readonly string[]>;

/**
 * Validates the `scopes` option and flattens each preset. Nested preset names are followed;
 * a cycle is harmless (each preset is visited once per expansion).
 *
 * @throws TypeError naming the offending preset or entry
 */
export function resolvePresets(presets: ScopePresets | undefined, option: string): ResolvedPresets {
  if (presets === undefined) return new Map();
  if (presets === null || typeof presets !== "object" || Array.isArray(presets)) {
    throw new TypeError(
      `keyward: option "${option}" must be an object mapping preset names to lists of scopes, got ${describeValue(presets)}`,
    );
  }
  const names = new Set(Object.keys(presets));
  for (const name of names) {
    if (!isPresetName(name)) {
      throw new TypeError(
        `keyward: option "${option}" has an invalid preset name ${describeValue(name)}: ` +
          `preset names are made of letters, digits, "_", "." and "-" (no ":"), and cannot be AND or OR`,
      );
    }
    const list = presets[name];
    if (!Array.isArray(list)) {
      throw new TypeError(
        `keyward: option "${option}.${name}" must be a list of scopes, got ${describeValue(list)}`,
      );
    }
    list.forEach((entry: unknown, index: number) => {
      if (typeof entry !== "string" || !(isScope(entry) || names.has(entry))) {
        throw new TypeError(
          `keyward: option "${option}.${name}[${index}]" must be a scope ("resource:action", "resource:*" or "*") ` +
            `or the name of another preset, got ${describeValue(entry)}`,
        );
      }
    });
  }
  const resolved = new Map<string, readonly string[]>();
  for (const name of names) resolved.set(name, Object.freeze(flatten(presets, name)));
  return resolved;
}

function flatten(presets: ScopePresets, root: string): string[] {
  const scopes = new Set<string>();
  const visited = new Set<string>();
  const visit = (name: string): void => {
    if (visited.has(name)) return;
    visited.add(name);
    for (const entry of presets[name]!) {
      if (Object.hasOwn(presets, entry)) visit(entry);
      else scopes.add(entry);
    }
  };
  visit(root);
  return [...scopes];
}
