/**
 * The Express example's route table: every route with its auth kind, scopes and limits, read
 * by `routeTable(app)` from the router stack; and its declared public route answering a
 * signed GitHub delivery.
 */
import type { AddressInfo } from "node:net";
import { signWebhook } from "@keyward/core/testing";
import { routeTable } from "@keyward/express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleTaskRoutes, exampleWebhookRoute } from "../../route-table.expected.js";
import { createApp } from "../src/app.js";
import { type OpenKeyward, openKeyward } from "../src/keyward.js";

let opened: OpenKeyward;
beforeAll(async () => {
  opened = await openKeyward();
});
afterAll(() => opened.close());

describe("examples/express route table", () => {
  it("lists every route with the right auth kind, scopes and limits", () => {
    expect(routeTable(createApp(opened.keyward))).toEqual([
      ...exampleTaskRoutes("/v1"),
      exampleWebhookRoute,
      // The management API: guarded by the app's owner callback, not by a key.
      { method: "ALL", path: "/api/{wildcard}", auth: "none", scopes: [], rateLimit: null },
    ]);
  });

  it("the webhook route takes a signed delivery and refuses a forged one", async () => {
    const server = createApp(opened.keyward).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/github`;
      const body = '{"action":"opened"}';
      const signed = signWebhook("github", "example-only-webhook-secret", body);
      const ok = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...signed },
        body,
      });
      expect(await ok.json()).toEqual({ received: "opened" });
      const forged = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...signWebhook("github", "guess", body) },
        body,
      });
      expect(forged.status).toBe(401);
      expect((await forged.json()).code).toBe("invalid_signature");
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });
});
