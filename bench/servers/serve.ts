/**
 * What every benchmark server shares: the one route's answer, and the handshake — once the
 * server listens on an ephemeral port, one JSON line on stdout with the port and the request
 * headers that carry a credential it accepts.
 */

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** The small JSON every server answers on `GET /v1/tasks`. */
export const TASKS = { tasks: [{ id: "task_1", title: "write the benchmark", done: false }] };

/** A rate limit no benchmark run can reach: every request is admitted, only the bookkeeping costs. */
export const HUGE_LIMIT = 1_000_000_000;

/** Prints the handshake line for a listening server and keeps the process alive until SIGTERM. */
export function announce(server: Server, headers: Record<string, string> = {}): void {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port, headers })}\n`);
  process.once("SIGTERM", () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

/** The port to listen on: `PORT` from the runner (0 = ephemeral). */
export const port = (): number => Number(process.env.PORT ?? 0);
