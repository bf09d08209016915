import { keysHandlers } from "@keyward/next";
import { keyward } from "../../../lib/keyward.js";

// The management API: /api/keys, /api/keys/:id, …/rotate, …/revoke, /api/openapi.json.
// (/api/tasks and /api/status are matched first: Next prefers static segments.)
//
// `owner` says whose keys the caller may manage. A real app reads its session here; this
// example trusts an X-Demo-Owner header so it can be tried with curl. Never ship that.
export const { GET, POST, PATCH, DELETE } = keysHandlers(keyward, {
  basePath: "/api",
  owner: (request) => request.headers.get("x-demo-owner"),
  allowedScopes: ["reader", "writer", "task:read", "task:write"],
});
