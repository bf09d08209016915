import { describe, expect, it } from "vitest";
import { createScopes, isScope, satisfiesScope } from "../src/scopes/index.js";

const engine = createScopes(undefined);
/** Whether a key holding `granted` passes `requirement`. */
const passes = (requirement: Parameters<typeof engine.compile>[0], granted: string[], scopes = engine) =>
  scopes.compile(requirement).test(scopes.expand(granted));

describe("scope grammar", () => {
  it.each(["*", "task:read", "task:*", "a:b", "Task.v2:read-all", "org_1:x.y", "-:_"])(
    "accepts %s",
    (scope) => {
      expect(isScope(scope)).toBe(true);
    },
  );

  it.each([
    "",
    "task",
    ":read",
    "task:",
    "task:a:b",
    "task :read",
    "task:re ad",
    "*:read",
    "task:**",
    "ta*:read",
    "tâsk:read",
    "task:read,",
  ])("rejects %j", (scope) => {
    expect(isScope(scope)).toBe(false);
  });
});

describe("matching and wildcards", () => {
  it("grants an exact scope", () => {
    expect(passes(["task:read"], ["task:read"])).toBe(true);
    expect(passes(["task:read"], ["task:write"])).toBe(false);
    expect(passes(["task:read"], ["project:read"])).toBe(false);
    expect(passes(["task:read"], [])).toBe(false);
  });

  it("lets a granted * satisfy everything", () => {
    for (const required of ["task:read", "task:*", "*", "task:read AND project:write"]) {
      expect(passes(required, ["*"]), required).toBe(true);
    }
  });

  it("lets a granted resource:* satisfy every action of that resource only", () => {
    expect(passes(["task:read"], ["task:*"])).toBe(true);
    expect(passes(["task:anything.else"], ["task:*"])).toBe(true);
    expect(passes(["project:read"], ["task:*"])).toBe(false);
    expect(passes(["tasks:read"], ["task:*"])).toBe(false);
    expect(passes(["task.sub:read"], ["task:*"])).toBe(false);
  });

  it("satisfies a required resource:* only with resource:* or *", () => {
    expect(passes(["task:*"], ["task:*"])).toBe(true);
    expect(passes(["task:*"], ["*"])).toBe(true);
    expect(passes(["task:*"], ["task:read", "task:write"])).toBe(false);
    expect(passes(["task:*"], ["project:*"])).toBe(false);
  });

  it("satisfies a required * only with *", () => {
    expect(passes(["*"], ["*"])).toBe(true);
    expect(passes(["*"], ["task:*", "project:*"])).toBe(false);
  });

  it("is case-sensitive", () => {
    expect(passes(["task:read"], ["Task:read"])).toBe(false);
    expect(passes(["task:read"], ["task:READ"])).toBe(false);
  });

  it("exposes the same rule as satisfiesScope", () => {
    const granted = new Set(["task:*", "project:read"]);
    expect(satisfiesScope(granted, "task:write")).toBe(true);
    expect(satisfiesScope(granted, "task:*")).toBe(true);
    expect(satisfiesScope(granted, "project:read")).toBe(true);
    expect(satisfiesScope(granted, "project:write")).toBe(false);
    expect(satisfiesScope(granted, "project:*")).toBe(false);
    expect(satisfiesScope(granted, "*")).toBe(false);
    expect(satisfiesScope(new Set(["*"]), "*")).toBe(true);
  });
});

