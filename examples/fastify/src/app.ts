/**
 * A small task API protected with keyward, as a Fastify route table: each route declares its
 * auth inline in `config.apiKey`.
 *
 *   GET    /v1/status        public; says who is calling when a key is sent (optional mode)
 *   GET    /v1/tasks         task:read
 *   POST   /v1/tasks         task:write
 *   GET    /v1/tasks/search  task:read, and consumes the key's "search" limit too
 *   DELETE /v1/tasks/:id     an admin route: "task:delete OR admin:*"
 *   POST   /webhooks/github  public, declared: GitHub's signature over the raw body, no key
 *   /api/keys…               the management API (create, list, rotate, revoke… your own keys)
 */
import { keysRoutes, keywardPlugin, webhookAuth } from "@keyward/fastify";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import type { ExampleKeyward } from "./keyward.js";
import { createTaskList } from "./tasks.js";

/**
 * Who manages keys through `/api`. A real app reads its session here (`request.user.orgId`);
 * this example trusts an `X-Demo-Owner` header so it can be tried with curl. Never ship that.
 */
function demoOwner(request: FastifyRequest): string | null {
  const owner = request.headers["x-demo-owner"];
  return typeof owner === "string" ? owner : null;
}

/** The GitHub webhook secret; the fallback is for trying the example locally only. */
const webhookSecret = (): string => process.env.GITHUB_WEBHOOK_SECRET ?? "example-only-webhook-secret";

/** Builds the app on the given keyward instance (memory or PostgreSQL; see keyward.ts). */
export async function createApp(keyward: ExampleKeyward): Promise<FastifyInstance> {
  const tasks = createTaskList();
  const app = Fastify();

  await app.register(keywardPlugin, { keyward });

  // Public: works without a key, but a bad key is still rejected (401).
  app.get("/v1/status", { config: { apiKey: { optional: true } } }, async (request) => ({
    status: "ok",
    keyId: request.apiKey?.id ?? null,
  }));

  app.get("/v1/tasks", { config: { apiKey: { scopes: ["task:read"] } } }, async (request) => ({
    tasks: tasks.list(request.apiKey!.ownerId),
  }));

  app.post<{ Body: { title?: unknown } | undefined }>(
    "/v1/tasks",
    { config: { apiKey: { scopes: ["task:write"] } } },
    async (request, reply) => {
      const title = request.body?.title;
      if (typeof title !== "string" || title.trim() === "") {
        return reply.code(400).send({ error: 'body must be {"title": "…"}' });
      }
      return reply.code(201).send(tasks.add(request.apiKey!.ownerId, title.trim()));
    },
  );

  // A named limit: each call here consumes "default" and "search" (all-or-nothing). The hook
  // form, `app.apiKeyAuth(options)`, does the same as `config.apiKey`.
  app.get<{ Querystring: { q?: string } }>(
    "/v1/tasks/search",
    { onRequest: app.apiKeyAuth({ scopes: ["task:read"], rateLimit: ["default", "search"] }) },
    async (request) => ({ tasks: tasks.search(request.apiKey!.ownerId, request.query.q ?? "") }),
  );

  // A scope query: either scope will do.
  app.delete<{ Params: { id: string } }>(
    "/v1/tasks/:id",
    { config: { apiKey: { scopes: "task:delete OR admin:*" } } },
    async (request, reply) => {
      const removed = tasks.remove(request.apiKey!.ownerId, request.params.id);
      return reply.code(removed ? 204 : 404).send();
    },
  );

  // A declared public route: no key, GitHub's signature instead. Its context keeps bodies as
  // raw Buffers, so webhookAuth verifies the exact bytes.
  await app.register(
    async (hooks) => {
      hooks.removeAllContentTypeParsers();
      hooks.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
      hooks.post(
        "/github",
        { preHandler: webhookAuth({ provider: "github", secret: webhookSecret() }) },
        async (request) => {
          const event = JSON.parse((request.body as Buffer).toString("utf8")) as { action?: unknown };
          return { received: typeof event.action === "string" ? event.action : null };
        },
      );
    },
    { prefix: "/webhooks" },
  );

  await app.register(keysRoutes, {
    prefix: "/api",
    keyward,
    owner: demoOwner,
    allowedScopes: ["reader", "writer", "task:read", "task:write"],
  });
  return app;
}
