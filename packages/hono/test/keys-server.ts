/**
 * The management API as a Hono sub-app under /api on @hono/node-server, the caller's owner
 * read from a test header. Used by the cross-adapter comparison of the management API's edges
 * in packages/next/test.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import type { Keyward } from "@keyward/core";
import { Hono } from "hono";
import { keysRoutes } from "../src/index.js";

export async function startHonoKeys(
  keyward: Keyward,
  ownerHeader: string,
): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const app = new Hono();
  app.route("/api", keysRoutes(keyward, { owner: (c) => c.req.header(ownerHeader) ?? null }));
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
