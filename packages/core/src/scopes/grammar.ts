/**
 * The scope grammar: `resource:action`, where resource and action are `[A-Za-z0-9_.-]+` and
 * the action may be `*`, plus `*` alone. Preset names are `[A-Za-z0-9_.-]+` (no colon), and
 * never `AND` / `OR` in any case, so they cannot be mistaken for scopes or query keywords.
 */

/** Whether a char code is in `[A-Za-z0-9_.-]`. */
function isNameChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 48 && code <= 57) || // 0-9
    code === 95 || // _
    code === 46 || // .
    code === 45 // -
  );
}

function isNameRange(text: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    if (!isNameChar(text.charCodeAt(i))) return false;
  }
  return true;
}

/**
 * Whether `value` is a scope by the grammar: `"*"`, `"resource:action"` or `"resource:*"`,
 * with resource and action made of `[A-Za-z0-9_.-]`. Preset names are not scopes.
 *
 * @example
 * isScope("task:write"); // true
 * isScope("task:*");     // true
 * isScope("task");       // false (could be a preset name)
 * isScope("task:a:b");   // false
 */
export function isScope(value: string): boolean {
  if (typeof value !== "string") return false;
  if (value === "*") return true;
  const colon = value.indexOf(":");
  if (colon <= 0 || !isNameRange(value, 0, colon)) return false;
  if (value.length === colon + 2 && value.charCodeAt(colon + 1) === 42) return true; // "*"
  return isNameRange(value, colon + 1, value.length);
}

/** Whether `value` may name a preset: `[A-Za-z0-9_.-]+`, not `AND` or `OR` in any case. */
export function isPresetName(value: string): boolean {
  if (typeof value !== "string" || !isNameRange(value, 0, value.length)) return false;
  const upper = value.toUpperCase();
  return upper !== "AND" && upper !== "OR";
}

/**
 * Whether a set of granted scopes (presets already expanded) satisfies one required scope:
 * granted `*` satisfies everything; granted `resource:*` satisfies every `resource:<action>`;
 * a required `resource:*` is satisfied only by `resource:*` or `*`, and a required `*` only
 * by `*`.
 *
 * @example
 * satisfiesScope(new Set(["task:*"]), "task:write"); // true
 * satisfiesScope(new Set(["task:write"]), "task:*"); // false
 */
export function satisfiesScope(granted: ReadonlySet<string>, required: string): boolean {
  if (granted.has(required) || granted.has("*")) return true;
  const colon = required.indexOf(":");
  if (colon <= 0 || required.endsWith(":*")) return false;
  return granted.has(`${required.slice(0, colon)}:*`);
}
