import type { ResolvedPresets } from "./presets.js";
import type { ScopeNode } from "./query.js";

/**
 * A scope requirement compiled once (at route setup) and tested on every request.
 * Build it with `createScopes(presets).compile(requirement)`.
 */
export interface CompiledRequirement {
  /**
   * Whether a key's granted scopes (already expanded by `ScopeEngine.expand`) satisfy the
   * requirement. No parsing happens here: the requirement is a tree of closures.
   */
  test(granted: ReadonlySet<string>): boolean;
  /**
   * The scopes to name in `WWW-Authenticate: Bearer … scope="…"` when the test fails: every
   * scope the requirement mentions, presets replaced by their scopes, deduplicated, in order
   * of appearance. Empty for "no requirement".
   */
  readonly scopes: readonly string[];
  /** Canonical text form, itself a valid query: `"a:b AND (c:d OR e:f)"`; `""` for none. */
  readonly source: string;
}

type Test = (granted: ReadonlySet<string>) => boolean;

/** The requirement that every key meets (an empty list). */
export const NO_REQUIREMENT: CompiledRequirement = Object.freeze({
  test: () => true,
  scopes: Object.freeze([]) as readonly string[],
  source: "",
});

/** Turns a validated tree into a frozen {@link CompiledRequirement}. */
export function compileNode(node: ScopeNode, presets: ResolvedPresets): CompiledRequirement {
  const scopes = new Set<string>();
  collect(node, presets, scopes);
  return Object.freeze({
    test: build(node, presets),
    scopes: Object.freeze([...scopes]),
    source: render(node, undefined),
  });
}

function collect(node: ScopeNode, presets: ResolvedPresets, into: Set<string>): void {
  if (node.kind === "scope") {
    for (const scope of presets.get(node.name) ?? [node.name]) into.add(scope);
  } else {
    for (const child of node.children) collect(child, presets, into);
  }
}

function build(node: ScopeNode, presets: ResolvedPresets): Test {
  if (node.kind === "scope") {
    const expanded = presets.get(node.name);
    return expanded === undefined ? scopeTest(node.name) : allOf(expanded.map(scopeTest));
  }
  const tests = node.children.map((child) => build(child, presets));
  return node.kind === "and" ? allOf(tests) : anyOf(tests);
}

/** Matching rules: granted `*` covers all; granted `r:*` covers `r:<action>`; required `r:*` needs `r:*` or `*`. */
function scopeTest(required: string): Test {
  if (required === "*") return (granted) => granted.has("*");
  if (required.endsWith(":*")) return (granted) => granted.has(required) || granted.has("*");
  const wildcard = `${required.slice(0, required.indexOf(":"))}:*`;
  return (granted) => granted.has(required) || granted.has(wildcard) || granted.has("*");
}

function allOf(tests: readonly Test[]): Test {
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0]!;
  if (tests.length === 2) {
    const [a, b] = tests as [Test, Test];
    return (granted) => a(granted) && b(granted);
  }
  return (granted) => {
    for (const test of tests) if (!test(granted)) return false;
    return true;
  };
}

function anyOf(tests: readonly Test[]): Test {
  if (tests.length === 1) return tests[0]!;
  if (tests.length === 2) {
    const [a, b] = tests as [Test, Test];
    return (granted) => a(granted) || b(granted);
  }
  return (granted) => {
    for (const test of tests) if (test(granted)) return true;
    return false;
  };
}

function render(node: ScopeNode, parent: "and" | "or" | undefined): string {
  if (node.kind === "scope") return node.name;
  const text = node.children
    .map((child) => render(child, node.kind))
    .join(node.kind === "and" ? " AND " : " OR ");
  return node.kind === "or" && parent === "and" ? `(${text})` : text;
}
