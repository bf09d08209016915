/**
 * `keyward routes`: the route table of an app module (Express, Fastify) or a Next.js app/ tree,
 * as a table or JSON; misuse is one line and a non-zero exit.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCaptured } from "./helpers/cli.js";

const here = fileURLToPath(new URL(".", import.meta.url));

const capture = (argv: string[]) => runCaptured(argv, here);

describe("keyward routes", () => {
  it("prints an Express app's route table, router and route requirements combined", async () => {
    const { code, stdout, stderr } = await capture(["routes", "--app", "fixtures/routes-express-app.ts"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout.split("\n").map((line) => line.replace(/\s+/g, " ").trim())).toEqual([
      "METHOD PATH AUTH SCOPES RATE LIMIT",
      'GET /v1/projects apiKey ["read"] [{"name":"v1","limit":1000,"window":"1m"}]',
      'POST /v1/projects/{id}/tasks apiKey ["read","writer"] [{"name":"v1","limit":1000,"window":"1m"},"default"]',
      "POST /webhooks/github webhook (github) - -",
      "GET /health none - -",
      "",
    ]);
  });

  it("--json gives the rows of a Fastify app (a module exporting a promise of it)", async () => {
    const { code, stdout, stderr } = await capture([
      "routes",
      "--app",
      "fixtures/routes-fastify-app.ts",
      "--json",
    ]);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      { method: "GET", path: "/v1/tasks/{id}", auth: "apiKey", scopes: ["task:read"], rateLimit: null },
      { method: "GET", path: "/health", auth: "none", scopes: [], rateLimit: null },
    ]);
  });

  it("--app-dir walks a Next.js app/ tree", async () => {
    const { code, stdout, stderr } = await capture([
      "routes",
      "--app-dir",
      "../../../examples/next/app",
      "--json",
    ]);
    expect(code, stderr).toBe(0);
    const rows = JSON.parse(stdout) as { method: string; path: string; auth: string }[];
    expect(rows).toContainEqual(
      expect.objectContaining({ method: "POST", path: "/webhooks/github", auth: "webhook" }),
    );
    expect(rows).toContainEqual(
      expect.objectContaining({ method: "GET", path: "/api/tasks", auth: "apiKey" }),
    );
  });

  it("misuse is one line and exit 2", async () => {
    for (const argv of [["routes"], ["routes", "--app", "a.js", "--app-dir", "app"]]) {
      const { code, stdout, stderr } = await capture(argv);
      expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
      expect(stderr).toBe("keyward: routes needs exactly one of --app or --app-dir\n");
    }
    const missing = await capture(["routes", "--app", "fixtures/nothing-here.js"]);
    expect(missing.code, missing.stderr).toBe(2);
    expect(missing.stderr).toMatch(/^keyward: cannot load --app fixtures\/nothing-here\.js: .*\n$/);
  });
});
