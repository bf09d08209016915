/**
 * Mounts the conformance route table on a Hono app served by @hono/node-server: routes with
 * route-level `apiKeyAuth()`, each group a sub-app with `use(apiKeyAuth())` mounted with
 * `app.route()`. Also used by the cross-adapter comparison in packages/next/test.
 */
import type { Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import {
  CONFORMANCE_CONTENT_TYPE,
  type ConformanceApp,
  type ConformanceRoute,
  type ConformanceSetup,
  conformanceBody,
  listenForConformance,
} from "@keyward/core/testing";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { type ApiKeyEnv, apiKeyAuth } from "../src/index.js";

type AppEnv = ApiKeyEnv<import("@keyward/core").ApiKey | null>;

const answer = (c: Context<AppEnv>) =>
  c.body(conformanceBody(c.var.apiKey), 200, { "content-type": CONFORMANCE_CONTENT_TYPE });

function mount(app: Hono<AppEnv>, setup: ConformanceSetup, routes: readonly ConformanceRoute[]): void {
  for (const route of routes) {
    if (route.auth === false) app.get(route.path, answer);
    else app.get(route.path, apiKeyAuth(setup.keyward, route.auth) as MiddlewareHandler<AppEnv>, answer);
  }
}

/** A `createApp` for `runAdapterConformance`. */
export function honoApp(setup: ConformanceSetup): Promise<ConformanceApp> {
  const app = new Hono<AppEnv>();
  mount(app, setup, setup.routes);
  for (const group of setup.groups) {
    const sub = new Hono<AppEnv>();
    sub.use(apiKeyAuth(setup.keyward, group.auth) as MiddlewareHandler<AppEnv>);
    mount(sub, setup, group.routes);
    app.route(group.prefix, sub);
  }
  return listenForConformance(createAdaptorServer({ fetch: app.fetch }) as Server);
}
