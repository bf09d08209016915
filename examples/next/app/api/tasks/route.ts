import { withApiKeyAuth } from "@keyward/next";
import { keyward } from "../../../lib/keyward.js";
import { tasks } from "../../../lib/tasks.js";

// GET /api/tasks — needs task:read. The rate-limit headers are added to the response.
export const GET = withApiKeyAuth(
  keyward,
  async (_request, { apiKey }) => Response.json({ tasks: tasks.list(apiKey.ownerId) }),
  {
    scopes: ["task:read"],
  },
);

// POST /api/tasks — needs task:write.
export const POST = withApiKeyAuth(
  keyward,
  async (request, { apiKey }) => {
    const body = (await request.json().catch(() => null)) as { title?: unknown } | null;
    const title = body?.title;
    if (typeof title !== "string" || title.trim() === "") {
      return Response.json({ error: 'body must be {"title": "…"}' }, { status: 400 });
    }
    return Response.json(tasks.add(apiKey.ownerId, title.trim()), { status: 201 });
  },
  { scopes: ["task:write"] },
);
