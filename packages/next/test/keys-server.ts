/**
 * Test helper: serves fetch-style route handlers (what a Next.js App Router route exports) on
 * a real Node HTTP server, converting Node requests to Web `Request`s and back, the way Next
 * does for a route handler.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

type Method = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";
type Handlers = Partial<Record<Method, (request: Request) => Promise<Response>>>;

/**
 * The request body as a Web stream that follows backpressure, like Next's. Cancelling it (a
 * handler refusing the rest of a body) stops keeping the bytes and drains the socket instead
 * of destroying it, so the answer can still be written; the connection is then closed.
 */
function bodyStream(req: IncomingMessage): { stream: ReadableStream<Uint8Array>; cancelled(): boolean } {
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on("data", (chunk: Buffer) => {
          controller.enqueue(new Uint8Array(chunk));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.on("end", () => cancelled || controller.close());
        req.on("error", (error) => cancelled || controller.error(error));
        req.pause();
      },
      pull() {
        req.resume();
      },
      cancel() {
        cancelled = true;
        req.removeAllListeners("data");
        req.resume();
      },
    },
    { highWaterMark: 65_536, size: (chunk) => chunk.byteLength },
  );
  return { stream, cancelled: () => cancelled };
}

/** Serves `handlers` for every path under `mount`; answers 404 elsewhere and 405 for a method without a handler. */
export async function serveHandlers(
  mount: string,
  handlers: Handlers,
): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    const method = req.method ?? "GET";
    const handler = handlers[method as Method];
    if (!url.pathname.startsWith(`${mount}/`) || handler === undefined) {
      res.statusCode = handler === undefined ? 405 : 404;
      res.end();
      return;
    }
    const headers = new Headers();
    // Every header line, repeated ones appended (Next keeps them; req.headers drops a second Authorization).
    for (const [name, values] of Object.entries(req.headersDistinct)) {
      for (const value of values ?? []) headers.append(name, value);
    }
    // The body streams through, as in Next: nothing is buffered before the handler runs.
    const body = method === "GET" || method === "HEAD" ? undefined : bodyStream(req);
    const init = { method, headers, body: body?.stream, duplex: "half" };
    const response = await handler(new Request(url, init as RequestInit));
    if (body?.cancelled()) res.setHeader("Connection", "close");
    res.statusCode = response.status;
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  server.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
