/**
 * What every store can represent, as one set of rules that `create`/`import`/`update`/`rotate`
 * and the management API's schemas both apply (each function answers why a value cannot be
 * stored, or null). A value one store would refuse or change — PostgreSQL cannot hold U+0000
 * in text, a lone surrogate is replaced on its way through UTF-8, a date past year 9999 has no
 * RFC 3339 form and one past ±8.64e15 ms is no Date at all, a deeply nested object exhausts the
 * stack of every recursive serializer — is refused on the way in (`invalid_request`, 400 with
 * the field's path), never stored to break reads later.
 */

/** The latest instant keyward stores: 9999-12-31T23:59:59.999Z (epoch ms). */
export const LATEST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The longest quota refill interval (1000 years, in ms): every refill time stays a storable date. */
export const MAX_REFILL_INTERVAL = 1000 * 365.25 * 86_400_000;

/** The deepest nesting of objects and arrays `metadata` may have (the object itself is depth 1). */
export const MAX_METADATA_DEPTH = 32;

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored as is, or null: U+0000, or a lone UTF-16 surrogate. */
export function textProblem(value: string): string | null {
  if (value.includes("\u0000")) return "must not contain the NUL character (U+0000)";
  if (LONE_SURROGATE.test(value)) return "must be well-formed Unicode (it has a lone surrogate)";
  return null;
}

/** Why an instant (epoch ms) cannot be stored, or null: not between 1970 and the end of 9999. */
export function instantProblem(ms: number): string | null {
  return Number.isFinite(ms) && ms >= 0 && ms <= LATEST_INSTANT
    ? null
    : "must be a date from 1970-01-01 to 9999-12-31 (UTC)";
}

/** A problem inside a value, with the path to it from that value. */
export interface ValueProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Why a metadata object cannot be stored, or null: nested deeper than
 * {@link MAX_METADATA_DEPTH}, or a key or string that {@link textProblem} refuses. Walks the
 * value without recursion (a 10,000-deep object is refused, not a stack overflow).
 */
export function metadataProblem(value: unknown): ValueProblem | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === "string") {
      const message = textProblem(current);
      if (message !== null) return { path, message };
      continue;
    }
    if (typeof current !== "object" || current === null) continue;
    if (path.length >= MAX_METADATA_DEPTH) {
      return { path, message: `must not nest objects and arrays more than ${MAX_METADATA_DEPTH} deep` };
    }
    const entries: [string | number, unknown][] = Array.isArray(current)
      ? current.map((item, i) => [i, item])
      : Object.entries(current);
    for (const [key, inner] of entries) {
      if (typeof key === "string") {
        const message = textProblem(key);
        if (message !== null) return { path: [...path, key], message };
      }
      stack.push({ value: inner, path: [...path, key] });
    }
  }
  return null;
}
