/**
 * Builds the example once per test run and serves it: `next build` (Turbopack, offline, no
 * telemetry) under a lock, so that the test files running in parallel share one build, then
 * `next start` on 127.0.0.1 and an ephemeral port for each file.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const app = fileURLToPath(new URL("..", import.meta.url));
const nextBin = fileURLToPath(new URL("../node_modules/next/dist/bin/next", import.meta.url));
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" };
const lock = join(app, ".next-test-build.lock");
const marker = join(app, ".next", "keyward-test-run");
// The vitest process that started every test file of this run (worker threads and forks alike),
// with its start time where /proc tells it, so a reused process id never passes for this run.
const run = existsSync(`/proc/${process.ppid}/stat`)
  ? `${process.ppid}:${readFileSync(`/proc/${process.ppid}/stat`, "utf8").split(") ")[1]!.split(" ")[19]}`
  : String(process.ppid);

function next(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, ...args], {
      cwd: app,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout.on("data", (chunk) => (log += chunk));
    child.stderr.on("data", (chunk) => (log += chunk));
    child.once("error", reject);
    child.once("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`next ${args[0]} failed (${code}):\n${log}`)),
    );
  });
}

async function withLock<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a killed run (older than the longest build) is stale.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000)
        rmSync(lock, { recursive: true });
      if (Date.now() > deadline) throw new Error(`waited 5 min for ${lock}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Runs `next build` unless another test file of this run already did. */
function buildOnce(): Promise<void> {
  return withLock(async () => {
    if (existsSync(marker) && readFileSync(marker, "utf8") === run) return;
    await next(["build"]);
    writeFileSync(marker, run);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A started app: its origin and a way to stop it. */
export interface RunningApp {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Builds (once per run) and starts the app with extra environment variables. */
export async function startApp(extraEnv: Record<string, string> = {}): Promise<RunningApp> {
  await buildOnce();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const server: ChildProcess = spawn(
    process.execPath,
    [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: app,
      env: { ...env, ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  server.stdout!.on("data", (chunk) => (output += chunk));
  server.stderr!.on("data", (chunk) => (output += chunk));
  const stop = async () => {
    if (server.exitCode !== null) return;
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited:\n${output}`);
    try {
      if ((await fetch(`${url}/api/status`)).status === 200) return { url, output: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`next start did not answer within 60 s:\n${output}`);
}