describe("requirement forms", () => {
  it("treats a list as all-of", () => {
    expect(passes(["a:b", "c:d"], ["a:b", "c:d"])).toBe(true);
    expect(passes(["a:b", "c:d"], ["a:b"])).toBe(false);
    expect(passes(["a:b", "c:d"], ["c:d"])).toBe(false);
    expect(passes(["a:b", "c:d", "e:f"], ["a:b", "c:d"])).toBe(false);
  });

  it("treats { anyOf } as one-of", () => {
    expect(passes({ anyOf: ["a:b", "c:d"] }, ["c:d"])).toBe(true);
    expect(passes({ anyOf: ["a:b", "c:d"] }, ["a:b"])).toBe(true);
    expect(passes({ anyOf: ["a:b", "c:d", "e:f"] }, ["e:f"])).toBe(true);
    expect(passes({ anyOf: ["a:b", "c:d"] }, ["e:f"])).toBe(false);
  });

  it("treats an empty list as no requirement", () => {
    const none = engine.compile([]);
    expect(none.test(new Set())).toBe(true);
    expect(none.scopes).toEqual([]);
    expect(none.source).toBe("");
  });

  it("refuses an empty anyOf and values of the wrong kind", () => {
    expect(() => engine.compile({ anyOf: [] })).toThrow(
      /option "scopes\.anyOf" must list at least one scope/,
    );
    expect(() => engine.compile(null as never)).toThrow(TypeError);
    expect(() => engine.compile(42 as never)).toThrow(/option "scopes" must be a list of scopes/);
    expect(() => engine.compile({} as never)).toThrow(TypeError);
    expect(() => engine.compile({ anyOf: "a:b" } as never)).toThrow(/option "scopes\.anyOf" must be a list/);
  });

  it("names the bad entry of a list", () => {
    expect(() => engine.compile(["a:b", "nope"], "routes.tasks.scopes")).toThrow(
      /^keyward: option "routes\.tasks\.scopes\[1\]": "nope" is neither a scope/,
    );
    expect(() => engine.compile({ anyOf: ["a:b", "x:"] })).toThrow(
      /option "scopes\.anyOf\[1\]": "x:" is not a valid scope/,
    );
    expect(() => engine.compile(["a:b", 3] as never)).toThrow(/option "scopes\[1\]": expected a string/);
    expect(() => engine.compile(["a:b OR c:d"])).toThrow(TypeError);
  });
});

describe("query strings", () => {
  const cases: [string, string[], boolean][] = [
    ["task:read", ["task:read"], true],
    ["task:read", [], false],
    ["a:b AND c:d", ["a:b", "c:d"], true],
    ["a:b AND c:d", ["a:b"], false],
    ["a:b OR c:d", ["c:d"], true],
    ["a:b OR c:d", [], false],
    // AND binds tighter: a:b OR (c:d AND e:f)
    ["a:b OR c:d AND e:f", ["a:b"], true],
    ["a:b OR c:d AND e:f", ["c:d"], false],
    ["a:b OR c:d AND e:f", ["e:f"], false],
    ["a:b OR c:d AND e:f", ["c:d", "e:f"], true],
    ["a:b AND c:d OR e:f", ["e:f"], true],
    ["a:b AND c:d OR e:f", ["a:b"], false],
    // parentheses override precedence
    ["(a:b OR c:d) AND e:f", ["a:b"], false],
    ["(a:b OR c:d) AND e:f", ["c:d", "e:f"], true],
    ["a:b AND (c:d OR e:f)", ["a:b", "e:f"], true],
    ["a:b AND (c:d OR e:f)", ["c:d", "e:f"], false],
    ["((a:b))", ["a:b"], true],
    ["(a:b OR (c:d AND (e:f OR g:h)))", ["c:d", "g:h"], true],
    ["(a:b OR (c:d AND (e:f OR g:h)))", ["c:d"], false],
    // keywords in any case, whitespace of any kind, parentheses without spaces
    ["a:b and c:d", ["a:b", "c:d"], true],
    ["a:b Or c:d", ["c:d"], true],
    ["  a:b\tAND\n(c:d   or e:f)  ", ["a:b", "e:f"], true],
    ["a:b AND(c:d OR e:f)", ["a:b", "c:d"], true],
    // wildcards inside queries
    ["task:write AND (project:read OR admin:*)", ["task:write", "admin:*"], true],
    ["task:write AND (project:read OR admin:*)", ["task:write", "admin:users"], false],
    ["task:write AND (project:read OR admin:*)", ["task:*", "project:read"], true],
    // a resource may itself be called "and" / "or"
    ["and:read OR or:write", ["or:write"], true],
  ];

  it.each(cases)("%s with %j → %s", (query, granted, expected) => {
    expect(passes(query, granted)).toBe(expected);
  });

  it("writes a canonical source that compiles to the same requirement", () => {
    const sources: [string, string][] = [
      ["a:b or c:d and e:f", "a:b OR c:d AND e:f"],
      ["(a:b or c:d) and e:f", "(a:b OR c:d) AND e:f"],
      ["((a:b)) AND ((c:d AND e:f))", "a:b AND c:d AND e:f"],
      ["a:b OR (c:d OR e:f)", "a:b OR c:d OR e:f"],
      ["(a:b AND c:d) OR e:f", "a:b AND c:d OR e:f"],
      ["  task:read  ", "task:read"],
    ];
    for (const [query, source] of sources) {
      const compiled = engine.compile(query);
      expect(compiled.source).toBe(source);
      expect(engine.compile(compiled.source).source).toBe(source);
    }
    expect(engine.compile(["a:b", "c:d"]).source).toBe("a:b AND c:d");
    expect(engine.compile({ anyOf: ["a:b", "c:d"] }).source).toBe("a:b OR c:d");
  });

  it("lists every named scope once, in order, for WWW-Authenticate", () => {
    expect(engine.compile(["task:write", "project:read"]).scopes).toEqual(["task:write", "project:read"]);
    expect(engine.compile({ anyOf: ["a:b", "c:d", "a:b"] }).scopes).toEqual(["a:b", "c:d"]);
    expect(engine.compile("task:write AND (project:read OR admin:* OR task:write)").scopes).toEqual([
      "task:write",
      "project:read",
      "admin:*",
    ]);
  });

  it("returns frozen results", () => {
    const compiled = engine.compile("a:b OR c:d");
    expect(Object.isFrozen(compiled)).toBe(true);
    expect(Object.isFrozen(compiled.scopes)).toBe(true);
  });
});

