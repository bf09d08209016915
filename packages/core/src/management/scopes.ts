/**
 * `GET /scopes`: the catalogue of scopes and presets a caller may put on a key, with a
 * description for each, so a settings page never hard-codes them. Resolved once, when the API
 * is created; the answer is the same for every caller.
 */
import type { HttpResponse } from "../http/types.js";
import type { Keyward } from "../types.js";
import { jsonResponse } from "./responses.js";

/** One entry of the catalogue, as `GET /scopes` lists it. */
export interface ScopeCatalogueEntry {
  /** The scope (`"task:read"`, `"task:*"`) or preset name (`"writer"`) to send in `scopes`. */
  name: string;
  /** What it grants, in words; null when the host app gave none. */
  description: string | null;
  /** Whether `name` is one of keyward's presets. */
  preset: boolean;
  /** The scopes it grants: a preset's scopes, flattened; the scope itself otherwise. */
  scopes: readonly string[];
}

function fail(option: string, expected: string): never {
  throw new TypeError(`keyward: option "${option}" of createKeysApi() ${expected}`);
}

/**
 * The catalogue: `allowedScopes` in their order when given, otherwise keyward's presets and then
 * every scope they list. Descriptions come from `scopeDescriptions`, whose every name must be in
 * the catalogue (a misspelt name would otherwise describe nothing, silently).
 *
 * @throws TypeError naming `scopeDescriptions` for a non-object, a non-string description or a
 *   name that is not in the catalogue
 */
export function resolveScopeCatalogue(
  keyward: Keyward,
  allowedScopes: ReadonlySet<string> | null,
  descriptions: Readonly<Record<string, string>> | undefined,
): readonly ScopeCatalogueEntry[] {
  if (descriptions !== undefined && (descriptions === null || typeof descriptions !== "object")) {
    fail("scopeDescriptions", "must be an object of scope or preset name → description");
  }
  const { presets } = keyward;
  const names =
    allowedScopes !== null
      ? [...allowedScopes]
      : [...new Set([...presets.keys(), ...[...presets.values()].flat()])];
  const given = descriptions ?? {};
  for (const [name, text] of Object.entries(given)) {
    if (typeof text !== "string" || text.trim() === "") {
      fail(`scopeDescriptions.${name}`, "must be a non-empty string");
    }
    if (!names.includes(name)) {
      fail(
        `scopeDescriptions.${name}`,
        allowedScopes !== null
          ? "names a scope that allowedScopes does not list"
          : "names neither a preset nor a scope of a preset (list it in allowedScopes to describe it)",
      );
    }
  }
  return Object.freeze(
    names.map((name) =>
      Object.freeze({
        name,
        description: Object.hasOwn(given, name) ? given[name]!.trim() : null,
        preset: presets.has(name),
        scopes: presets.get(name) ?? Object.freeze([name]),
      }),
    ),
  );
}

/** The answer to `GET /scopes`. */
export function listScopes(context: {
  options: { scopeCatalogue: readonly ScopeCatalogueEntry[] };
}): HttpResponse {
  return jsonResponse(200, { items: context.options.scopeCatalogue });
}
