import { createServer } from "node:http";
import { listenForConformance, runWebhookConformance, signWebhook } from "@keyward/core/testing";
import express from "express";
import express4 from "express4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookAuth } from "../src/index.js";
import { expressWebhookApp } from "./app.js";

describe("Express 5 (raw body read from the stream)", () => {
  runWebhookConformance({ describe, it, expect, beforeAll, afterAll }, expressWebhookApp());
});

describe("Express 4 (raw body from express.raw())", () => {
  runWebhookConformance({ describe, it, expect, beforeAll, afterAll }, expressWebhookApp(express4));
});

describe("webhookAuth setup errors", () => {
  it("throws a TypeError naming the option at construction", () => {
    expect(() => webhookAuth({ provider: "gitlab" as never, secret: "s" })).toThrow(/"provider"/);
    expect(() => webhookAuth({ provider: "github", secret: [] })).toThrow(/"secret"/);
    expect(() => webhookAuth({ provider: "github", secret: ["a", ""] })).toThrow(/"secret\[1\]"/);
    expect(() => webhookAuth({ provider: "standard-webhooks", secret: "whsec_%%%" })).toThrow(/"secret"/);
    expect(() => webhookAuth({ provider: "stripe", secret: "s", tolerance: "0s" })).toThrow(/"tolerance"/);
    expect(() => webhookAuth({ provider: "stripe", secret: "s", tolarance: "1m" } as never)).toThrow(
      /"tolarance"/,
    );
  });

  it("behind express.json() the raw bytes are gone: the error names the fix, no handler runs", async () => {
    const app = express();
    let handled = false;
    app.post("/hook", express.json(), webhookAuth({ provider: "github", secret: "s" }), (_req, res) => {
      handled = true;
      res.end();
    });
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).send(error.message);
    });
    const server = await listenForConformance(createServer(app));
    try {
      const body = '{"a":1}';
      const answer = await fetch(`${server.url}/hook`, {
        method: "POST",
        headers: { "content-type": "application/json", ...signWebhook("github", "s", body) },
        body,
      });
      expect(answer.status).toBe(500);
      expect(await answer.text()).toMatch(/mount webhookAuth\(\) before express\.json\(\)/);
      expect(handled).toBe(false);
    } finally {
      await server.close();
    }
  });
});