describe("query errors point at the problem", () => {
  /** The message and the 1-based position the error reports. */
  function failure(query: string): { message: string; position: number; caret: number } {
    try {
      engine.compile(query, "routes.admin");
    } catch (error) {
      expect(error).toBeInstanceOf(TypeError);
      const message = (error as Error).message;
      expect(message).toMatch(/^keyward: option "routes\.admin" is not a valid scope query: /);
      const lines = message.split("\n");
      return {
        message: lines[0]!,
        position: Number(/\(at position (\d+)\)$/.exec(lines[0]!)?.[1]),
        caret: lines[2]!.indexOf("^") - 2 + 1,
      };
    }
    throw new Error(`expected ${JSON.stringify(query)} to be rejected`);
  }

  const cases: [string, number, RegExp][] = [
    ["", 1, /the query is empty/],
    ["   ", 1, /the query is empty/],
    ["a:b AND", 8, /expected a scope or "\(" after "AND", found the end of the query/],
    ["a:b OR OR c:d", 8, /expected a scope or "\(" after "OR", found "OR"/],
    ["AND a:b", 1, /expected a scope or "\(", found "AND"/],
    ["a:b c:d", 5, /expected AND or OR before "c:d"/],
    ["a:b AND (c:d OR e:f", 20, /the "\(" at position 9 is never closed/],
    ["a:b )", 5, /unexpected "\)" without a matching "\("/],
    ["a:b AND ()", 10, /expected a scope or "\(" after "\(", found "\)"/],
    ["(a:b c:d)", 6, /expected AND, OR or "\)" before "c:d"/],
    ["a:b AND nope", 9, /"nope" is neither a scope \("resource:action"\) nor a preset name/],
    ["a:b OR task:", 8, /"task:" is not a valid scope/],
    ["a:b OR task:read:write", 8, /"task:read:write" is not a valid scope/],
    ["a:b && c:d", 5, /expected AND or OR before "&&"/],
    ["a:b AND && c:d", 9, /"&&" is neither a scope/],
    ["NOT a:b", 1, /"NOT" is neither a scope/],
  ];

  it.each(cases)("%j fails at position %d", (query, position, problem) => {
    const result = failure(query);
    expect(result.message).toMatch(problem);
    expect(result.position).toBe(position);
    expect(result.caret).toBe(position);
  });

  it("refuses runaway nesting with an error rather than a stack overflow", () => {
    expect(() => engine.compile(`${"(".repeat(10_000)}a:b${")".repeat(10_000)}`)).toThrow(
      /nested deeper than 64/,
    );
    expect(engine.compile(`${"(".repeat(64)}a:b${")".repeat(64)}`).source).toBe("a:b");
  });
});

