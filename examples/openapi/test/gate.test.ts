/**
 * The gate on the example: the app, its spec and keyward's presets agree (no finding, exit 0),
 * and the deliberately drifted copy of the spec is caught — each drift once — by
 * checkOpenApi() and by `keyward openapi check` (exit 1, one line per finding, --json).
 */
import { join } from "node:path";
import { routeTable } from "@keyward/express";
import { checkOpenApi, loadOpenApi } from "@keyward/openapi";
import { describe, expect, it } from "vitest";
import { run } from "../../../packages/cli/src/run.js";
import app, { keyward, spec } from "../src/main.js";

const root = join(import.meta.dirname, "..");
const DRIFTED = join(root, "openapi", "v1.drifted.yaml");
const EXPECTED_DRIFT = [
  "unknown-scope usage:raed",
  "unknown-scope webhooks:write",
  "unconfigured-scope billing:read",
  "missing-handler POST /v1/webhooks",
  "undocumented-route DELETE /v1/keys/{id}",
];

async function cli(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, {
    cwd: root,
    env: {},
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  });
  return { code, stdout, stderr };
}

describe("the OpenAPI gate on examples/openapi", () => {
  it("finds no drift between the spec, the app's routes and keyward's presets", () => {
    const routes = routeTable(app);
    expect(routes.filter((route) => route.path.startsWith("/v1")).every((route) => route.openapi)).toBe(true);
    expect(checkOpenApi(spec, routes, keyward, { ignore: ["/api"] })).toEqual([]);
  });

  it("catches every drift of the drifted copy, each once", async () => {
    const drifted = await loadOpenApi(DRIFTED);
    const findings = checkOpenApi(drifted, routeTable(app), keyward, { ignore: ["/api"] });
    expect(findings.map((finding) => `${finding.kind} ${finding.subject}`)).toEqual(EXPECTED_DRIFT);
  });

  it("keyward openapi check: exit 0 and a summary on the clean spec", async () => {
    const result = await cli([
      "openapi",
      "check",
      "--spec",
      "openapi/v1.yaml",
      "--app",
      "src/main.ts",
      "--ignore",
      "/api",
    ]);
    expect(result).toEqual({ code: 0, stdout: "no drift: 6 operations, 7 routes, 4 scopes\n", stderr: "" });
  });

  it("keyward openapi check: exit 1 and one line per finding on the drifted copy", async () => {
    const result = await cli([
      "openapi",
      "check",
      "--spec",
      DRIFTED,
      "--app",
      "src/main.ts",
      "--ignore",
      "/api",
    ]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split("\n");
    expect(
      lines.map((line) =>
        line
          .split(":")[0]!
          .replace(/\s+/, " ")
          .replace(/ \(\w+\)$/, ""),
      ),
    ).toEqual(EXPECTED_DRIFT.map((entry) => entry.replace(/:.*$/, "")));
    expect(lines[3]).toBe(
      "missing-handler  POST /v1/webhooks (createWebhook): POST /v1/webhooks is in the document but no route serves it — fix: add the handler, or remove the operation from the document",
    );
  });

  it("keyward openapi check --json: { ok, findings } with stable kinds", async () => {
    const result = await cli([
      "openapi",
      "check",
      "--spec",
      DRIFTED,
      "--app",
      "src/main.ts",
      "--ignore",
      "/api",
      "--json",
    ]);
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as {
      ok: boolean;
      findings: { kind: string; subject: string }[];
    };
    expect(parsed.ok).toBe(false);
    expect(parsed.findings.map((finding) => `${finding.kind} ${finding.subject}`)).toEqual(EXPECTED_DRIFT);
  });
});
