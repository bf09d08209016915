/**
 * Drives autocannon in its own long-lived process (bench/servers/load.ts, over IPC), so the
 * load generator never shares an event loop with the server it measures and no measurement
 * pays for starting a process.
 */
import type { ChildGroup, RunningServer } from "./process.js";

/** One autocannon run, as bench/servers/load.ts reports it. */
export interface LoadResult {
  /** Completed requests per second over the run. */
  rps: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latencyP50: number;
  latencyP99: number;
}

export interface LoadOptions {
  path: string;
  connections: number;
  seconds: number;
}

/** A load generator process: `run` loads one server for `seconds` with `connections` keep-alive connections. */
export interface LoadGenerator {
  run(server: RunningServer, options: LoadOptions): Promise<LoadResult>;
}

/** Starts the load generator process (killed with the group), pinned to `cpu` when given. */
export async function startLoadGenerator(children: ChildGroup, cpu?: number): Promise<LoadGenerator> {
  const worker = await children.startWorker<{ ready: true }>("bench/servers/load.ts", { cpu });
  return {
    run: (server, options) =>
      worker.request<LoadResult>(
        {
          url: `http://127.0.0.1:${server.port}${options.path}`,
          connections: options.connections,
          seconds: options.seconds,
          headers: server.headers,
        },
        options.seconds * 1000 + 60_000,
      ),
  };
}
