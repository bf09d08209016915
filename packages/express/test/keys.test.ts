/**
 * The management router on real Express 5 and Express 4 servers, through the shared HTTP
 * scenario (every endpoint, pagination, validation, once-only tokens, isolation).
 */

import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { runKeysApiScenario, type StartKeysServer } from "@keyward/core/testing";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScopesScenario } from "../../core/test/management-scopes-scenario.js";
import { runTokenExchangeScenario } from "../../core/test/token-scenario.js";
import { keysRouter } from "../src/index.js";

function startWith(factory: () => express.Express): StartKeysServer {
  return async (keyward, options, ownerHeader) => {
    const app = factory();
    app.get("/health", (_req, res) => {
      res.send("ok");
    });
    app.use(
      "/api",
      keysRouter(keyward, {
        ...options,
        owner: (req) => {
          const value = req.headers[ownerHeader];
          return typeof value === "string" ? value : null;
        },
      }),
    );
    const server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    return {
      baseUrl: `http://127.0.0.1:${port}/api`,
      close: () =>
        new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
    };
  };
}

// Express 4 under its alias, loaded untyped (an Express 4 app takes the same handlers).
const express4 = createRequire(import.meta.url)("express4") as () => express.Express;

runKeysApiScenario(
  { describe, it, expect, beforeAll, afterAll },
  "express 5",
  startWith(() => express()),
);
runKeysApiScenario(
  { describe, it, expect, beforeAll, afterAll },
  "express 4",
  startWith(() => express4()),
);
runScopesScenario(
  "express 5",
  startWith(() => express()),
);
runTokenExchangeScenario(
  "express 5",
  startWith(() => express()),
);
