/**
 * Turns zod issues into the `errors` member of a 400 answer: one `{ path, message }` per
 * problem, the path a JSON Pointer (RFC 6901) into the body or the query (`"/scopes/0"`,
 * `""` for the whole document).
 */
import type { z } from "zod";

/** One validation problem, as listed in a 400 answer. */
export interface ValidationError {
  /** JSON Pointer to the offending member, `""` for the whole body or query. */
  path: string;
  message: string;
}

/** A JSON Pointer (RFC 6901) from path segments. */
function jsonPointer(segments: readonly PropertyKey[]): string {
  let pointer = "";
  for (const segment of segments) {
    pointer += "/" + String(segment).replaceAll("~", "~0").replaceAll("/", "~1");
  }
  return pointer;
}

/**
 * The branch of a failed union that got furthest: the only one whose issues all lie inside the
 * value (its shape matched, a member did not). Null when no single branch stands out.
 */
function closestBranch(issue: z.core.$ZodIssueInvalidUnion): readonly z.core.$ZodIssue[] | null {
  const nested = issue.errors.filter(
    (branch) => branch.length > 0 && branch.every((inner) => inner.path.length > 0),
  );
  return nested.length === 1 ? nested[0]! : null;
}

function collect(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[],
  errors: ValidationError[],
): void {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys)
        errors.push({ path: jsonPointer([...path, key]), message: "is not a known field" });
    } else if (issue.code === "invalid_union" && closestBranch(issue) !== null) {
      collect(closestBranch(issue)!, path, errors);
    } else if (issue.code === "invalid_type" && path.length === 0) {
      errors.push({ path: "", message: "must be a JSON object" });
    } else {
      errors.push({ path: jsonPointer(path), message: issue.message });
    }
  }
}

/**
 * One entry per issue: an unknown field becomes one entry per field, at that field's path; a
 * union whose shape matched but whose members did not reports those members.
 */
function issuesToErrors(issues: readonly z.core.$ZodIssue[]): ValidationError[] {
  const errors: ValidationError[] = [];
  collect(issues, [], errors);
  return errors;
}

/** Plain-language messages for the checks whose schema names no message of its own. */
const errorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      return issue.expected === "object" ? "must be an object" : `must be ${article(issue.expected)}`;
    case "too_small":
      return issue.origin === "string"
        ? `must be at least ${issue.minimum} characters`
        : `must be at least ${issue.minimum}`;
    case "too_big":
      return issue.origin === "string"
        ? `must be at most ${issue.maximum} characters`
        : `must be at most ${issue.maximum}`;
    default:
      return undefined;
  }
};

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The outcome of validating one input: the parsed value, or the errors to answer with. */
type Validated<T> = { ok: true; value: T } | { ok: false; errors: ValidationError[] };

/** Runs a schema and reshapes failures with {@link issuesToErrors}. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): Validated<z.output<S>> {
  const result = schema.safeParse(input, { error: errorMap });
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: issuesToErrors(result.error.issues) };
}
