/**
 * The Acme Projects API. One auth wrapper for everything under /v1: `apiKeyAuth({ openapi })`
 * matches each request to its operation in openapi/v1.yaml and enforces that operation's
 * scopes, so the handlers below carry none — the spec is the single source of truth.
 *
 *   GET    /v1/health     public (security: [])
 *   GET    /v1/keys       keys:read
 *   POST   /v1/keys       keys:write
 *   DELETE /v1/keys/:id   keys:write
 *   GET    /v1/usage      usage:read or keys:read
 *   GET    /v1/webhooks   webhooks:read (from the operation's security requirement)
 *   /api/keys…            the management API, its scopes limited to the spec's catalogue
 */
import { apiKeyAuth, keysRouter } from "@keyward/express";
import type { OpenApiSpec } from "@keyward/openapi";
import express, { type Express } from "express";
import type { AcmeKeyward } from "./keyward.js";

/** Builds the app on a keyward instance and the loaded spec. */
export function createApp(keyward: AcmeKeyward, spec: OpenApiSpec): Express {
  const app = express();
  app.disable("x-powered-by");

  const v1 = express.Router();
  v1.use(apiKeyAuth(keyward, { openapi: spec }));

  v1.get("/health", (_req, res) => {
    res.json({ status: "ok" });
  });

  v1.get("/keys", async (req, res) => {
    const page = await keyward.list({ ownerId: req.apiKey!.ownerId ?? undefined });
    res.json({ keys: page.items.map(({ id, name, start, scopes }) => ({ id, name, start, scopes })) });
  });

  v1.post("/keys", express.json(), async (req, res) => {
    const scopes: unknown = req.body?.scopes;
    const allowed = new Set(spec.catalogue.names);
    if (!Array.isArray(scopes) || scopes.some((scope) => typeof scope !== "string" || !allowed.has(scope))) {
      res.status(400).json({ error: `scopes must be a list drawn from ${[...allowed].join(", ")}` });
      return;
    }
    const { token, key } = await keyward.create({
      name: typeof req.body?.name === "string" ? req.body.name : null,
      ownerId: req.apiKey!.ownerId,
      scopes: scopes as never,
    });
    res.status(201).json({ token, id: key.id, scopes: key.scopes });
  });

  v1.delete("/keys/:id", async (req, res) => {
    const key = await keyward.get(req.params.id);
    if (key === null || key.ownerId !== req.apiKey!.ownerId) {
      res.status(404).json({ error: "no such key" });
      return;
    }
    await keyward.revoke(key.id);
    res.status(204).end();
  });

  v1.get("/usage", async (req, res) => {
    const page = await keyward.list({ ownerId: req.apiKey!.ownerId ?? undefined });
    res.json({ keys: page.items.length, calls: page.items.reduce((sum, key) => sum + key.usageCount, 0) });
  });

  v1.get("/webhooks", (_req, res) => {
    res.json({
      endpoints: [{ url: "https://hooks.acme.example/keys", events: ["key.created", "key.revoked"] }],
    });
  });

  app.use("/v1", v1);
  // The management API (a settings page's backend): scopes limited to the spec's catalogue.
  app.use(
    "/api",
    keysRouter(keyward, {
      owner: (req) => req.get("x-demo-owner") ?? null,
      allowedScopes: [...spec.catalogue.names],
    }),
  );
  return app;
}
