/**
 * Renders a rejected option value for an error message: strings quoted (and cut short),
 * numbers as written, everything else by its kind. Internal; never used for secrets.
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean")
    return String(value);
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  return `a value of type ${typeof value}`;
}
