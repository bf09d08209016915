/**
 * Request → operation matching, compiled once per document. Concrete paths are a map lookup;
 * templated paths are grouped by segment count and tried most specific first (a literal
 * segment beats a template at the first position where two paths differ), as OpenAPI 3.1
 * §4.8.8 asks ("concrete paths are matched before their templated counterparts").
 */

/** A compiled path segment: a literal, a whole-segment template, or a mixed one (`{name}.json`). */
type Segment = { kind: 0; text: string } | { kind: 1; pattern: RegExp } | { kind: 2 };

interface Templated<T> {
  segments: Segment[];
  value: T;
}

const LITERAL = 0;
const MIXED = 1;
const PARAM = 2;

function compileSegment(text: string): Segment {
  if (!text.includes("{")) return { kind: LITERAL, text };
  if (/^\{[^{}]+\}$/.test(text)) return { kind: PARAM };
  const source = text
    .split(/(\{[^{}]+\})/)
    .map((part) => (part.startsWith("{") ? "[^/]+?" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return { kind: MIXED, pattern: new RegExp(`^${source}$`) };
}

function segmentMatches(segment: Segment, text: string): boolean {
  if (segment.kind === LITERAL) return segment.text === text;
  if (segment.kind === PARAM) return text !== "";
  return segment.pattern.test(text);
}

/** `/a/b/?x=1` → `/a/b`: no query string or fragment, no trailing slash ("/" stays "/"). */
function normalize(path: string): string {
  let end = path.length;
  const query = path.indexOf("?");
  if (query !== -1) end = query;
  const fragment = path.indexOf("#");
  if (fragment !== -1 && fragment < end) end = fragment;
  if (end > 1 && path.charCodeAt(end - 1) === 47 /* "/" */) end--;
  return end === path.length ? path : path.slice(0, end);
}

/** Splits a normalized path into its segments: `/a/b` → `["a", "b"]`, `/` → `[]`. */
function splitPath(path: string): string[] {
  const bare = normalize(path);
  return bare === "/" || bare === "" ? [] : bare.slice(1).split("/");
}

/** Compares two templates by specificity: negative when `a` is more specific. */
function bySpecificity<T>(a: Templated<T>, b: Templated<T>): number {
  for (let index = 0; index < a.segments.length; index++) {
    const difference = (a.segments[index] as Segment).kind - (b.segments[index] as Segment).kind;
    if (difference !== 0) return difference;
  }
  return 0;
}

/** A matcher for one HTTP method's path templates. */
export interface PathMatcher<T> {
  /** The value registered for the template matching `path`, or undefined. */
  find(path: string): T | undefined;
}

/**
 * Compiles path templates (`/v1/tasks/{id}`) into a matcher.
 *
 * @param entries - template → value
 * @param basePath - a prefix every request path carries before the templates ("" for none)
 */
export function compilePaths<T>(entries: Iterable<readonly [string, T]>, basePath: string): PathMatcher<T> {
  const concrete = new Map<string, T>();
  const templated = new Map<number, Templated<T>[]>();
  for (const [template, value] of entries) {
    const parts = splitPath(template);
    if (!template.includes("{")) {
      concrete.set(`/${parts.join("/")}`, value);
      continue;
    }
    const list = templated.get(parts.length) ?? [];
    list.push({ segments: parts.map(compileSegment), value });
    templated.set(parts.length, list);
  }
  for (const list of templated.values()) list.sort(bySpecificity);
  const base = basePath.replace(/\/+$/, "");

  return {
    find(path: string): T | undefined {
      let relative = path;
      if (base !== "") {
        if (
          !path.startsWith(base) ||
          (path.length > base.length && !"/?#".includes(path[base.length] as string))
        ) {
          return undefined;
        }
        relative = path.slice(base.length) || "/";
      }
      const bare = normalize(relative);
      const exact = concrete.get(bare);
      if (exact !== undefined) return exact;
      const parts = bare === "/" ? [] : bare.slice(1).split("/");
      const candidates = templated.get(parts.length);
      if (candidates === undefined) return undefined;
      next: for (const candidate of candidates) {
        for (let index = 0; index < parts.length; index++) {
          if (!segmentMatches(candidate.segments[index] as Segment, parts[index] as string)) continue next;
        }
        return candidate.value;
      }
      return undefined;
    },
  };
}

/** A template with its parameter names blanked (`/v1/tasks/{}`), so two spellings compare equal. */
export function templateShape(path: string): string {
  const parts = splitPath(path.replace(/:([A-Za-z0-9_]+)/g, "{$1}"));
  return `/${parts.map((part) => part.replace(/\{[^{}]+\}/g, "{}")).join("/")}`;
}
