/**
 * `pnpm demo` works as the README promises: from the sources, with no services and no build, it
 * walks through every behaviour, gets the expected status at each step, and exits 0.
 * `pnpm demo --serve` stays up and hands out a working key.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const env = { ...process.env, NO_COLOR: "1", PORT: "0" };

function run(
  command: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Each request line ("→ GET /v1/tasks") with the status line that follows it ("← 200 OK"). */
function exchanges(output: string): string[] {
  const found: string[] = [];
  let request = "";
  for (const line of output.split("\n")) {
    const sent = /^\s+→ (GET|POST|PATCH|DELETE) (\S+)$/.exec(line);
    if (sent) request = `${sent[1]} ${sent[2]!.replace(/key_\w+/, ":id")}`;
    const answered = /^\s+← (\d{3}) /.exec(line);
    if (answered) found.push(`${request} ${answered[1]}`);
  }
  return found;
}

describe("pnpm demo", () => {
  it("tours every behaviour with the expected statuses and exits 0", async () => {
    const { code, stdout, stderr } = await run("node_modules/.bin/tsx", [
      "--conditions=@keyward/source",
      "scripts/demo.ts",
    ]);
    expect(stderr).not.toMatch(/error/i);
    expect(code).toBe(0);
    expect(exchanges(stdout)).toEqual([
      "POST /api/keys 201", // mint over the management API
      "GET /v1/status 200", // public route, no key
      "GET /v1/tasks 401", // missing key
      "GET /v1/tasks 200", // reader
      "GET /v1/tasks 401", // bad checksum
      "POST /v1/tasks 403", // reader cannot write
      "POST /v1/tasks 201", // writer can
      "GET /v1/tasks/search?q=restock 200",
      "GET /v1/tasks/search?q=restock 200",
      "GET /v1/tasks/search?q=restock 429", // named limit "search" spent
      "POST /api/keys/:id/rotate 200",
      "GET /v1/tasks 200", // old token, within grace
      "GET /v1/tasks 200", // new token
      "GET /v1/tasks 401", // old token, grace over
      "GET /v1/tasks 200", // new token
      "POST /api/keys/:id/revoke 200",
      "GET /v1/tasks 401", // revoked
    ]);
    // The headers and codes each step is there to show.
    expect(stdout).toContain('WWW-Authenticate: Bearer realm="api"\n');
    expect(stdout).toContain('error="insufficient_scope"');
    expect(stdout).toMatch(/RateLimit-Policy: "default";q=100;w=60, "search";q=2;w=60/);
    expect(stdout).toMatch(/← 429 Too Many Requests\n(?:.*\n)*?\s+Retry-After: \d+\n/);
    for (const problem of [
      "missing_key",
      "invalid_key",
      "insufficient_scope",
      "rate_limited",
      "expired_key",
      "revoked_key",
    ]) {
      expect(stdout).toContain(`"code":"${problem}"`);
    }
    expect(stdout).toContain("17 requests, every answer as expected.");
    // Plain text in a pipe, and tokens only ever shortened.
    expect(stdout).not.toContain("\u001b[");
    expect(stdout).not.toMatch(/sk_test_[0-9A-Za-z]{38}/);
  });

  describe("--serve", () => {
    let child: ChildProcess | undefined;
    afterAll(() => {
      child?.kill("SIGTERM");
    });

    it("keeps serving and prints a curl-ready key that works", async () => {
      // One node process (tsx as a loader), so the test stops exactly the process it started.
      child = spawn(
        process.execPath,
        ["--import", "tsx", "--conditions=@keyward/source", "scripts/demo.ts", "--serve"],
        {
          cwd: root,
          env,
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stdout = "";
      const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
        child!.stdout!.on("data", (chunk) => {
          stdout += chunk;
          const match =
            /export KEY=(sk_test_[0-9A-Za-z]{38})\n[\s\S]*?(http:\/\/127\.0\.0\.1:\d+)\/v1\/tasks/.exec(
              stdout,
            );
          if (match && stdout.includes("Ctrl-C")) resolve(match);
        });
        child!.once("exit", (code) => reject(new Error(`demo --serve exited with ${code}:\n${stdout}`)));
      });
      const [, token, url] = ready;
      const response = await fetch(`${url}/v1/tasks`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get("ratelimit-policy")).toBe('"default";q=100;w=60');
      expect(stdout).toContain(`curl -i -H "Authorization: Bearer $KEY" ${url}/v1/tasks`);
    });
  });
});
