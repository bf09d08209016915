import { mkdir, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { createScopes } from "@keyward/core";
import {
  checkOpenApi,
  formatFinding,
  loadOpenApi,
  type OpenApiSpec,
  type ScopeConfiguration,
  scopeTypesSource,
} from "@keyward/openapi";
import { CliError, UsageError } from "../errors.js";
import { loadRoutes } from "./routes.js";
import { type CommandContext, type CommandSpec, listOption, printJson, stringOption } from "./types.js";

/** Loads `--spec`, resolved against the run's working directory; a bad document is one line. */
async function loadSpec(context: CommandContext): Promise<{ spec: OpenApiSpec; file: string }> {
  const given = stringOption(context.values, "spec");
  if (given === undefined)
    throw new UsageError(`keyward openapi needs --spec <file>, e.g. --spec openapi/v1.yaml`);
  const file = resolve(context.io.cwd, given);
  try {
    return { spec: await loadOpenApi(file), file };
  } catch (error) {
    // The validator lists several errors on separate lines; the CLI prints one line.
    throw new CliError((error as Error).message.replace(/^keyward openapi: /, "").replace(/\n+/g, "; "));
  }
}

/** `keyward openapi types --spec … --out src/scopes.ts`. */
export const openapiTypes: CommandSpec = {
  name: "openapi types",
  summary: "write the spec's scope catalogue (and x-scope-presets) as TypeScript for the compiler",
  positionals: { min: 0, max: 0 },
  usesStore: false,
  options: {
    spec: {
      type: "string",
      value: "<file>",
      description: "the OpenAPI 3.0/3.1 document, YAML or JSON (required)",
    },
    out: { type: "string", value: "<file>", description: "the TypeScript file to write (required)" },
  },
  details:
    "Exports `scopes`, `Scope` (their union), `scopeDescriptions` and, when the spec declares\n" +
    "x-scope-presets, `scopePresets` for createKeyward({ scopes }) so preset and scope names are checked.",
  examples: ["keyward openapi types --spec openapi/v1.yaml --out src/scopes.ts"],
  async run(context) {
    const out = stringOption(context.values, "out");
    if (out === undefined)
      throw new UsageError("keyward openapi types needs --out <file>, e.g. --out src/scopes.ts");
    const { spec, file } = await loadSpec(context);
    const target = resolve(context.io.cwd, out);
    const source = scopeTypesSource(spec, relative(dirname(target), file).replaceAll("\\", "/"));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, source);
    const count = spec.catalogue.names.length;
    if (context.json)
      printJson(context.io, {
        out: target,
        scopes: spec.catalogue.names,
        presets: Object.keys(spec.catalogue.presets),
      });
    else
      context.io.stdout.write(
        `wrote ${count} scope${count === 1 ? "" : "s"} to ${relative(context.io.cwd, target) || target}\n`,
      );
    return 0;
  },
};

/** keyward's presets: the `keyward` the app module exports, else those of keyward.config.json. */
function scopeConfiguration(
  context: CommandContext,
  module: Record<string, unknown> | null,
): ScopeConfiguration {
  const exported = module?.keyward as Partial<ScopeConfiguration> | undefined;
  if (exported?.presets instanceof Map) return exported as ScopeConfiguration;
  // The presets flattened exactly as the application's createKeyward() flattens them.
  return { presets: createScopes(context.config.scopes ?? {}).presets };
}

/** `keyward openapi check --spec … (--app <module> | --app-dir <dir>)`: the CI gate. */
export const openapiCheck: CommandSpec = {
  name: "openapi check",
  summary: "fail (exit 1) when the OpenAPI document, the app's routes and keyward's presets disagree",
  positionals: { min: 0, max: 0 },
  usesStore: false,
  options: {
    spec: {
      type: "string",
      value: "<file>",
      description: "the OpenAPI 3.0/3.1 document, YAML or JSON (required)",
    },
    app: { type: "string", value: "<module>", description: "a module exporting the Express or Fastify app" },
    "app-dir": { type: "string", value: "<dir>", description: "a Next.js App Router directory (app/)" },
    ignore: {
      type: "string",
      multiple: true,
      value: "<path>",
      description: "leave routes and operations under this path prefix out (repeatable)",
    },
  },
  details:
    "Finds: scopes an operation uses that the catalogue lacks (unknown-scope); catalogue scopes no preset\n" +
    "grants (unconfigured-scope); operations no route serves (missing-handler); routes the document lacks\n" +
    "(undocumented-route); routes whose scopes differ (scope-mismatch); public/protected disagreements\n" +
    "(auth-mismatch); routes without keyward under a protected prefix (unprotected-route). One line per\n" +
    "finding; exit 1 on any. keyward's presets come from the `keyward` export of --app, else keyward.config.json.",
  examples: [
    "keyward openapi check --spec openapi/v1.yaml --app ./dist/main.js",
    "keyward openapi check --spec openapi/v1.yaml --app-dir app/ --json",
  ],
  async run(context) {
    const { spec } = await loadSpec(context);
    const { rows, module } = await loadRoutes(context, "openapi check");
    const keyward = scopeConfiguration(context, module);
    const findings = checkOpenApi(spec, rows, keyward, { ignore: listOption(context.values, "ignore") });
    if (context.json) printJson(context.io, { ok: findings.length === 0, findings });
    else if (findings.length === 0) {
      context.io.stdout.write(
        `no drift: ${spec.operations.length} operations, ${rows.length} routes, ${spec.catalogue.names.length} scopes\n`,
      );
    } else for (const finding of findings) context.io.stdout.write(`${formatFinding(finding)}\n`);
    return findings.length === 0 ? 0 : 1;
  },
};
