/**
 * The management scenario's OpenAPI checks: the served document validated as OpenAPI 3.1
 * (`@readme/openapi-parser`), and response bodies checked against its component schemas with
 * Ajv's draft 2020-12 validator, so the document is proven to describe what the API sends.
 * Both libraries are optional peer dependencies of `@keyward/core`, loaded only when the
 * scenario runs (store authors using `@keyward/core/testing` never need them).
 */

/** Returns Ajv's error list for `value` against `#/components/schemas/<id>` (empty when it matches). */
export type SchemaCheck = (id: string, value: unknown) => string[];

/** Loads both libraries up front, so no test waits on an import between two requests. */
export async function loadOpenApiTools(): Promise<{
  schemaChecker(document: Record<string, unknown>): SchemaCheck;
  validateOpenApiDocument(
    document: Record<string, unknown>,
  ): Promise<{ errors: string; warnings: unknown[] }>;
}> {
  const [{ Ajv2020 }, parser] = await Promise.all([
    import("ajv/dist/2020.js"),
    import("@readme/openapi-parser"),
  ]);
  return {
    schemaChecker: (document) => schemaChecker(Ajv2020, document),
    validateOpenApiDocument: async (document) => {
      const result = await parser.validate(await parser.parse(structuredClone(document) as never), {
        resolve: { external: false },
      });
      return { errors: result.valid ? "" : parser.compileErrors(result), warnings: result.warnings ?? [] };
    },
  };
}

/** A checker for the component schemas of `document`. */
function schemaChecker(
  Ajv2020: typeof import("ajv/dist/2020.js").Ajv2020,
  document: Record<string, unknown>,
): SchemaCheck {
  // Formats are not validated (Ajv ships none); the generated schemas carry a pattern for each.
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  const base = "https://keyward.test/openapi.json";
  ajv.addSchema({ $id: base, components: structuredClone(document["components"]) });
  return (id, value) => {
    const validate = ajv.getSchema(`${base}#/components/schemas/${id}`);
    if (validate === undefined) return [`no schema ${id}`];
    return validate(value)
      ? []
      : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
  };
}
