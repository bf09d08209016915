/**
 * `routeTable({ appDir })` for Next.js: walks the App Router tree, imports each `route.*`
 * module and reads, from every exported HTTP method, the metadata `withApiKeyAuth()` and
 * `webhookAuth()` attach to the handlers they return.
 */
import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { describeRoute, type RouteTableEntry, routeMetadata } from "@keyward/core/http";

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
const ROUTE_FILE = /^route\.(?:ts|tsx|js|jsx|mjs|cjs|mts)$/;

/** Options of {@link routeTable}. */
export interface NextRouteTableOptions {
  /** The App Router directory (`app/` or `src/app/`). */
  appDir: string;
  /**
   * How a route module is loaded. Default: `import()` of its file URL, which needs modules Node
   * can run (JavaScript, or TypeScript under a loader such as a test runner's or `jiti`).
   */
  load?: (file: string) => Promise<Record<string, unknown>>;
}

/** `api/tasks/[id]` → `/api/tasks/{id}`: route groups and parallel-route slots dropped, catch-alls named. */
function routePath(segments: readonly string[]): string {
  const parts: string[] = [];
  for (const segment of segments) {
    if (/^\(.*\)$/.test(segment) || segment.startsWith("@")) continue;
    const dynamic = /^\[{1,2}(?:\.\.\.)?([^\]]+)\]{1,2}$/.exec(segment);
    parts.push(dynamic ? `{${dynamic[1]}}` : segment);
  }
  return `/${parts.join("/")}`;
}

async function routeFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    // Private folders (`_components`) are not routes.
    if (entry.isDirectory() && !entry.name.startsWith("_") && entry.name !== "node_modules") {
      found.push(...(await routeFiles(join(dir, entry.name))));
    } else if (entry.isFile() && ROUTE_FILE.test(entry.name)) {
      found.push(join(dir, entry.name));
    }
  }
  return found;
}

/**
 * Every route handler of a Next.js App Router tree with how it is protected: `"apiKey"` for a
 * `withApiKeyAuth()` handler (nested wrappers combine), `"webhook"` for `webhookAuth()`,
 * `"none"` for anything else. Paths in OpenAPI template form (`/api/tasks/{id}`), sorted.
 * Importing runs each module, as Next does when it serves it.
 *
 * @example
 * const rows = await routeTable({ appDir: "app" });
 */
export async function routeTable(options: NextRouteTableOptions): Promise<RouteTableEntry[]> {
  if (typeof options !== "object" || options === null || typeof options.appDir !== "string") {
    throw new TypeError('keyward routeTable option "appDir": expected the path of the app/ directory');
  }
  const load = options.load ?? ((file: string) => import(pathToFileURL(file).href));
  const files = (await routeFiles(options.appDir)).sort();
  const rows: RouteTableEntry[] = [];
  for (const file of files) {
    const segments = relative(options.appDir, file).split(sep).slice(0, -1);
    const path = routePath(segments);
    const module = await load(file);
    for (const method of METHODS) {
      const handler = module[method];
      if (typeof handler !== "function") continue;
      const metadata = routeMetadata(handler);
      rows.push(describeRoute(method, path, metadata ? [metadata] : []));
    }
  }
  return rows;
}
