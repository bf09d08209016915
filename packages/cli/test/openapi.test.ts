/**
 * `keyward openapi types` (and, once wired, `check`) through the CLI's own entry point, in
 * process: exit codes, one-line errors, the file written and `--json`.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../src/run.js";

const SPEC = join(import.meta.dirname, "..", "..", "openapi", "test", "fixtures", "v1.yaml");
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function cli(argv: string[]) {
  const cwd = await mkdtemp(join(tmpdir(), "keyward-cli-openapi-"));
  dirs.push(cwd);
  let stdout = "";
  let stderr = "";
  const code = await run(argv, {
    cwd,
    env: {},
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  });
  return { code, stdout, stderr, cwd };
}

describe("keyward openapi types", () => {
  it("writes the scope union and presets the generator makes for the spec", async () => {
    const { code, stdout, stderr, cwd } = await cli([
      "openapi",
      "types",
      "--spec",
      SPEC,
      "--out",
      "src/scopes.ts",
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toBe("wrote 4 scopes to src/scopes.ts\n");
    const written = await readFile(join(cwd, "src", "scopes.ts"), "utf8");
    expect(written).toContain(
      'export const scopes = ["keys:read", "keys:write", "usage:read", "webhooks:read"] as const;',
    );
    expect(written).toContain("export type ScopePreset = keyof typeof scopePresets;");
  });

  it("prints what it wrote as JSON with --json", async () => {
    const { code, stdout, stderr } = await cli([
      "openapi",
      "types",
      "--spec",
      SPEC,
      "--out",
      "scopes.ts",
      "--json",
    ]);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      scopes: ["keys:read", "keys:write", "usage:read", "webhooks:read"],
      presets: ["reader", "admin"],
    });
  });

  it.each([
    ["no --spec", ["openapi", "types", "--out", "x.ts"], 2, /needs --spec <file>/],
    ["no --out", ["openapi", "types", "--spec", SPEC], 2, /needs --out <file>/],
    [
      "a missing file",
      ["openapi", "types", "--spec", "nope.yaml", "--out", "x.ts"],
      1,
      /cannot read .*nope\.yaml/,
    ],
  ])("fails with one line and exit %s: %s", async (_name, argv, exit, message) => {
    const { code, stderr } = await cli(argv);
    expect(code).toBe(exit);
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("reports an invalid document on one line, exit 1", async () => {
    const { cwd } = await cli(["--version"]);
    await writeFile(
      join(cwd, "bad.yaml"),
      "openapi: 3.1.0\ninfo: { title: t }\npaths:\n  /a:\n    get:\n      responses: nope\n",
    );
    const { code, stderr } = await cli([
      "openapi",
      "types",
      "--spec",
      join(cwd, "bad.yaml"),
      "--out",
      "x.ts",
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/bad\.yaml is not a valid OpenAPI document/);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});
