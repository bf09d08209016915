/**
 * The Fastify example's route table: every route with its auth kind, scopes and limits, as the
 * plugin's onRoute hook recorded them; and its declared public route answering a signed GitHub
 * delivery.
 */
import { signWebhook } from "@keyward/core/testing";
import { routeTable } from "@keyward/fastify";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleTaskRoutes, exampleWebhookRoute } from "../../route-table.expected.js";
import { createApp } from "../src/app.js";
import { type OpenKeyward, openKeyward } from "../src/keyward.js";

let opened: OpenKeyward;
let app: FastifyInstance;
beforeAll(async () => {
  opened = await openKeyward();
  app = await createApp(opened.keyward);
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await opened.close();
});

describe("examples/fastify route table", () => {
  it("lists every route with the right auth kind, scopes and limits", () => {
    // The management API is one catch-all route (every method), guarded by the owner callback.
    const management = ["GET", "TRACE", "DELETE", "OPTIONS", "PATCH", "PUT", "POST", "QUERY"].map(
      (method) => ({
        method,
        path: "/api/{wildcard}",
        auth: "none",
        scopes: [],
        rateLimit: null,
      }),
    );
    expect(routeTable(app)).toEqual([...exampleTaskRoutes("/v1"), exampleWebhookRoute, ...management]);
  });

  it("the webhook route takes a signed delivery and refuses a forged one", async () => {
    const body = '{"action":"opened"}';
    const post = (secret: string) =>
      app.inject({
        method: "POST",
        url: "/webhooks/github",
        headers: { "content-type": "application/json", ...signWebhook("github", secret, body) },
        payload: body,
      });
    expect((await post("example-only-webhook-secret")).json()).toEqual({ received: "opened" });
    const forged = await post("guess");
    expect(forged.statusCode).toBe(401);
    expect(forged.json().code).toBe("invalid_signature");
  });
});
