/**
 * Vitest globalSetup of the redis project: a throwaway Redis Cluster of three masters on
 * 127.0.0.1:7101-7103 (no replicas, no persistence), so the store contract and the
 * multi-instance tests also run on a real Cluster with ioredis `Cluster` and node-redis
 * `createCluster`. Idempotent: a cluster already up (from an earlier run or another worktree)
 * is used as it is; half-made state is reset and created again. It is left running for the
 * next run (several test runs may share it; every test uses its own key prefix).
 *
 * Also runnable by hand: `pnpm tsx packages/redis/test/cluster-setup.ts`.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CLUSTER_PORTS = [7101, 7102, 7103] as const;
const HOST = "127.0.0.1";
const dir = join(tmpdir(), "keyward-redis-cluster");
const lock = join(tmpdir(), "keyward-redis-cluster.lock");

const cli = (port: number, ...args: string[]): string => {
  try {
    return execFileSync("redis-cli", ["-h", HOST, "-p", String(port), ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 10_000,
    });
  } catch {
    return "";
  }
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const clusterOk = () =>
  CLUSTER_PORTS.every((port) => cli(port, "cluster", "info").includes("cluster_state:ok"));

async function waitFor(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`redis cluster setup: timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Starts the three nodes (those not already answering) and creates the cluster if needed. */
export async function ensureCluster(): Promise<void> {
  if (clusterOk()) return;
  // One process creates it; a concurrent run waits for the lock, then finds it up.
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - started > 60_000) rmSync(lock, { recursive: true, force: true });
      await sleep(200);
    }
  }
  try {
    if (clusterOk()) return;
    mkdirSync(dir, { recursive: true });
    for (const port of CLUSTER_PORTS) {
      if (cli(port, "ping").trim() === "PONG") continue;
      execFileSync(
        "redis-server",
        [
          "--bind",
          HOST,
          "--port",
          String(port),
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          join(dir, `nodes-${port}.conf`),
          "--dir",
          dir,
          "--save",
          "",
          "--appendonly",
          "no",
          "--daemonize",
          "yes",
          "--logfile",
          join(dir, `redis-${port}.log`),
        ],
        { stdio: "ignore" },
      );
    }
    await waitFor(() => CLUSTER_PORTS.every((port) => cli(port, "ping").trim() === "PONG"), "the nodes");
    // Nodes that know of slots or other nodes but do not form a healthy cluster: start over.
    for (const port of CLUSTER_PORTS) {
      cli(port, "flushall");
      cli(port, "cluster", "reset", "hard");
    }
    execFileSync(
      "redis-cli",
      [
        "--cluster",
        "create",
        ...CLUSTER_PORTS.map((port) => `${HOST}:${port}`),
        "--cluster-replicas",
        "0",
        "--cluster-yes",
      ],
      { stdio: "ignore", timeout: 30_000 },
    );
    await waitFor(clusterOk, "cluster_state:ok");
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export default async function setup(): Promise<void> {
  await ensureCluster();
}

if (import.meta.url === `file://${process.argv[1]}`) await ensureCluster();
