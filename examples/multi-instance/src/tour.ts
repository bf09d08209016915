/**
 * `pnpm tour`: starts two instances as two processes on one store, mints a key through A,
 * uses it on B, revokes it on A, and measures how long B takes to reject it. Then stops both.
 *
 *   STORE=postgres|redis (default postgres), NAMESPACE (see server.ts)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const store = process.env.STORE ?? "postgres";
const server = fileURLToPath(new URL("./server.ts", import.meta.url));

/** Starts server.ts in its own process on an ephemeral port; resolves with its URL. */
function startInstance(name: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@keyward/source", server], {
    env: { ...process.env, STORE: store, PORT: "0", INSTANCE: name },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      const match = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve({ child, url: match[1]! });
    });
    child.once("exit", (code) => reject(new Error(`instance ${name} exited with ${code}`)));
  });
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });

const [a, b] = await Promise.all([startInstance("A"), startInstance("B")]);
try {
  console.log(`two instances on ${store}: A ${a.url}, B ${b.url}`);
  const owner = { "content-type": "application/json", "x-demo-owner": "org_tour" };
  const created = await fetch(`${a.url}/api/keys`, {
    method: "POST",
    headers: owner,
    body: JSON.stringify({ name: "multi-instance tour" }),
  });
  const { token, key } = (await created.json()) as { token: string; key: { id: string } };
  console.log(`POST A/api/keys → ${created.status} (${key.id})`);

  const auth = { authorization: `Bearer ${token}` };
  for (const [name, url] of [
    ["A", a.url],
    ["B", b.url],
  ] as const) {
    const response = await fetch(`${url}/v1/whoami`, { headers: auth });
    console.log(`GET ${name}/v1/whoami → ${response.status} ${await response.text()}`);
  }

  const revoked = await fetch(`${a.url}/api/keys/${key.id}/revoke`, { method: "POST", headers: owner });
  const started = performance.now();
  console.log(`POST A/api/keys/${key.id}/revoke → ${revoked.status}`);
  let status = 200;
  while (status === 200 && performance.now() - started < 5_000) {
    status = (await fetch(`${b.url}/v1/whoami`, { headers: auth })).status;
  }
  const elapsed = (performance.now() - started).toFixed(0);
  console.log(`GET B/v1/whoami → ${status} (revocation reached B after ${elapsed} ms)`);
  if (status !== 401) process.exitCode = 1;
} finally {
  await Promise.all([stop(a.child), stop(b.child)]);
}
