import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { generateToken } from "@keyward/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../src/index.js";
import { tempDir } from "./helpers/cli.js";

async function importWith(isTTY: boolean, cwd: string, file: string) {
  let stdout = "";
  let stderr = "";
  const code = await run(["import", file, "--data-dir", `db-${isTTY}`], {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk), isTTY },
    stdin: new PassThrough(),
    env: {},
    cwd,
  });
  return { code, stdout, stderr };
}

describe("import progress bar (programmatic run(), embedded database)", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
    const lines = Array.from({ length: 20 }, () => JSON.stringify({ token: generateToken("sk") }));
    await writeFile(join(dir.path, "keys.jsonl"), `${lines.join("\n")}\n`);
  });
  afterAll(() => dir.remove());

  it("draws on a terminal and erases itself before the summary", { timeout: 120_000 }, async () => {
    const { code, stdout, stderr } = await importWith(true, dir.path, "keys.jsonl");
    expect(code, stderr).toBe(0);
    expect(stdout).toBe("imported 20, skipped 0 (duplicates), failed 0\n");
    expect(stderr).toMatch(/^\rimporting \[[#.]{30}\] +\d+% {2}\d+ lines/);
    expect(stderr.endsWith("\r\x1b[K")).toBe(true);
  });

  it("writes nothing to stderr when stderr is not a terminal", { timeout: 120_000 }, async () => {
    const { code, stdout, stderr } = await importWith(false, dir.path, "keys.jsonl");
    expect(code, stderr).toBe(0);
    expect(stdout).toBe("imported 20, skipped 0 (duplicates), failed 0\n");
    expect(stderr).toBe("");
  });
});
