/**
 * The task API every example serves, as `routeTable()` must list it (the route tests of
 * examples/express, examples/fastify and examples/next share it); `prefix` is `/v1` or `/api`.
 */
export const exampleTaskRoutes = (prefix: string) => [
  { method: "GET", path: `${prefix}/status`, auth: "apiKey", scopes: [], rateLimit: null, optional: true },
  { method: "GET", path: `${prefix}/tasks`, auth: "apiKey", scopes: ["task:read"], rateLimit: null },
  { method: "POST", path: `${prefix}/tasks`, auth: "apiKey", scopes: ["task:write"], rateLimit: null },
  {
    method: "GET",
    path: `${prefix}/tasks/search`,
    auth: "apiKey",
    scopes: ["task:read"],
    rateLimit: ["default", "search"],
  },
  {
    method: "DELETE",
    path: `${prefix}/tasks/{id}`,
    auth: "apiKey",
    scopes: "task:delete OR admin:*",
    rateLimit: null,
  },
];

/** The declared public route every example serves. */
export const exampleWebhookRoute = {
  method: "POST",
  path: "/webhooks/github",
  auth: "webhook",
  scopes: [],
  rateLimit: null,
  provider: "github",
};
