import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { inject } from "vitest";
import { run } from "../../src/index.js";

/** The `keyward` executable bundled from the sources for this run (see binary-setup.ts). */
const CLI = inject("keywardBinary");

export const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Written to the process's stdin, which is then closed. */
  input?: string;
}

/**
 * Spawns `keyward <args>` as a separate Node process (the executable bundled from the sources
 * for this run) in `cwd`, with the test's environment minus any KEYWARD_* variables plus `env`.
 */
export function keyward(args: readonly string[], options: CliOptions): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith("KEYWARD_") && name !== "NODE_OPTIONS") env[name] = value;
  }
  Object.assign(env, options.env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** Like {@link keyward}, but fails with the process's stderr unless it exits 0. */
export async function keywardOk(args: readonly string[], options: CliOptions): Promise<CliResult> {
  const result = await keyward(args, options);
  if (result.code !== 0) {
    throw new Error(`keyward ${args.join(" ")} exited ${result.code}: ${result.stderr}${result.stdout}`);
  }
  return result;
}

/** Runs a command with `--json` and parses its single JSON document. */
export async function keywardJson<T = Record<string, unknown>>(
  args: readonly string[],
  options: CliOptions,
): Promise<T> {
  const { stdout } = await keywardOk([...args, "--json"], options);
  return JSON.parse(stdout) as T;
}

/** A fresh temporary directory, and a function that removes it. */
export async function tempDir(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), "keyward-cli-"));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A schema name no other test file uses. */
export function randomSchema(): string {
  return `kw_cli_${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * Runs `keyward <argv>` in this process (programmatic `run()`), capturing its output, with an
 * empty environment plus `env`. `run()` swaps `console.warn` while it runs, so calls must not
 * overlap: run them one after another, never from concurrent tests.
 */
export async function runCaptured(
  argv: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    stdin: new PassThrough(),
    env,
    cwd,
  });
  return { code, stdout, stderr };
}
