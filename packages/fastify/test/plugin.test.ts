import { createKeyward, type Keyward, memoryStore } from "@keyward/core";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keywardPlugin } from "../src/index.js";

let keyward: Keyward;
let token: string;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  keyward = createKeyward({ store: memoryStore(), prefix: "sk_test" });
  ({ token } = await keyward.create({ scopes: ["task:read"] }));
});

afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await keyward.close();
});

const track = (app: FastifyInstance) => {
  apps.push(app);
  return app;
};

describe("keywardPlugin encapsulation", () => {
  it("registered in a child context, it protects only that context", async () => {
    const app = track(Fastify());
    app.get("/outside", async (request) => ({ key: request.apiKey ?? "not decorated" }));
    await app.register(
      async (child) => {
        await child.register(keywardPlugin, { keyward, protect: true });
        child.get("/inside", async (request) => ({ id: request.apiKey?.id }));
        child.get("/inside-open", { config: { apiKey: false } }, async () => ({ open: true }));
        expect(child.hasDecorator("apiKeyAuth")).toBe(true);
      },
      { prefix: "/child" },
    );
    await app.ready();
    expect(app.hasDecorator("apiKeyAuth")).toBe(false);

    const outside = await app.inject({ url: "/outside" });
    expect(outside.statusCode).toBe(200);
    expect(outside.json()).toEqual({ key: "not decorated" });
    const denied = await app.inject({ url: "/child/inside" });
    expect(denied.statusCode).toBe(401);
    expect(denied.headers["www-authenticate"]).toBe('Bearer realm="api"');
    const allowed = await app.inject({ url: "/child/inside", headers: { authorization: `Bearer ${token}` } });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.json().id).toMatch(/^key_/);
    expect((await app.inject({ url: "/child/inside-open" })).statusCode).toBe(200);
  });

  it("without protect, only routes that declare config.apiKey or use apiKeyAuth are protected", async () => {
    const app = track(Fastify());
    await app.register(keywardPlugin, { keyward, realm: "tasks" });
    app.get("/free", async () => ({ free: true }));
    app.get("/declared", { config: { apiKey: { scopes: ["task:read"] } } }, async (r) => ({
      id: r.apiKey?.id,
    }));
    app.get("/hooked", { preHandler: app.apiKeyAuth({ scopes: ["task:write"] }) }, async () => ({}));
    expect((await app.inject({ url: "/free" })).statusCode).toBe(200);
    const declared = await app.inject({ url: "/declared" });
    expect(declared.statusCode).toBe(401);
    expect(declared.headers["www-authenticate"]).toBe('Bearer realm="tasks"');
    const hooked = await app.inject({ url: "/hooked", headers: { "x-api-key": token } });
    expect(hooked.statusCode).toBe(403);
    expect(hooked.headers["www-authenticate"]).toContain('scope="task:write"');
  });

  it("a bad route option fails at startup with a TypeError naming it", async () => {
    const app = track(Fastify());
    await app.register(keywardPlugin, { keyward });
    expect(() =>
      app.get("/typo", { config: { apiKey: { scope: ["task:read"] } as never } }, async () => ({})),
    ).toThrow(
      /route \/typo: unknown option "config\.apiKey\.scope" — did you mean "config\.apiKey\.scopes"\?/,
    );
  });

  it("a bad default option fails registration", async () => {
    const app = track(Fastify());
    await expect(
      app.register(keywardPlugin, { keyward, headersFormat: "draft-99" as never }).ready(),
    ).rejects.toThrow(/headersFormat/);
  });
});
