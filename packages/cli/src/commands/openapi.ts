import { mkdir, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { loadOpenApi, type OpenApiSpec, scopeTypesSource } from "@keyward/openapi";
import { CliError, UsageError } from "../errors.js";
import { type CommandContext, type CommandSpec, printJson, stringOption } from "./types.js";

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
