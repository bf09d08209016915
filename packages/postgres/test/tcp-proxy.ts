/**
 * A TCP proxy on 127.0.0.1 (ephemeral port) in front of PostgreSQL, so a test can take the
 * database away: `stop()` closes the port and cuts every connection, `start()` opens the same
 * port again, `freeze()` keeps connections open but stops forwarding bytes (a database that
 * hangs), `thaw()` lets the held bytes through.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export interface TcpProxy {
  readonly port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  freeze(): void;
  thaw(): void;
  /**
   * Ends a freeze the way a real network often heals: connections established before the
   * freeze stay silent forever (their state is gone on the way), the ones opened during it and
   * every new one work.
   */
  healNewOnly(): void;
  close(): Promise<void>;
}

export async function startProxy(targetPort: number, targetHost = "127.0.0.1"): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let frozen = false;
  const pairs = new Set<[Socket, Socket]>();
  const dead = new Set<[Socket, Socket]>();

  const handle = (client: Socket) => {
    const upstream = connect(targetPort, targetHost);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    for (const socket of pair) {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => {
        sockets.delete(socket);
        pairs.delete(pair);
        for (const other of pair) other.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
    if (frozen) for (const socket of pair) socket.pause();
  };

  let server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy: no port");
  const port = address.port;

  const stop = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };

  return {
    port,
    stop,
    async start() {
      server = createServer(handle);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => resolve());
      });
    },
    freeze() {
      frozen = true;
      for (const pair of pairs) {
        dead.add(pair);
        for (const socket of pair) socket.pause();
      }
    },
    thaw() {
      frozen = false;
      for (const pair of pairs) for (const socket of pair) socket.resume();
    },
    healNewOnly() {
      frozen = false;
      for (const pair of pairs) if (!dead.has(pair)) for (const socket of pair) socket.resume();
    },
    close: stop,
  };
}
