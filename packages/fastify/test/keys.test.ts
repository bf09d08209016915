/**
 * The management routes plugin on a real Fastify 5 server (registered under a prefix), through
 * the shared HTTP scenario.
 */

import { runKeysApiScenario, type StartKeysServer } from "@keyward/core/testing";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScopesScenario } from "../../core/test/management-scopes-scenario.js";
import { runTokenExchangeScenario } from "../../core/test/token-scenario.js";
import { keysRoutes } from "../src/index.js";

const startFastify: StartKeysServer = async (keyward, options, ownerHeader) => {
  const app = Fastify();
  // A JSON route outside the plugin keeps the default parsers: the plugin's own stay encapsulated.
  app.post("/echo", async (request) => request.body);
  await app.register(keysRoutes, {
    prefix: "/api",
    keyward,
    ...options,
    owner: (request) => {
      const value = request.headers[ownerHeader];
      return typeof value === "string" ? value : null;
    },
  });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  const echo = await fetch(`${address}/echo`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"a":1}',
  });
  if (echo.status !== 200 || (await echo.text()) !== '{"a":1}')
    throw new Error("the plugin leaked its body parser");
  return { baseUrl: `${address}/api`, close: () => app.close() };
};

runKeysApiScenario({ describe, it, expect, beforeAll, afterAll }, "fastify 5", startFastify);
runScopesScenario("fastify 5", startFastify);
runTokenExchangeScenario("fastify 5", startFastify);
