import { withApiKeyAuth } from "@keyward/next";
import { keyward } from "../../../../lib/keyward.js";
import { tasks } from "../../../../lib/tasks.js";

// GET /api/tasks/:id — needs task:read. In Next 15+ `params` is a Promise.
export const GET = withApiKeyAuth(
  keyward,
  async (_request, { params, apiKey }) => {
    const { id } = await params;
    const task = typeof id === "string" ? tasks.get(apiKey.ownerId, id) : undefined;
    return task ? Response.json(task) : Response.json({ error: "not found" }, { status: 404 });
  },
  { scopes: ["task:read"] },
);

// DELETE /api/tasks/:id — an admin route with a scope query: either scope will do.
export const DELETE = withApiKeyAuth(
  keyward,
  async (_request, { params, apiKey }) => {
    const { id } = await params;
    const removed = typeof id === "string" && tasks.remove(apiKey.ownerId, id);
    return new Response(null, { status: removed ? 204 : 404 });
  },
  { scopes: "task:delete OR admin:*" },
);
