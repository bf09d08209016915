/**
 * Drives autocannon in its own process (bench/servers/load.ts), so the load generator never
 * shares an event loop with the server it measures.
 */
import type { ChildGroup, RunningServer } from "./process.js";

/** One autocannon run, as bench/servers/load.ts prints it. */
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

/** Loads one server for `seconds` with `connections` keep-alive connections, sending its handshake headers. */
export function runLoad(
  children: ChildGroup,
  server: RunningServer,
  options: LoadOptions,
): Promise<LoadResult> {
  return children.runJson<LoadResult>(
    "bench/servers/load.ts",
    [
      `http://127.0.0.1:${server.port}${options.path}`,
      String(options.connections),
      String(options.seconds),
      JSON.stringify(server.headers),
    ],
    { timeoutMs: options.seconds * 1000 + 60_000 },
  );
}
