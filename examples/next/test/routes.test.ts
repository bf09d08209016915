/**
 * The Next example's route table: every route handler of `app/` with its auth kind, scopes and
 * limits, read by `routeTable({ appDir })` from the metadata the wrappers attach.
 */
import { fileURLToPath } from "node:url";
import { routeTable } from "@keyward/next";
import { describe, expect, it } from "vitest";
import { exampleTaskRoutes, exampleWebhookRoute } from "../../route-table.expected.js";

/** Next lists by route file (status/, tasks/[id]/, tasks/, tasks/search/), then GET, POST, DELETE. */
const sortedAsFiles = <T extends { path: string; method: string }>(rows: T[]): T[] => {
  const order = ["/api/status", "/api/tasks/{id}", "/api/tasks", "/api/tasks/search"];
  const methods = ["GET", "POST", "DELETE"];
  return order.flatMap((path) =>
    rows
      .filter((row) => row.path === path)
      .sort((a, b) => methods.indexOf(a.method) - methods.indexOf(b.method)),
  );
};

const appDir = fileURLToPath(new URL("../app", import.meta.url));

describe("examples/next route table", () => {
  it("lists every route with the right auth kind, scopes and limits", async () => {
    // The management API is one catch-all route handler, guarded by the owner callback.
    const management = ["GET", "POST", "PATCH", "DELETE"].map((method) => ({
      method,
      path: "/api/{keyward}",
      auth: "none",
      scopes: [],
      rateLimit: null,
    }));
    expect(await routeTable({ appDir })).toEqual([
      ...management,
      // The demo sign-in of the settings page: public by design.
      { method: "POST", path: "/api/session", auth: "none", scopes: [], rateLimit: null },
      // Next's example also serves GET /api/tasks/{id}.
      ...sortedAsFiles([
        ...exampleTaskRoutes("/api"),
        { method: "GET", path: "/api/tasks/{id}", auth: "apiKey", scopes: ["task:read"], rateLimit: null },
      ]),
      exampleWebhookRoute,
    ]);
  });

  it("a missing appDir is a TypeError naming the option", async () => {
    await expect(routeTable({} as never)).rejects.toThrow(/"appDir"/);
  });
});
