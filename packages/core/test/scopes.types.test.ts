/**
 * Compile-time guarantees of typed presets. `pnpm typecheck` compiles this file: if a typed
 * engine started accepting unknown names, each `@ts-expect-error` below would be unused and
 * the typecheck would fail. The runtime assertions keep the file meaningful under Vitest too.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { type CompiledRequirement, createScopes, type ScopeEngine } from "../src/scopes/index.js";
import type { ScopeName, ScopeRequirement } from "../src/types.js";

const presets = {
  read: ["project:read", "task:read"],
  writer: ["read", "task:write"],
} as const;

type Name = ScopeName<typeof presets>;

describe("typed presets", () => {
  it("name exactly the presets, their scopes and wildcards", () => {
    expectTypeOf<"read" | "writer" | "project:read" | "task:read" | "task:write" | "*">().toExtend<Name>();
    expectTypeOf<"billing:*">().toExtend<Name>();
    expectTypeOf<"task:delete">().not.toExtend<Name>();
    expectTypeOf<"reader">().not.toExtend<Name>();
    expectTypeOf<string>().not.toExtend<Name>();
  });

  it("make createScopes return an engine typed by them", () => {
    const scopes = createScopes(presets);
    expectTypeOf(scopes).toEqualTypeOf<ScopeEngine<Name>>();
    expectTypeOf(scopes.compile).parameter(0).toEqualTypeOf<ScopeRequirement<Name>>();
    expectTypeOf(scopes.compile(["read"])).toEqualTypeOf<CompiledRequirement>();
  });

  it("accept known names in lists and anyOf", () => {
    const scopes = createScopes(presets);
    expect(scopes.compile(["writer", "project:read", "*", "billing:*"]).scopes).toContain("task:write");
    expect(scopes.compile({ anyOf: ["read", "task:write"] }).source).toBe("read OR task:write");
  });

  it("reject an unknown scope name in a list at compile time", () => {
    const scopes = createScopes(presets);
    // A valid scope by the grammar, but no preset grants it: the compiler refuses it.
    // @ts-expect-error "task:delete" is not a preset, a preset's scope or a wildcard
    expect(scopes.compile(["task:delete"]).scopes).toEqual(["task:delete"]);
  });

  it("reject an unknown preset name in anyOf at compile time (and at run time)", () => {
    const scopes = createScopes(presets);
    // @ts-expect-error "reader" is a typo for "read"
    const compileTypo = () => scopes.compile({ anyOf: ["reader"] });
    expect(compileTypo).toThrow(TypeError);
  });

  it("reject an unknown name in a ScopeRequirement<ScopeName<typeof presets>>", () => {
    // @ts-expect-error "task:remove" is not a known name
    const list: ScopeRequirement<Name> = ["task:read", "task:remove"];
    // @ts-expect-error "admin" is not a preset
    const anyOf: ScopeRequirement<Name> = { anyOf: ["admin"] };
    const ok: ScopeRequirement<Name> = ["writer", "task:*"];
    // Query strings are checked at run time only.
    const query: ScopeRequirement<Name> = "writer AND (task:read OR nope:x)";
    expect([list, anyOf, ok, query]).toHaveLength(4);
  });

  it("infer names from an inline object literal without `as const`", () => {
    const scopes = createScopes({ viewer: ["doc:read"] });
    expectTypeOf(scopes).toEqualTypeOf<ScopeEngine<"viewer" | "doc:read" | "*" | `${string}:*`>>();
    // @ts-expect-error "doc:write" is not known
    expect(() => scopes.compile(["doc:write"])).not.toThrow();
  });

  it("leave untyped presets open to any string", () => {
    const loose: Record<string, string[]> = { viewer: ["doc:read"] };
    const scopes = createScopes(loose);
    expectTypeOf(scopes).toEqualTypeOf<ScopeEngine<string>>();
    expect(scopes.compile(["doc:write"]).source).toBe("doc:write");
    expectTypeOf(createScopes(undefined)).toEqualTypeOf<ScopeEngine<string>>();
  });

  it("let a typed engine be used where an untyped one is expected", () => {
    const untyped: ScopeEngine = createScopes(presets);
    expect(untyped.compile("read").scopes).toEqual(["project:read", "task:read"]);
  });
});
