import { type ApiKey, createKeyward, memoryStore } from "@keyward/core";
import express from "express";
import { afterAll, describe, expect, expectTypeOf, it } from "vitest";
import { apiKeyAuth } from "../src/index.js";

const keyward = createKeyward({
  store: memoryStore(),
  scopes: { reader: ["task:read"], writer: ["task:read", "task:write"] },
});
afterAll(() => keyward.close());

describe("types", () => {
  it("req.apiKey is an ApiKey (null on optional routes, undefined without apiKeyAuth)", () => {
    const app = express();
    app.get("/tasks", apiKeyAuth(keyward, { scopes: ["task:read"] }), (req, res) => {
      expectTypeOf(req.apiKey).toEqualTypeOf<ApiKey | null | undefined>();
      expectTypeOf(req.apiKey!.ownerId).toEqualTypeOf<string | null>();
      res.end();
    });
    const router = express.Router();
    router.use(apiKeyAuth(keyward, { optional: true }));
    router.get("/", (req, res) => {
      expectTypeOf(req.apiKey).toEqualTypeOf<ApiKey | null | undefined>();
      res.end();
    });
    expect(typeof apiKeyAuth(keyward)).toBe("function");
  });

  it("typed presets reject an unknown scope name at compile time", () => {
    apiKeyAuth(keyward, { scopes: ["writer", "task:write", "task:*"] });
    apiKeyAuth(keyward, { scopes: { anyOf: ["reader", "task:write"] } });
    // @ts-expect-error "task:delete" is neither a preset nor a scope the presets grant
    apiKeyAuth(keyward, { scopes: ["task:delete"] });
    // "admin" is not a preset name: a compile error, and a TypeError at run time
    // @ts-expect-error
    expect(() => apiKeyAuth(keyward, { scopes: { anyOf: ["admin"] } })).toThrow(TypeError);
    // @ts-expect-error misspelt option names are compile errors too (and TypeErrors at run time)
    expect(() => apiKeyAuth(keyward, { scope: ["task:read"] })).toThrow(TypeError);
  });
});
