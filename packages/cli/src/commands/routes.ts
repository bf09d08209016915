/**
 * `keyward routes --app <module> | --app-dir <dir>`: the route table of an Express or Fastify app
 * (a module exporting it) or of a Next.js `app/` tree — what the outside world can call, and
 * how each route is protected.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { RouteTableEntry } from "@keyward/core";
import { UsageError } from "../errors.js";
import { renderTable } from "../output/table.js";
import { type CommandContext, type CommandSpec, printJson, stringOption } from "./types.js";

type Adapter = "@keyward/express" | "@keyward/fastify" | "@keyward/next";

/** Loads an adapter's `routeTable` (an optional peer dependency of the CLI). */
async function tableOf(
  adapter: Adapter,
): Promise<(input: never) => RouteTableEntry[] | Promise<RouteTableEntry[]>> {
  try {
    const loaded =
      adapter === "@keyward/express"
        ? await import("@keyward/express")
        : adapter === "@keyward/fastify"
          ? await import("@keyward/fastify")
          : await import("@keyward/next");
    return loaded.routeTable as (input: never) => RouteTableEntry[];
  } catch (error) {
    throw new UsageError(`keyward routes needs ${adapter} installed beside the CLI`, { cause: error });
  }
}

/**
 * The app a module exports: `default` or `app`, awaited (a module may export a promise of it),
 * with the module itself (its other exports, such as `keyward`).
 */
async function appFrom(
  cwd: string,
  file: string,
): Promise<{ app: unknown; module: Record<string, unknown> }> {
  const url = pathToFileURL(resolve(cwd, file)).href;
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(
      `cannot load --app ${file}: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
  const app = await (module.default ?? module.app);
  if (app === undefined || app === null)
    throw new UsageError(`--app ${file} exports no app (default or "app")`);
  return { app, module };
}

async function routesOfApp(app: unknown, file: string): Promise<RouteTableEntry[]> {
  const candidate = app as { ready?: unknown; inject?: unknown; use?: unknown };
  if (typeof candidate.ready === "function" && typeof candidate.inject === "function") {
    await (candidate.ready as () => Promise<unknown>).call(app);
    return (await tableOf("@keyward/fastify"))(app as never);
  }
  if (typeof candidate.use === "function") return (await tableOf("@keyward/express"))(app as never);
  throw new UsageError(`--app ${file} exports neither an Express nor a Fastify app`);
}

/**
 * The route table of `--app <module>` (Express or Fastify) or `--app-dir <dir>` (Next.js), and
 * the module `--app` loaded (its other exports, such as `keyward`).
 *
 * @param command - the command's name, for the usage error
 */
export async function loadRoutes(
  context: CommandContext,
  command: string,
): Promise<{ rows: RouteTableEntry[]; module: Record<string, unknown> | null }> {
  const app = stringOption(context.values, "app");
  const appDir = stringOption(context.values, "app-dir");
  if ((app === undefined) === (appDir === undefined))
    throw new UsageError(`${command} needs exactly one of --app or --app-dir`);
  if (app !== undefined) {
    const loaded = await appFrom(context.io.cwd, app);
    return { rows: await routesOfApp(loaded.app, app), module: loaded.module };
  }
  const table = await tableOf("@keyward/next");
  return { rows: await table({ appDir: resolve(context.io.cwd, appDir!) } as never), module: null };
}

const show = (value: unknown): string =>
  value === null || value === undefined ? "-" : typeof value === "string" ? value : JSON.stringify(value);

/** `keyward routes`. */
export const routesCommand: CommandSpec = {
  name: "routes",
  summary: "list what the outside world can call: every route, its auth, scopes and rate limits",
  positionals: { min: 0, max: 0 },
  usesStore: false,
  options: {
    app: { type: "string", value: "<module>", description: "a module exporting an Express or Fastify app" },
    "app-dir": { type: "string", value: "<dir>", description: "a Next.js App Router directory (app/)" },
  },
  details:
    "Modules are imported, as the application would be: --app needs JavaScript (a build output) and\n" +
    "--app-dir route modules Node can load (run under a TypeScript loader for .ts sources).",
  examples: ["keyward routes --app ./dist/app.js", "keyward routes --app-dir app/ --json"],
  async run(context) {
    const { rows } = await loadRoutes(context, "routes");
    if (context.json) {
      printJson(context.io, rows);
      return 0;
    }
    const table = rows.map((row) => [
      row.method,
      row.path,
      row.auth === "webhook" ? `webhook (${row.provider})` : row.optional ? "apiKey (optional)" : row.auth,
      show(Array.isArray(row.scopes) && row.scopes.length === 0 ? null : row.scopes),
      show(row.rateLimit),
    ]);
    context.io.stdout.write(renderTable(["METHOD", "PATH", "AUTH", "SCOPES", "RATE LIMIT"], table));
    return 0;
  },
};
