import { type ApiKey, createKeyward, memoryStore } from "@keyward/core";
import { Hono } from "hono";
import { afterAll, describe, expect, expectTypeOf, it } from "vitest";
import { type ApiKeyEnv, apiKeyAuth } from "../src/index.js";

const keyward = createKeyward({
  store: memoryStore(),
  scopes: { reader: ["task:read"], writer: ["task:read", "task:write"] },
});
afterAll(() => keyward.close());

describe("types", () => {
  it("c.var.apiKey is an ApiKey, or ApiKey | null with optional / failOpen", async () => {
    const app = new Hono();
    app.get("/strict", apiKeyAuth(keyward, { scopes: ["reader"] }), (c) => {
      expectTypeOf(c.var.apiKey).toEqualTypeOf<ApiKey>();
      expectTypeOf(c.get("apiKey")).toEqualTypeOf<ApiKey>();
      return c.text(c.var.apiKey.id);
    });
    app.get("/optional", apiKeyAuth(keyward, { optional: true }), (c) => {
      expectTypeOf(c.var.apiKey).toEqualTypeOf<ApiKey | null>();
      return c.text(String(c.var.apiKey?.id));
    });
    app.get("/fail-open", apiKeyAuth(keyward, { failOpen: true }), (c) => {
      expectTypeOf(c.var.apiKey).toEqualTypeOf<ApiKey | null>();
      return c.text("ok");
    });
    const typed = new Hono<ApiKeyEnv>();
    typed.use(apiKeyAuth(keyward));
    typed.get("/", (c) => {
      expectTypeOf(c.var.apiKey).toEqualTypeOf<ApiKey>();
      return c.text(c.var.apiKey.id);
    });
    expect((await app.request("/strict")).status).toBe(401);
    expect((await app.request("/optional")).status).toBe(200);
  });

  it("typed presets reject an unknown scope name at compile time and at run time", () => {
    apiKeyAuth(keyward, { scopes: ["reader", "task:write"] });
    // @ts-expect-error "task:delete" is neither a preset nor a scope the presets grant
    apiKeyAuth(keyward, { scopes: ["task:delete"] });
    // "admin" is not a preset name: a compile error, and a TypeError at run time
    // @ts-expect-error
    expect(() => apiKeyAuth(keyward, { scopes: { anyOf: ["admin"] } })).toThrow(TypeError);
  });
});
