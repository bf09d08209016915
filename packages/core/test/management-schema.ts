/**
 * Test helper: checks response bodies against the component schemas of a served OpenAPI
 * document with Ajv's draft 2020-12 validator, so the document is proven to describe what the
 * API really sends.
 */
import { Ajv2020 } from "ajv/dist/2020.js";

/** Returns Ajv's error list for `value` against `#/components/schemas/<id>` (empty when it matches). */
export type SchemaCheck = (id: string, value: unknown) => string[];

export function schemaChecker(document: Record<string, unknown>): SchemaCheck {
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
