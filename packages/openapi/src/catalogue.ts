/**
 * The scope catalogue: every scope the document declares, with descriptions, and the presets
 * it declares. Read from `x-all-scopes` and `components.schemas.Scope`.
 */
import type { ScopeCatalogue, ScopeEntry } from "./types.js";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const stringMap = (value: unknown): Map<string, string> => {
  const map = new Map<string, string>();
  if (isObject(value)) {
    for (const [name, text] of Object.entries(value)) if (typeof text === "string") map.set(name, text);
  }
  return map;
};

/**
 * Reads the catalogue:
 * - `x-all-scopes` (top level): a list of names, a list of `{ name, description }`, or a map
 *   name → description;
 * - `components.schemas.Scope`: its `enum` (descriptions from its `x-enum-descriptions`, a map
 *   or a list in enum order), or a `oneOf`/`anyOf` of `{ const, description }`;
 * - descriptions also from a top-level or Scope-level `x-scope-descriptions` map, and from the
 *   `scopes` maps of OAuth 2 flows (which OpenAPI defines with descriptions).
 *
 * @throws TypeError when `x-all-scopes` or `x-scope-presets` has the wrong shape
 */
export function readCatalogue(document: Json): ScopeCatalogue {
  const schemas =
    isObject(document.components) && isObject(document.components.schemas) ? document.components.schemas : {};
  const scopeSchema = isObject(schemas.Scope) ? schemas.Scope : {};
  const descriptions = new Map([
    ...oauthDescriptions(document),
    ...stringMap(document["x-scope-descriptions"]),
    ...stringMap(scopeSchema["x-scope-descriptions"]),
  ]);
  const order: string[] = [];
  const add = (name: string, description?: unknown) => {
    if (!order.includes(name)) order.push(name);
    if (typeof description === "string" && description !== "") descriptions.set(name, description);
  };

  const declared = document["x-all-scopes"];
  if (Array.isArray(declared)) {
    for (const item of declared) {
      if (typeof item === "string") add(item);
      else if (isObject(item) && typeof item.name === "string") add(item.name, item.description);
      else
        throw new TypeError(
          'keyward openapi: "x-all-scopes" entries must be scope names or { name, description }',
        );
    }
  } else if (isObject(declared)) {
    for (const [name, description] of Object.entries(declared)) add(name, description);
  } else if (declared !== undefined) {
    throw new TypeError(
      'keyward openapi: "x-all-scopes" must be a list of scopes or a map of scope → description',
    );
  }

  if (Array.isArray(scopeSchema.enum)) {
    const enumDescriptions = scopeSchema["x-enum-descriptions"];
    scopeSchema.enum.forEach((name, index) => {
      if (typeof name !== "string") return;
      add(
        name,
        Array.isArray(enumDescriptions) ? enumDescriptions[index] : stringMap(enumDescriptions).get(name),
      );
    });
  }
  for (const variants of [scopeSchema.oneOf, scopeSchema.anyOf]) {
    if (!Array.isArray(variants)) continue;
    for (const variant of variants) {
      if (isObject(variant) && typeof variant.const === "string") add(variant.const, variant.description);
    }
  }

  const scopes: ScopeEntry[] = order.map((name) =>
    Object.freeze({ name, description: descriptions.get(name) ?? "" }),
  );
  return Object.freeze({
    scopes: Object.freeze(scopes),
    names: Object.freeze(order),
    presets: readPresets(document["x-scope-presets"]),
  });
}

function oauthDescriptions(document: Json): Map<string, string> {
  const map = new Map<string, string>();
  const schemes =
    isObject(document.components) && isObject(document.components.securitySchemes)
      ? document.components.securitySchemes
      : {};
  for (const scheme of Object.values(schemes)) {
    if (!isObject(scheme) || !isObject(scheme.flows)) continue;
    for (const flow of Object.values(scheme.flows)) {
      if (isObject(flow)) for (const [name, text] of stringMap(flow.scopes)) map.set(name, text);
    }
  }
  return map;
}

function readPresets(value: unknown): Readonly<Record<string, readonly string[]>> {
  if (value === undefined) return Object.freeze({});
  if (!isObject(value))
    throw new TypeError('keyward openapi: "x-scope-presets" must be a map of preset name → scopes');
  const presets: Record<string, readonly string[]> = {};
  for (const [name, scopes] of Object.entries(value)) {
    if (!Array.isArray(scopes) || scopes.some((scope) => typeof scope !== "string")) {
      throw new TypeError(`keyward openapi: "x-scope-presets.${name}" must be a list of scopes`);
    }
    presets[name] = Object.freeze([...(scopes as string[])]);
  }
  return Object.freeze(presets);
}
