/**
 * Starting a Node HTTP server for the conformance suite: 127.0.0.1, an ephemeral port, and a
 * `close()` that also drops keep-alive connections (fetch keeps them open).
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ConformanceApp } from "./adapter-routes.js";

/**
 * Listens on 127.0.0.1 with an ephemeral port and resolves once the server accepts
 * connections.
 *
 * @example
 * return listenForConformance(http.createServer(app)); // an Express app
 */
export function listenForConformance(server: Server): Promise<ConformanceApp> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
