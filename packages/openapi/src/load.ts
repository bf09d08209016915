/**
 * Loading a document (YAML or JSON; validated and dereferenced by @readme/openapi-parser) and
 * compiling it into an {@link OpenApiSpec}.
 */
import { readFile } from "node:fs/promises";
import { compileErrors, dereference, validate } from "@readme/openapi-parser";
import { parse as parseYaml } from "yaml";
import { readCatalogue } from "./catalogue.js";
import { compilePaths } from "./match.js";
import { keywardSchemes, operationRequirement, scopesOf } from "./requirement.js";
import type { HttpMethod, OpenApiOperation, OpenApiOptions, OpenApiSpec } from "./types.js";

type Json = Record<string, unknown>;

const METHODS: readonly HttpMethod[] = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"];

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Loads an OpenAPI 3.0 or 3.1 document, validates it, dereferences it (internal `$ref`s only)
 * and compiles it.
 *
 * @param source - a file path (`.yaml`, `.yml` or `.json`), or the document as an object
 * @throws TypeError naming the file and every validation error when the document is not valid
 *   OpenAPI 3.x, or (see {@link compileOpenApi}) when its keyward extensions are malformed
 *
 * @example
 * const spec = await loadOpenApi("openapi/v1.yaml");
 * app.use("/v1", apiKeyAuth(keyward, { openapi: spec }));
 */
export async function loadOpenApi(
  source: string | object,
  options: OpenApiOptions = {},
): Promise<OpenApiSpec> {
  const label = typeof source === "string" ? source : "the document";
  let document: unknown = source;
  if (typeof source === "string") {
    let text: string;
    try {
      text = await readFile(source, "utf8");
    } catch (error) {
      throw new TypeError(`keyward openapi: cannot read ${source}: ${(error as Error).message}`);
    }
    try {
      document = parseYaml(text); // YAML 1.2 is a superset of JSON
    } catch (error) {
      throw new TypeError(`keyward openapi: ${source} is neither YAML nor JSON: ${(error as Error).message}`);
    }
  }
  if (!isObject(document) || typeof document.openapi !== "string" || !document.openapi.startsWith("3.")) {
    throw new TypeError(
      `keyward openapi: ${label} is not an OpenAPI 3.0 or 3.1 document (no "openapi: 3.x" field)`,
    );
  }
  const parserOptions = { resolve: { external: false } };
  const result = await validate(structuredClone(document) as never, parserOptions);
  if (!result.valid) {
    throw new TypeError(
      `keyward openapi: ${label} is not a valid OpenAPI document:\n${compileErrors(result)}`,
    );
  }
  const dereferenced = await dereference(structuredClone(document) as never, parserOptions);
  return compileOpenApi(dereferenced as object, options);
}

/**
 * Compiles an already parsed and dereferenced OpenAPI 3.x document (no validation: use
 * {@link loadOpenApi} for that). Synchronous, for bundlers that import the document as JSON.
 *
 * @throws TypeError when the document has no `paths`, when an operation's `x-required-scopes` /
 *   `x-required-any-scopes` is not a list of strings or contradicts `security: []`, or when
 *   `x-all-scopes` / `x-scope-presets` is malformed
 */
export function compileOpenApi(document: object, options: OpenApiOptions = {}): OpenApiSpec {
  const doc = document as Json;
  if (!isObject(doc.paths)) throw new TypeError('keyward openapi: the document has no "paths" object');
  const basePath = options.basePath ?? "";
  if (typeof basePath !== "string" || (basePath !== "" && !basePath.startsWith("/"))) {
    throw new TypeError(
      `keyward openapi: option "basePath" must be "" or start with "/", got ${JSON.stringify(basePath)}`,
    );
  }
  const schemes = keywardSchemes(doc);
  const operations: OpenApiOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const operation = item[method.toLowerCase()];
      if (!isObject(operation)) continue;
      const requirement = operationRequirement(operation, doc.security, schemes, `${method} ${path}`);
      operations.push(
        Object.freeze({
          method,
          path,
          operationId: typeof operation.operationId === "string" ? operation.operationId : undefined,
          requirement: Object.freeze(requirement),
          scopes: Object.freeze(scopesOf(requirement)),
        }),
      );
    }
  }

  const byMethod = new Map<string, ReturnType<typeof compilePaths<OpenApiOperation>>>();
  for (const method of METHODS) {
    const own = operations.filter((operation) => operation.method === method);
    if (own.length > 0)
      byMethod.set(
        method,
        compilePaths(
          own.map((op) => [op.path, op] as const),
          basePath,
        ),
      );
  }
  const byId = new Map(
    operations.flatMap((op) => (op.operationId === undefined ? [] : [[op.operationId, op] as const])),
  );

  return Object.freeze({
    document: doc,
    operations: Object.freeze(operations),
    catalogue: readCatalogue(doc),
    basePath,
    match(method: string, path: string): OpenApiOperation | null {
      const upper = method.toUpperCase();
      const found = byMethod.get(upper)?.find(path);
      if (found !== undefined) return found;
      // A HEAD request is served by the GET handler in Express, Fastify and Next alike.
      return upper === "HEAD" ? (byMethod.get("GET")?.find(path) ?? null) : null;
    },
    operation: (operationId: string) => byId.get(operationId),
  });
}
