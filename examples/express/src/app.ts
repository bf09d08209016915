/**
 * A small task API protected with keyward: one route per idea.
 *
 *   GET    /v1/status        public; says who is calling when a key is sent (optional mode)
 *   GET    /v1/tasks         task:read
 *   POST   /v1/tasks         task:write
 *   GET    /v1/tasks/search  task:read, and consumes the key's "search" limit too
 *   DELETE /v1/tasks/:id     an admin route: "task:delete OR admin:*"
 *   POST   /webhooks/github  public, declared: GitHub's signature over the raw body, no key
 *   /api/keys…               the management API (create, list, rotate, revoke… your own keys)
 */
import type { Keyward } from "@keyward/core";
import { apiKeyAuth, keysRouter, webhookAuth } from "@keyward/express";
import express, { type Express, type Request } from "express";
import type { Scope } from "./keyward.js";
import { createTaskList } from "./tasks.js";

/**
 * Who manages keys through `/api`. A real app reads its session here (`req.session.orgId`);
 * this example trusts an `X-Demo-Owner` header so it can be tried with curl. Never ship that.
 */
const demoOwner = (req: Request): string | null => req.get("x-demo-owner") ?? null;

/** The GitHub webhook secret; the fallback is for trying the example locally only. */
const webhookSecret = (): string => process.env.GITHUB_WEBHOOK_SECRET ?? "example-only-webhook-secret";

/** Builds the app on the given keyward instance (memory or PostgreSQL; see keyward.ts). */
export function createApp(keyward: Keyward<Scope>): Express {
  const tasks = createTaskList();
  const app = express();
  app.disable("x-powered-by");

  // Public: works without a key, but a bad key is still rejected (401).
  app.get("/v1/status", apiKeyAuth(keyward, { optional: true }), (req, res) => {
    res.json({ status: "ok", keyId: req.apiKey?.id ?? null });
  });

  app.get("/v1/tasks", apiKeyAuth(keyward, { scopes: ["task:read"] }), (req, res) => {
    res.json({ tasks: tasks.list(req.apiKey!.ownerId) });
  });

  app.post("/v1/tasks", apiKeyAuth(keyward, { scopes: ["task:write"] }), express.json(), (req, res) => {
    const title: unknown = req.body?.title;
    if (typeof title !== "string" || title.trim() === "") {
      res.status(400).json({ error: 'body must be {"title": "…"}' });
      return;
    }
    res.status(201).json(tasks.add(req.apiKey!.ownerId, title.trim()));
  });

  // A named limit: each call here consumes "default" and "search" (all-or-nothing).
  app.get(
    "/v1/tasks/search",
    apiKeyAuth(keyward, { scopes: ["task:read"], rateLimit: ["default", "search"] }),
    (req, res) => {
      const text = typeof req.query.q === "string" ? req.query.q : "";
      res.json({ tasks: tasks.search(req.apiKey!.ownerId, text) });
    },
  );

  // A scope query: either scope will do.
  app.delete("/v1/tasks/:id", apiKeyAuth(keyward, { scopes: "task:delete OR admin:*" }), (req, res) => {
    const removed = tasks.remove(req.apiKey!.ownerId, String(req.params.id));
    res.status(removed ? 204 : 404).end();
  });

  // A declared public route: no key, GitHub's signature instead (before any JSON parser, so
  // webhookAuth sees the exact bytes; req.body is then that Buffer).
  app.post("/webhooks/github", webhookAuth({ provider: "github", secret: webhookSecret() }), (req, res) => {
    const event = JSON.parse((req.body as Buffer).toString("utf8")) as { action?: unknown };
    res.json({ received: typeof event.action === "string" ? event.action : null });
  });

  app.use(
    "/api",
    keysRouter(keyward, { owner: demoOwner, allowedScopes: ["reader", "writer", "task:read", "task:write"] }),
  );

  app.use((_req, res) => {
    res.status(404).json({ error: "not found" });
  });
  return app;
}
