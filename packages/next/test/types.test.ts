import { type ApiKey, createKeyward, memoryStore } from "@keyward/core";
import { afterAll, describe, expect, expectTypeOf, it } from "vitest";
import { createFetchAuth, withApiKeyAuth } from "../src/index.js";

const keyward = createKeyward({
  store: memoryStore(),
  scopes: { reader: ["task:read"], writer: ["task:read", "task:write"] },
});
afterAll(() => keyward.close());

describe("types", () => {
  it("ctx.apiKey is an ApiKey, or ApiKey | null with optional / failOpen; params stay a Promise", () => {
    const GET = withApiKeyAuth(
      keyward,
      async (_request, ctx: { params: Promise<{ id: string }>; apiKey: ApiKey }) => {
        expectTypeOf(ctx.apiKey).toEqualTypeOf<ApiKey>();
        expectTypeOf(ctx.params).toEqualTypeOf<Promise<{ id: string }>>();
        return Response.json({ id: (await ctx.params).id });
      },
      { scopes: ["task:read"] },
    );
    // Exactly Next's route context: no `apiKey` (Next 16's generated route types reject extra
    // required properties on an exported handler's context).
    expectTypeOf(GET).parameter(1).toEqualTypeOf<{ params: Promise<{ id: string }> }>();
    withApiKeyAuth(keyward, async (_request, { apiKey, params }) => {
      expectTypeOf(apiKey).toEqualTypeOf<ApiKey>();
      expectTypeOf(params).toEqualTypeOf<Promise<Record<string, string | string[] | undefined>>>();
      return new Response(null);
    });
    withApiKeyAuth(
      keyward,
      async (_request, { apiKey }) => {
        expectTypeOf(apiKey).toEqualTypeOf<ApiKey | null>();
        return new Response(null);
      },
      { optional: true },
    );
    withApiKeyAuth(
      keyward,
      async (_request, { apiKey }) => {
        expectTypeOf(apiKey).toEqualTypeOf<ApiKey | null>();
        return new Response(null);
      },
      { failOpen: true, scopes: ["writer"] },
    );
    expect(typeof GET).toBe("function");
  });

  it("typed presets reject an unknown scope name at compile time", () => {
    createFetchAuth(keyward, { scopes: ["reader", "task:write"] });
    // @ts-expect-error "task:delete" is neither a preset nor a scope the presets grant
    createFetchAuth(keyward, { scopes: ["task:delete"] });
    // "admin" is not a preset name: a compile error, and a TypeError at run time
    const handler = async () => new Response(null);
    // @ts-expect-error
    expect(() => withApiKeyAuth(keyward, handler, { scopes: { anyOf: ["admin"] } })).toThrow(TypeError);
  });
});
