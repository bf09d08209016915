/**
 * Test helper: the management router on a real Express 5 or Express 4 server, the caller's
 * owner read from a header. Used by the cross-adapter comparison in packages/next/test.
 */
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type { Keyward } from "@keyward/core";
import express from "express";
import { keysRouter } from "../src/index.js";

/** Express 4 under its alias, loaded untyped (an Express 4 app takes the same handlers). */
const express4 = createRequire(import.meta.url)("express4") as () => express.Express;

/** Starts `keysRouter` under `/api` on Express 5, or Express 4 with `version: 4`. */
export async function startExpressKeys(
  keyward: Keyward,
  ownerHeader: string,
  version: 4 | 5 = 5,
): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const app = version === 4 ? express4() : express();
  app.use(
    "/api",
    keysRouter(keyward, {
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
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
