/** Fastify plugins, hooks and route config reject a misspelt option with a TypeError naming the nearest valid one. */
import { createKeyward, memoryStore } from "@keyward/core";
import Fastify from "fastify";
import { afterAll, describe, expect, it } from "vitest";
import { apiKeyHook, keysRoutes, keywardPlugin } from "../src/index.js";

const keyward = createKeyward({ store: memoryStore() });
const apps: ReturnType<typeof Fastify>[] = [];
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await keyward.close();
});
const app = () => {
  const created = Fastify();
  apps.push(created);
  return created;
};

const CASES: [string, () => PromiseLike<unknown>, RegExp][] = [
  [
    "keywardPlugin",
    () =>
      app()
        .register(keywardPlugin, { keyward, protec: true } as never)
        .ready(),
    /^keywardPlugin: unknown option "protec" — did you mean "protect"\?/,
  ],
  [
    "route config.apiKey",
    async () => {
      const server = app();
      await server.register(keywardPlugin, { keyward });
      server.get("/x", { config: { apiKey: { scope: ["a:b"] } as never } }, async () => ({}));
    },
    /^route \/x: unknown option "config\.apiKey\.scope" — did you mean "config\.apiKey\.scopes"\?/,
  ],
  [
    "fastify.apiKeyAuth",
    async () => {
      const server = app();
      await server.register(keywardPlugin, { keyward });
      server.apiKeyAuth({ ratelimit: ["default"] } as never);
    },
    /^fastify\.apiKeyAuth\(\): unknown option "ratelimit" — did you mean "rateLimit"\?/,
  ],
  [
    "apiKeyHook",
    async () => apiKeyHook(keyward, { cots: 2 } as never),
    /^apiKeyHook\(\): unknown option "cots" — did you mean "cost"\?/,
  ],
  [
    "keysRoutes",
    () =>
      app()
        .register(keysRoutes, { keyward, owner: () => "o", allowedScope: ["a:b"], prefix: "/api" } as never)
        .ready(),
    /^keysRoutes: unknown option "allowedScope" — did you mean "allowedScopes"\?/,
  ],
];

describe("unknown option names", () => {
  for (const [factory, call, message] of CASES) {
    it(`${factory} throws a TypeError naming the option and the nearest valid name`, async () => {
      const error = await Promise.resolve(call()).then(
        () => null,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(message);
    });
  }

  it("register's own options (prefix) are not taken for typos", async () => {
    const server = app();
    await server.register(keysRoutes, { keyward, owner: () => "o", prefix: "/api" });
    await server.ready();
    expect((await server.inject({ url: "/api/keys" })).statusCode).toBe(200);
  });
});
