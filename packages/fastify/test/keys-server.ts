/**
 * Test helper: the management routes on a real Fastify 5 server (with `keysFrameworkErrors`,
 * so a broken URL is answered like the other adapters), the caller's owner read from a header.
 * Used by the cross-adapter comparison in packages/next/test.
 */
import type { Keyward } from "@keyward/core";
import Fastify from "fastify";
import { keysFrameworkErrors, keysRoutes } from "../src/index.js";

/** Starts `keysRoutes` under the `/api` prefix. */
export async function startFastifyKeys(
  keyward: Keyward,
  ownerHeader: string,
): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const app = Fastify({ frameworkErrors: keysFrameworkErrors });
  await app.register(keysRoutes, {
    prefix: "/api",
    keyward,
    owner: (request) => {
      const value = request.headers[ownerHeader];
      return typeof value === "string" ? value : null;
    },
  });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return { baseUrl: `${address}/api`, close: () => app.close() };
}