describe("presets", () => {
  const presets = {
    read: ["project:read", "task:read"],
    writer: ["read", "task:write"],
    admin: ["*"],
    empty: [],
  } as const;
  const scopes = createScopes(presets);

  it("expand a key's preset names into their scopes, nested presets included", () => {
    expect([...scopes.expand(["writer"])].sort()).toEqual(["project:read", "task:read", "task:write"]);
    expect([...scopes.expand(["read", "billing:view"])].sort()).toEqual([
      "billing:view",
      "project:read",
      "task:read",
    ]);
    expect([...scopes.expand(["admin"])]).toEqual(["*"]);
    expect(scopes.expand(["empty"]).size).toBe(0);
    expect(scopes.expand(["writer"]).has("writer")).toBe(false);
  });

  it("keep names that are neither (e.g. a preset since removed) as they are", () => {
    expect([...scopes.expand(["retired"])]).toEqual(["retired"]);
  });

  it("grant through a key's preset at check time", () => {
    expect(passes(["task:write"], ["writer"], scopes)).toBe(true);
    expect(passes(["task:write"], ["read"], scopes)).toBe(false);
    expect(passes("billing:refund", ["admin"], scopes)).toBe(true);
  });

  it("take effect for every key when the presets change", () => {
    // A key stores the preset name, not its expansion; the engine built from the new presets
    // (as a restarted service would) decides.
    const stored = ["read"];
    expect(passes(["task:write"], stored, scopes)).toBe(false);
    const changed = createScopes({ ...presets, read: ["project:read", "task:read", "task:write"] });
    expect(passes(["task:write"], stored, changed)).toBe(true);
    const narrowed = createScopes({ ...presets, read: ["project:read"] });
    expect(passes(["task:read"], stored, narrowed)).toBe(false);
  });

  it("as a requirement mean all of the preset's scopes", () => {
    expect(passes(["writer"], ["project:read", "task:read"], scopes)).toBe(false);
    expect(passes(["writer"], ["project:read", "task:*"], scopes)).toBe(true);
    expect(passes({ anyOf: ["writer", "billing:view"] }, ["billing:view"], scopes)).toBe(true);
    expect(passes("read OR billing:view", ["task:read"], scopes)).toBe(false);
    expect(passes("read OR billing:view", ["task:read", "project:read"], scopes)).toBe(true);
    const compiled = scopes.compile("writer OR billing:view");
    expect(compiled.scopes).toEqual(["project:read", "task:read", "task:write", "billing:view"]);
    expect(compiled.source).toBe("writer OR billing:view");
  });

  it("may nest in cycles without looping", () => {
    const cyclic = createScopes({ a: ["b", "x:1"], b: ["a", "y:2"] });
    expect([...cyclic.expand(["a"])].sort()).toEqual(["x:1", "y:2"]);
    // Flattened depth-first in list order: a → b → (a, already seen) "y:2", then "x:1".
    expect(cyclic.presets.get("a")).toEqual(["y:2", "x:1"]);
    expect(cyclic.presets.get("b")).toEqual(["x:1", "y:2"]);
  });

  it("are validated when the engine is created", () => {
    expect(() => createScopes({ "task:read": ["task:read"] })).toThrow(/invalid preset name "task:read"/);
    expect(() => createScopes({ and: ["task:read"] })).toThrow(/invalid preset name "and"/);
    expect(() => createScopes({ "": ["task:read"] })).toThrow(/invalid preset name ""/);
    expect(() => createScopes({ read: ["task:read", "nope"] })).toThrow(
      /option "scopes\.read\[1\]" must be a scope/,
    );
    expect(() => createScopes({ read: "task:read" } as never)).toThrow(
      /option "scopes\.read" must be a list/,
    );
    expect(() => createScopes(["task:read"] as never)).toThrow(/option "scopes" must be an object/);
    expect(() => createScopes(null as never)).toThrow(TypeError);
  });

  it("are not confused with Object.prototype names", () => {
    expect(() => scopes.compile(["constructor"] as never)).toThrow(/"constructor" is neither a scope/);
    expect(() => createScopes({ read: ["toString"] })).toThrow(/option "scopes\.read\[0\]"/);
    expect([...scopes.expand(["toString", "__proto__"])]).toEqual(["toString", "__proto__"]);
  });
});

describe("validate", () => {
  const scopes = createScopes({ read: ["task:read"] });

  it("accepts scopes and preset names", () => {
    expect(() => scopes.validate(["read", "task:*", "*", "a.b:c-d"], "scopes")).not.toThrow();
    expect(() => scopes.validate([], "scopes")).not.toThrow();
  });

  it("names the bad entry", () => {
    expect(() => scopes.validate(["read", "write"], "create.scopes")).toThrow(
      /^keyward: option "create\.scopes\[1\]": "write" is neither a scope/,
    );
    expect(() => scopes.validate("task:read" as never, "scopes")).toThrow(/option "scopes" must be a list/);
  });
});
