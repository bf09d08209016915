/**
 * The example app: open and protected task routes, a sub-app protected as a whole, and the
 * management API for the signed-in organisation (here: the `x-org` header stands in for your
 * session).
 */
import type { Keyward } from "@keyward/core";
import { type ApiKeyEnv, apiKeyAuth, keysRoutes } from "@keyward/hono";
import { Hono } from "hono";

const tasks = [
  { id: "t1", title: "Write the docs" },
  { id: "t2", title: "Ship it" },
];

export function createApp(keyward: Keyward): Hono {
  const app = new Hono();

  app.get("/health", (c) => c.json({ ok: true }));

  app.get("/v1/tasks", apiKeyAuth(keyward, { scopes: ["task:read"] }), (c) =>
    c.json({ owner: c.var.apiKey.ownerId, tasks }),
  );

  app.post("/v1/tasks", apiKeyAuth(keyward, { scopes: ["task:write"], cost: 2 }), async (c) => {
    const { title } = await c.req.json<{ title: string }>();
    return c.json({ id: `t${tasks.length + 1}`, title, by: c.var.apiKey.id }, 201);
  });

  // Every route of this sub-app needs `admin`; the key is verified once per request.
  const admin = new Hono<ApiKeyEnv>();
  admin.use(apiKeyAuth(keyward, { scopes: ["admin"] }));
  admin.get("/whoami", (c) => c.json({ keyId: c.var.apiKey.id, scopes: c.var.apiKey.scopes }));
  app.route("/v1/admin", admin);

  app.route("/api", keysRoutes(keyward, { owner: (c) => c.req.header("x-org") ?? null }));
  return app;
}
