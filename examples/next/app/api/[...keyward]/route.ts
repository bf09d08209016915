import { keysHandlers } from "@keyward/next";
import { keyward } from "../../../lib/keyward.js";
import { sessionOwner } from "../../../lib/session.js";

// The management API: /api/keys, /api/keys/:id, …/rotate, …/revoke, /api/scopes,
// /api/openapi.json — what the settings page at /settings/api-keys calls.
// (/api/tasks and /api/status are matched first: Next prefers static segments.)
//
// `owner` says whose keys the caller may manage. A real app reads its session here; this
// example reads the demo sign-in's cookie, and also trusts an X-Demo-Owner header so it can be
// tried with curl. Never ship either.
export const { GET, POST, PATCH, DELETE } = keysHandlers(keyward, {
  basePath: "/api",
  owner: (request) => sessionOwner(request) ?? request.headers.get("x-demo-owner"),
  allowedScopes: ["reader", "writer", "task:read", "task:write"],
  scopeDescriptions: {
    reader: "Read tasks",
    writer: "Read, create and change tasks",
    "task:read": "List, search and read tasks",
    "task:write": "Create tasks",
  },
});
