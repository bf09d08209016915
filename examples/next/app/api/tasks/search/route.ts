import { withApiKeyAuth } from "@keyward/next";
import { keyward } from "../../../../lib/keyward.js";
import { tasks } from "../../../../lib/tasks.js";

// GET /api/tasks/search?q= — consumes the key's "default" and "search" limits (all-or-nothing).
export const GET = withApiKeyAuth(
  keyward,
  async (request, { apiKey }) => {
    const text = new URL(request.url).searchParams.get("q") ?? "";
    return Response.json({ tasks: tasks.search(apiKey.ownerId, text) });
  },
  { scopes: ["task:read"], rateLimit: ["default", "search"] },
);
