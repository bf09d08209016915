/**
 * The management route handlers (`app/api/[...keyward]/route.ts`) on a real HTTP server,
 * through the shared HTTP scenario.
 */

import { createKeyward, memoryStore } from "@keyward/core";
import { runKeysApiScenario, type StartKeysServer } from "@keyward/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScopesScenario } from "../../core/test/management-scopes-scenario.js";
import { runTokenExchangeScenario } from "../../core/test/token-scenario.js";
import { keysHandlers } from "../src/index.js";
import { serveHandlers } from "./keys-server.js";

const startNext: StartKeysServer = async (keyward, options, ownerHeader) => {
  const handlers = keysHandlers(keyward, {
    ...options,
    basePath: "/api",
    owner: (request) => request.headers.get(ownerHeader),
  });
  const server = await serveHandlers("/api", handlers);
  return { baseUrl: `${server.origin}/api`, close: server.close };
};

runKeysApiScenario({ describe, it, expect, beforeAll, afterAll }, "next", startNext);
runScopesScenario("next", startNext);
runTokenExchangeScenario("next", startNext);

describe("keysHandlers options", () => {
  it("rejects a basePath with a trailing slash, naming the option", () => {
    const keyward = createKeyward({ store: memoryStore() });
    expect(() => keysHandlers(keyward, { basePath: "/api/", owner: () => null })).toThrow(/basePath/);
    expect(() => keysHandlers(keyward, { basePath: "api", owner: () => null })).toThrow(TypeError);
  });

  it("answers 404 for a path outside basePath", async () => {
    const keyward = createKeyward({ store: memoryStore() });
    const { GET } = keysHandlers(keyward, { basePath: "/v1", owner: () => "org" });
    const response = await GET(new Request("http://127.0.0.1/api/keys"));
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const mounted = await GET(new Request("http://127.0.0.1/v1/keys"));
    expect(mounted.status).toBe(200);
    await keyward.close();
  });
});
