/**
 * Plugin-level defaults for a prefix: a route policy in the plugin's `rateLimit` is the prefix's
 * own budget and stays in force beside a route's `config.apiKey.rateLimit` (one authenticator,
 * one atomic store call per request).
 */
import { createKeyward, type Keyward, memoryStore } from "@keyward/core";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keywardPlugin } from "../src/index.js";

let keyward: Keyward;
let token: string;
const app = Fastify();

beforeAll(async () => {
  keyward = createKeyward({
    store: memoryStore(),
    prefix: "sk_test",
    scopes: { read: ["task:read"], writer: ["task:read", "task:write"] },
    clock: () => Date.UTC(2030, 0, 1),
  });
  ({ token } = await keyward.create({
    scopes: ["read", "writer"],
    rateLimit: { limit: 100, window: "1m", algorithm: "fixed-window" },
  }));
  await app.register(
    async (v1) => {
      await v1.register(keywardPlugin, {
        keyward,
        protect: true,
        scopes: ["read"],
        rateLimit: [{ name: "v1", limit: 3, window: "1m", algorithm: "fixed-window" }],
      });
      v1.get("/tasks", async () => ({ ok: true }));
      v1.post(
        "/projects/:id/tasks",
        { config: { apiKey: { scopes: ["writer"], rateLimit: ["default"], cost: 2 } } },
        async () => ({ ok: true }),
      );
      v1.get("/hooked", { onRequest: v1.apiKeyAuth({ rateLimit: ["default"] }) }, async () => ({ ok: true }));
      v1.get("/unlimited", { config: { apiKey: { rateLimit: false } } }, async () => ({ ok: true }));
    },
    { prefix: "/v1" },
  );
});
afterAll(async () => {
  await app.close();
  await keyward.close();
});

const call = (method: "GET" | "POST", url: string) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });

describe("keywardPlugin defaults for a prefix", () => {
  it("the prefix's route policy applies to every route; a route's own list adds to it", async () => {
    const plain = await call("GET", "/v1/tasks");
    expect(plain.statusCode).toBe(200);
    expect(plain.headers["ratelimit"]).toBe('"v1";r=2;t=60');
    const write = await call("POST", "/v1/projects/p1/tasks");
    expect(write.statusCode).toBe(200);
    expect(write.headers["ratelimit-policy"]).toBe('"default";q=100;w=60, "v1";q=3;w=60');
    expect(write.headers["ratelimit"]).toBe('"default";r=98;t=60, "v1";r=0;t=60');
    // The cost (2) applied to the prefix's budget too, so the prefix is spent: with `protect`,
    // the plugin's own hook runs first on every route and refuses.
    const hooked = await call("GET", "/v1/hooked");
    expect(hooked.statusCode).toBe(429);
    expect(hooked.json()["violated-policies"]).toEqual(["v1"]);
    expect(hooked.headers["ratelimit"]).toBe('"v1";r=0;t=60');
    // rateLimit: false on a route turns every limit off there.
    const unlimited = await call("GET", "/v1/unlimited");
    expect(unlimited.statusCode).toBe(200);
    expect(unlimited.headers["ratelimit"]).toBeUndefined();
  });
});
