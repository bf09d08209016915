import { type ApiKey, type AuthOptions, createKeyward, memoryStore } from "@keyward/core";
import Fastify, { type FastifyContextConfig } from "fastify";
import { afterAll, describe, expect, expectTypeOf, it } from "vitest";
import { apiKeyHook, keywardPlugin } from "../src/index.js";

const keyward = createKeyward({
  store: memoryStore(),
  scopes: { reader: ["task:read"], writer: ["task:read", "task:write"] },
});
const app = Fastify();
afterAll(async () => {
  await app.close();
  await keyward.close();
});

describe("types", () => {
  it("request.apiKey is ApiKey | null, config.apiKey takes AuthOptions or false", async () => {
    await app.register(keywardPlugin, { keyward });
    app.get("/tasks", { config: { apiKey: { scopes: ["task:read"] } } }, async (request) => {
      expectTypeOf(request.apiKey).toEqualTypeOf<ApiKey | null>();
      return {};
    });
    expectTypeOf<FastifyContextConfig["apiKey"]>().toEqualTypeOf<AuthOptions | false | undefined>();
    expectTypeOf(app.apiKeyAuth).returns.toBeFunction();
    await app.ready();
    expect(app.hasRequestDecorator("apiKey")).toBe(true);
  });

  it("typed presets reject an unknown scope name at compile time", () => {
    apiKeyHook(keyward, { scopes: ["writer", "task:*"] });
    // @ts-expect-error "task:delete" is neither a preset nor a scope the presets grant
    apiKeyHook(keyward, { scopes: ["task:delete"] });
    // "admin" is not a preset name: a compile error, and a TypeError at run time
    // @ts-expect-error
    expect(() => apiKeyHook(keyward, { scopes: { anyOf: ["admin"] } })).toThrow(TypeError);
  });
});
