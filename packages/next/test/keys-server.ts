/**
 * Test helper: serves fetch-style route handlers (what a Next.js App Router route exports) on
 * a real Node HTTP server, converting Node requests to Web `Request`s and back, the way Next
 * does for a route handler.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

type Method = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";
type Handlers = Partial<Record<Method, (request: Request) => Promise<Response>>>;

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? undefined : Buffer.concat(chunks);
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
    const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req);
    const response = await handler(
      new Request(url, { method, headers, ...(body ? { body: new Uint8Array(body) } : {}) }),
    );
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
