/** A TCP proxy on 127.0.0.1 that a test can close, reopen and stall, to cut the path to Redis. */
import { createServer, connect as dial, type Server, type Socket } from "node:net";

export interface TcpProxy {
  readonly port: number;
  /** Stops accepting and destroys every open connection (Redis looks down). */
  close(): Promise<void>;
  /** Listens again on the same port. */
  open(): Promise<void>;
  /** Keeps connections open but stops passing Redis's answers on (Redis looks slow). */
  stall(): void;
  resume(): void;
  /** Stops every byte both ways on every connection, open or new (a frozen network path). */
  freeze(): void;
  /** Ends a freeze: connections from before it stay silent forever, the rest work. */
  healNewOnly(): void;
}

export async function startProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const upstreams = new Set<Socket>();
  let stalled = false;
  let frozen = false;
  const dead = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  const onConnection = (client: Socket) => {
    const upstream = dial(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    upstreams.add(upstream);
    if (stalled) upstream.pause();
    if (frozen) {
      client.pause();
      upstream.pause();
    }
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
      upstreams.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const open = () =>
    new Promise<void>((resolve, reject) => {
      const next = createServer(onConnection);
      next.once("error", reject);
      next.listen(port, "127.0.0.1", () => {
        const address = next.address();
        if (address && typeof address === "object") port = address.port;
        server = next;
        resolve();
      });
    });

  await open();
  return {
    get port() {
      return port;
    },
    async close() {
      const closing = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      upstreams.clear();
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    open,
    stall() {
      stalled = true;
      for (const upstream of upstreams) upstream.pause();
    },
    resume() {
      stalled = false;
      for (const upstream of upstreams) upstream.resume();
    },
    freeze() {
      frozen = true;
      for (const socket of sockets) {
        socket.pause();
        dead.add(socket);
      }
    },
    healNewOnly() {
      frozen = false;
      for (const socket of sockets) if (!dead.has(socket)) socket.resume();
    },
  };
}
