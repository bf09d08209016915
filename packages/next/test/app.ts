/**
 * Serves the conformance route table through `withApiKeyAuth` behind a tiny node:http → Web
 * `Request` bridge (what Next does for a route handler). A group is a wrapped handler wrapped
 * again by the router-level `withApiKeyAuth`. Also used by the cross-adapter comparison.
 */
import { createServer } from "node:http";
import type { ApiKey } from "@keyward/core";
import {
  CONFORMANCE_CONTENT_TYPE,
  type ConformanceApp,
  type ConformanceRoute,
  type ConformanceSetup,
  conformanceBody,
  listenForConformance,
  type WebhookConformanceRoute,
  webhookConformanceBody,
} from "@keyward/core/testing";
import { webhookAuth, withApiKeyAuth } from "../src/index.js";

type Context = { params: Promise<Record<string, string>>; apiKey?: ApiKey | null };
type Handler = (request: Request, context: Context) => Promise<Response>;

const answer: Handler = async (_request, context) =>
  new Response(conformanceBody(context.apiKey), { headers: { "content-type": CONFORMANCE_CONTENT_TYPE } });

function routeHandler(setup: ConformanceSetup, route: ConformanceRoute): Handler {
  return route.auth === false
    ? answer
    : withApiKeyAuth<string, typeof route.auth, Context>(setup.keyward, answer, route.auth);
}

/** A `createApp` for `runAdapterConformance`. */
export function nextApp(setup: ConformanceSetup): Promise<ConformanceApp> {
  const table = new Map<string, Handler>();
  for (const route of setup.routes) table.set(route.path, routeHandler(setup, route));
  for (const group of setup.groups) {
    for (const route of group.routes) {
      const inner = routeHandler(setup, route);
      table.set(
        group.prefix + route.path,
        withApiKeyAuth<string, typeof group.auth, Context>(setup.keyward, inner, group.auth),
      );
    }
  }
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    const handler = table.get(url.pathname);
    if (!handler) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const headers = new Headers();
    // Every header line, repeated ones appended (Next keeps them; req.headers drops a second Authorization).
    for (const [name, values] of Object.entries(req.headersDistinct)) {
      for (const value of values ?? []) headers.append(name, value);
    }
    const response = await handler(new Request(url, { method: req.method, headers }), {
      params: Promise.resolve({}),
    });
    res.statusCode = response.status;
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  return listenForConformance(server);
}

/** A `CreateWebhookApp`: `webhookAuth` handlers behind the same bridge, the request body streamed in. */
export function nextWebhookApp(routes: readonly WebhookConformanceRoute[]): Promise<ConformanceApp> {
  const table = new Map<string, (request: Request, context: unknown) => Promise<Response>>();
  for (const route of routes) {
    table.set(
      route.path,
      webhookAuth(route.options, async (request) => {
        // The handler can still read the body itself: webhookAuth read a clone.
        const bytes = new Uint8Array(await request.arrayBuffer());
        return new Response(webhookConformanceBody(bytes), {
          headers: { "content-type": CONFORMANCE_CONTENT_TYPE },
        });
      }),
    );
  }
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    const handler = table.get(url.pathname);
    if (!handler) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === "string") headers.set(name, value);
    const response = await handler(
      new Request(url, { method: req.method, headers, body: Buffer.concat(chunks) }),
      {},
    );
    res.statusCode = response.status;
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  return listenForConformance(server);
}
