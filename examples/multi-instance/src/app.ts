/**
 * The app every instance runs: one protected route that says which instance answered, and the
 * management API (whose `owner` trusts an X-Demo-Owner header — a demo shortcut, never ship it).
 */
import type { Keyward } from "@keyward/core";
import { apiKeyAuth, keysRouter } from "@keyward/express";
import express, { type Express } from "express";

export function createApp(keyward: Keyward, instance: string): Express {
  const app = express();
  app.disable("x-powered-by");
  app.get("/v1/whoami", apiKeyAuth(keyward), (req, res) => {
    res.json({ instance, keyId: req.apiKey!.id, ownerId: req.apiKey!.ownerId });
  });
  app.use("/api", keysRouter(keyward, { owner: (req) => req.get("x-demo-owner") ?? null }));
  return app;
}
