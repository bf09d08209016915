/**
 * `routeTable(app)` for Express 4 and 5: every route of an app with how it is protected, read
 * from Express's own router stack (Express 4 `app._router.stack`, Express 5 `app.router.stack`)
 * and the metadata `apiKeyAuth()` and `webhookAuth()` attach to the middleware they return.
 */
import {
  describeRoute,
  openApiPath,
  type RouteMetadata,
  type RouteTableEntry,
  routeMetadata,
} from "@keyward/core/http";

/** The parts of an Express 4 / router 2 layer the walk reads. */
interface Layer {
  handle?: { stack?: Layer[] };
  route?: { path: unknown; methods: Record<string, boolean>; stack: Layer[] };
  /** Express 5 (router 2): the path given to `use()` / `route()`. */
  rawPath?: unknown;
  /** Express 4: the compiled path; `fast_slash` for "/". */
  regexp?: RegExp & { fast_slash?: boolean };
  keys?: { name: string | number }[];
}

/** Middleware metadata in force below a path. */
interface Inherited {
  prefix: string;
  metadata: RouteMetadata;
}

/** The path a `use()` layer is mounted at, "" for the root. */
function mountPath(layer: Layer): string {
  if (typeof layer.rawPath === "string") return layer.rawPath === "/" ? "" : layer.rawPath;
  const regexp = layer.regexp;
  if (!regexp || regexp.fast_slash) return "";
  // Express 4 keeps only a RegExp: `^\/v1(?:\/([^/]+?))\/tasks\/?(?=\/|$)` → `/v1/:org/tasks`.
  let index = 0;
  return regexp.source
    .replace(/^\^/, "")
    .replace(/\\\/\?\(\?=\\\/\|\$\)$/, "")
    .replace(/\(\?:\\\/\(\[\^\/\]\+\?\)\)/g, () => `/:${String(layer.keys?.[index++]?.name ?? index)}`)
    .replace(/\\(.)/g, "$1");
}

const hasRoutes = (stack: readonly Layer[]): boolean =>
  stack.some(
    (layer) =>
      layer.route !== undefined || (Array.isArray(layer.handle?.stack) && hasRoutes(layer.handle.stack)),
  );

const join = (prefix: string, path: string): string => `${prefix}/${path}`.replace(/\/{2,}/g, "/");

function walk(
  stack: readonly Layer[],
  prefix: string,
  inherited: readonly Inherited[],
  rows: RouteTableEntry[],
): void {
  const inForce = [...inherited];
  for (const layer of stack) {
    if (layer.route) {
      const own = layer.route.stack.map((l) => routeMetadata(l.handle)).filter((m) => m !== undefined);
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const path of paths) {
        const full = join(prefix, String(path));
        const chain = inForce.filter(
          (i) => full === i.prefix || full.startsWith(`${i.prefix}/`) || i.prefix === "",
        );
        const methods = Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m]);
        for (const method of methods) {
          const name = method === "_all" ? "ALL" : method.toUpperCase();
          rows.push(describeRoute(name, openApiPath(full), [...chain.map((i) => i.metadata), ...own]));
        }
      }
    } else if (Array.isArray(layer.handle?.stack)) {
      const mount = join(prefix, mountPath(layer)).replace(/\/$/, "");
      if (hasRoutes(layer.handle.stack)) walk(layer.handle.stack, mount, inForce, rows);
      // A router that answers everything under its mount with middleware (keysRouter, a
      // sub-app's catch-all) is one catch-all row, as Fastify and Next show theirs.
      else
        rows.push(
          describeRoute(
            "ALL",
            `${mount}/{wildcard}`,
            inForce.map((i) => i.metadata),
          ),
        );
    } else {
      const metadata = routeMetadata(layer.handle);
      if (metadata) inForce.push({ prefix: join(prefix, mountPath(layer)).replace(/\/$/, ""), metadata });
    }
  }
}

/**
 * Every route of an Express 4 or 5 app (or router), with how it is protected: `auth` is
 * `"apiKey"` when an `apiKeyAuth()` runs for it (on the route, or on a router or app above it,
 * mounted before it), `"webhook"` for `webhookAuth()`, `"none"` otherwise. Paths are in OpenAPI
 * template form (`/v1/tasks/{id}`); scopes and rate limits of router and route combine.
 *
 * Only what is registered when it is called is listed; a route guarded by a middleware other
 * than keyward's shows `auth: "none"`.
 *
 * @example
 * console.table(routeTable(app));
 * // [{ method: "POST", path: "/v1/projects/{id}/tasks", auth: "apiKey", scopes: ["read", "writer"], rateLimit: [...] }, …]
 */
export function routeTable(app: object): RouteTableEntry[] {
  const holder = app as { _router?: { stack?: Layer[] }; router?: { stack?: Layer[] }; stack?: Layer[] };
  // Express 4 keeps the router in `_router`; Express 5 in `router`; a Router is its own stack.
  const stack = holder.stack ?? holder._router?.stack ?? holder.router?.stack;
  if (!Array.isArray(stack)) {
    throw new TypeError("keyward routeTable: expected an Express app or Router");
  }
  const rows: RouteTableEntry[] = [];
  walk(stack, "", [], rows);
  return rows;
}
