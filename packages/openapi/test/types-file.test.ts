/**
 * `keyward openapi types`: the generated module is what the compiler checks scopes against.
 * The committed `fixtures/scopes.generated.ts` must be exactly what the generator writes for
 * `fixtures/v1.yaml`, and `createKeyward` typed with its presets must reject an unknown scope
 * at compile time (the `@ts-expect-error` lines fail `pnpm typecheck` if it were accepted).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createKeyward, memoryStore } from "@keyward/core";
import { loadOpenApi, scopeTypesSource } from "@keyward/openapi";
import { describe, expect, it } from "vitest";
import { type Scope, scopeDescriptions, scopePresets, scopes } from "./fixtures/scopes.generated.js";

describe("scopeTypesSource", () => {
  it("writes the committed fixture byte for byte", async () => {
    const spec = await loadOpenApi(join(import.meta.dirname, "fixtures", "v1.yaml"));
    const committed = readFileSync(join(import.meta.dirname, "fixtures", "scopes.generated.ts"), "utf8");
    expect(scopeTypesSource(spec, "fixtures/v1.yaml")).toBe(committed);
  });

  it("exports the catalogue, its descriptions and the presets", () => {
    expect(scopes).toEqual(["keys:read", "keys:write", "usage:read", "webhooks:read"]);
    expect(scopeDescriptions["usage:read"]).toBe("Read usage reports");
    expect(scopePresets.reader).toEqual(["keys:read", "usage:read"]);
  });

  it("types keyward's scopes from the document, so an unknown scope does not compile", async () => {
    const keyward = createKeyward({ store: memoryStore(), scopes: scopePresets });
    const { token } = await keyward.create({ scopes: ["reader"] });
    const known: Scope = "keys:read";
    // @ts-expect-error "keys:raed" is not a scope of the document
    const unknown: Scope = "keys:raed";
    expect([known, unknown]).toHaveLength(2);
    expect((await keyward.verify(token, { scopes: ["usage:read"] })).ok).toBe(true);
    // @ts-expect-error "billing:read" is neither a preset nor a scope the presets grant
    const refused = await keyward.verify(token, { scopes: ["billing:read"] });
    expect(refused).toMatchObject({ ok: false, code: "insufficient_scope" });
    await keyward.close();
  });
});
