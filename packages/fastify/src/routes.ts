/**
 * `routeTable(app)` for Fastify 5: the plugin's `onRoute` hook records every route registered
 * after it (in its context and the children), with the metadata of the keyward hooks the route
 * runs (`config.apiKey`, `apiKeyAuth()`, `webhookAuth()`).
 */
import { describeRoute, openApiPath, type RouteTableEntry, routeMetadata } from "@keyward/core/http";
import type { FastifyInstance, RouteOptions } from "fastify";

/** Where the plugin keeps the routes it saw (a decoration shared with child contexts). */
const ROUTES = Symbol.for("keyward.fastify.routes");

const hooksOf = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Makes the plugin record routes; called once by `keywardPlugin`. */
export function recordRoutes(fastify: FastifyInstance): void {
  const rows: RouteTableEntry[] = [];
  fastify.decorate(ROUTES, rows);
  fastify.addHook("onRoute", (route: RouteOptions) => {
    const chain = [...hooksOf(route.onRequest), ...hooksOf(route.preHandler)]
      .map(routeMetadata)
      .filter((m) => m !== undefined);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) rows.push(describeRoute(method, openApiPath(route.url), chain));
  });
}

/**
 * Every route registered after `keywardPlugin` (in the context it was registered in and below),
 * with how it is protected: `"apiKey"` (`config.apiKey`, `protect`, or an `apiKeyAuth()` hook),
 * `"webhook"` (`webhookAuth()`), `"none"`. Paths in OpenAPI template form (`/v1/tasks/{id}`);
 * the HEAD routes Fastify adds beside GET routes are left out. A context-level
 * `addHook(app.apiKeyAuth(…))` is not visible here: declare a prefix's auth as plugin defaults
 * (`register(keywardPlugin, { keyward, protect: true, scopes })` inside that prefix) instead.
 *
 * @throws TypeError when `keywardPlugin` is not registered on `app` (call it after `app.ready()`
 *   or once the routes are registered)
 * @example
 * await app.ready();
 * console.table(routeTable(app));
 */
export function routeTable(app: FastifyInstance): RouteTableEntry[] {
  const rows = (app as unknown as Record<symbol, RouteTableEntry[] | undefined>)[ROUTES];
  if (!Array.isArray(rows)) {
    throw new TypeError("keyward routeTable: keywardPlugin is not registered on this Fastify instance");
  }
  const gets = new Set(rows.filter((r) => r.method === "GET").map((r) => r.path));
  return rows.filter((r) => !(r.method === "HEAD" && gets.has(r.path))).map((r) => ({ ...r }));
}
