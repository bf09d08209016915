/**
 * Derives what an operation requires from the document: the `x-required-scopes` /
 * `x-required-any-scopes` extensions first, else the scopes of its `security` requirement
 * (OpenAPI 3.1 §4.8.30: alternatives are OR, the schemes inside one alternative are AND).
 */
import type { ScopeRequirement } from "@keyward/core";
import type { OperationRequirement } from "./types.js";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The names of the security schemes keyward authenticates: `apiKey` schemes and `http` schemes
 * whose `scheme` is `bearer` (case-insensitive, RFC 7235 §2.1).
 */
export function keywardSchemes(document: Json): ReadonlySet<string> {
  const components = isObject(document.components) ? document.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  const names = new Set<string>();
  for (const [name, scheme] of Object.entries(schemes)) {
    if (!isObject(scheme)) continue;
    const bearer = scheme.type === "http" && String(scheme.scheme).toLowerCase() === "bearer";
    if (scheme.type === "apiKey" || bearer) names.add(name);
  }
  return names;
}

function stringList(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw new TypeError(`keyward openapi: ${where} must be a list of scope strings`);
  }
  return [...new Set(value as string[])];
}

const group = (scopes: readonly string[]): string =>
  scopes.length === 1 ? (scopes[0] as string) : `(${scopes.join(" AND ")})`;

/** Several all-of groups joined by OR, in keyward's requirement forms. */
function alternatives(groups: readonly (readonly string[])[]): ScopeRequirement {
  if (groups.length === 1) return groups[0] as string[];
  if (groups.some((scopes) => scopes.length === 0)) return []; // one alternative asks for no scope
  if (groups.every((scopes) => scopes.length === 1))
    return { anyOf: groups.map((scopes) => scopes[0] as string) };
  return groups.map(group).join(" OR ");
}

/**
 * The requirement of one operation.
 *
 * @param operation - the Operation Object
 * @param inherited - the document's top-level `security`, used when the operation has none
 * @param schemes - from {@link keywardSchemes}
 * @param where - `"GET /v1/tasks"`, for error messages
 * @throws TypeError when an extension is not a list of strings, or an operation is both
 *   declared public (`security: []`) and given required scopes
 */
export function operationRequirement(
  operation: Json,
  inherited: unknown,
  schemes: ReadonlySet<string>,
  where: string,
): OperationRequirement {
  const all = operation["x-required-scopes"];
  const any = operation["x-required-any-scopes"];
  const security = operation.security ?? inherited;

  if (all !== undefined || any !== undefined) {
    if (Array.isArray(security) && security.length === 0) {
      throw new TypeError(
        `keyward openapi: ${where} declares required scopes but "security: []" makes it public; remove one of them`,
      );
    }
    const anonymous =
      Array.isArray(security) && security.some((item) => isObject(item) && Object.keys(item).length === 0);
    const kind = anonymous ? "optional" : "scopes";
    const allOf = all === undefined ? [] : stringList(all, `${where} x-required-scopes`);
    if (any === undefined) return { kind, scopes: allOf, source: "x-required-scopes" };
    const anyOf = stringList(any, `${where} x-required-any-scopes`);
    if (allOf.length === 0) return { kind, scopes: { anyOf }, source: "x-required-any-scopes" };
    // Both: every scope of the first and one of the second.
    const query = [...allOf, anyOf.length === 1 ? anyOf[0] : `(${anyOf.join(" OR ")})`].join(" AND ");
    return { kind, scopes: query, source: "x-required-scopes" };
  }

  if (!Array.isArray(security) || security.length === 0) return { kind: "public", source: "security" };
  const groups: string[][] = [];
  let anonymous = false;
  for (const item of security) {
    if (!isObject(item)) continue;
    const names = Object.keys(item);
    if (names.length === 0) anonymous = true;
    const ours = names.filter((name) => schemes.has(name));
    if (ours.length === 0) continue;
    const scopes = ours.flatMap((name) => stringList(item[name], `${where} security.${name}`));
    groups.push([...new Set(scopes)]);
  }
  if (groups.length === 0)
    return anonymous ? { kind: "public", source: "security" } : { kind: "external", source: "security" };
  return { kind: anonymous ? "optional" : "scopes", scopes: alternatives(groups), source: "security" };
}

/** Every scope a requirement names, in order, without duplicates. */
export function scopesOf(requirement: OperationRequirement): string[] {
  if (requirement.kind === "public" || requirement.kind === "external") return [];
  const { scopes } = requirement;
  if (typeof scopes === "string") {
    return [
      ...new Set(scopes.split(/[\s()]+/).filter((word) => word !== "" && word !== "AND" && word !== "OR")),
    ];
  }
  return [...("anyOf" in scopes ? scopes.anyOf : scopes)];
}
