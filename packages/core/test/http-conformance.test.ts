/**
 * The conformance suite against the smallest possible adapter: node:http and
 * createAuthenticator, nothing else. It shows what an adapter has to do (map the request, copy
 * the outcome, pass the router's success to the route) and keeps the suite honest without any
 * framework installed.
 */
import { createServer, type ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Authenticator,
  type AuthSuccess,
  createAuthenticator,
  type HttpResponse,
} from "../src/index.js";
import {
  CONFORMANCE_CONTENT_TYPE,
  type ConformanceSetup,
  conformanceBody,
  listenForConformance,
  runAdapterConformance,
} from "../src/testing/index.js";

function send(res: ServerResponse, response: HttpResponse): void {
  res.writeHead(response.status, response.headers).end(response.body);
}

function rawApp(setup: ConformanceSetup) {
  const table = new Map<string, (Authenticator | null)[]>();
  for (const route of setup.routes) {
    table.set(route.path, [route.auth === false ? null : createAuthenticator(setup.keyward, route.auth)]);
  }
  for (const group of setup.groups) {
    const outer = createAuthenticator(setup.keyward, group.auth);
    for (const route of group.routes) {
      const inner = route.auth === false ? null : createAuthenticator(setup.keyward, route.auth);
      table.set(group.prefix + route.path, [outer, inner]);
    }
  }
  return listenForConformance(
    createServer(async (req, res) => {
      const chain = table.get(new URL(req.url ?? "/", "http://x").pathname);
      if (!chain) return void res.writeHead(404).end();
      let previous: AuthSuccess | null = null;
      const headers: Record<string, string> = {};
      for (const authenticate of chain) {
        if (!authenticate) continue;
        const outcome = await authenticate(
          { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headersDistinct },
          previous,
        );
        if (!outcome.ok)
          return send(res, { ...outcome.response, headers: { ...headers, ...outcome.response.headers } });
        Object.assign(headers, outcome.headers);
        previous = outcome;
      }
      const body = conformanceBody(previous?.key);
      send(res, { status: 200, headers: { ...headers, "Content-Type": CONFORMANCE_CONTENT_TYPE }, body });
    }),
  );
}

describe("node:http + createAuthenticator", () => {
  runAdapterConformance({ describe, it, expect, beforeAll, afterAll }, rawApp);
});
