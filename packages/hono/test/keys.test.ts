/**
 * The management routes sub-app on a real Hono server (mounted under a prefix), through the
 * shared HTTP scenario; and what is Hono's own: the body limit, bad options, the mount point.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { createKeyward, memoryStore } from "@keyward/core";
import { runKeysApiScenario, type StartKeysServer } from "@keyward/core/testing";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScopesScenario } from "../../core/test/management-scopes-scenario.js";
import { keysRoutes } from "../src/index.js";

async function serve(app: Hono): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const startHono: StartKeysServer = async (keyward, options, ownerHeader) => {
  const app = new Hono();
  app.route("/api", keysRoutes(keyward, { ...options, owner: (c) => c.req.header(ownerHeader) ?? null }));
  const server = await serve(app);
  return { baseUrl: `${server.origin}/api`, close: server.close };
};

runKeysApiScenario({ describe, it, expect, beforeAll, afterAll }, "hono", startHono);
runScopesScenario("hono", startHono);

describe("keysRoutes on Hono", () => {
  it("answers a body over bodyLimit with 413 problem+json, without creating a key", async () => {
    const keyward = createKeyward({ store: memoryStore() });
    const app = new Hono();
    app.route("/api", keysRoutes(keyward, { owner: () => "org_1", bodyLimit: 64 }));
    const server = await serve(app);
    try {
      const response = await fetch(`${server.origin}/api/keys`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "x".repeat(200) }),
      });
      expect(response.status).toBe(413);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(await response.json()).toMatchObject({ status: 413, code: "payload_too_large" });
      expect((await keyward.list({ ownerId: "org_1" })).items).toHaveLength(0);
      const small = await fetch(`${server.origin}/api/keys`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "ok" }),
      });
      expect(small.status).toBe(201);
    } finally {
      await server.close();
      await keyward.close();
    }
  });

  it("works mounted at the root and answers 404 problem+json outside its routes", async () => {
    const keyward = createKeyward({ store: memoryStore() });
    const app = new Hono();
    app.route("/", keysRoutes(keyward, { owner: () => "org_2" }));
    const list = await app.request("/keys");
    expect(list.status).toBe(200);
    const unknown = await app.request("/nothing-here");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toBe("application/problem+json");
    await keyward.close();
  });

  it("rejects a bad bodyLimit, naming the option", () => {
    const keyward = createKeyward({ store: memoryStore() });
    expect(() => keysRoutes(keyward, { owner: () => null, bodyLimit: 0 })).toThrow(/bodyLimit/);
    expect(() => keysRoutes(keyward, { owner: () => null, bodyLimit: 1.5 })).toThrow(TypeError);
  });
});
