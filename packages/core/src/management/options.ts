/**
 * Resolves `KeysApiOptions` once, at construction: every bad option throws a `TypeError` that
 * names it, and the request path reads only the frozen result.
 */
import { parseDuration } from "../duration/index.js";
import { AUTH_OPTION_NAMES } from "../http/options.js";
import { checkOptionNames } from "../options/check.js";
import { isScope } from "../scopes/index.js";
import type { Duration, Keyward } from "../types.js";
import { DEFAULT_BODY_LIMIT, parseBodyLimit } from "./body.js";
import { resolveScopeCatalogue, type ScopeCatalogueEntry } from "./scopes.js";
import { type ResolvedTokenExchange, resolveTokenExchange } from "./token.js";
import type { KeysApiAuthOptions, KeysApiDefaults, KeysApiOptions } from "./types.js";

/** What the request path reads. */
export interface ResolvedKeysApiOptions {
  owner: ((raw: unknown) => string | null | undefined | Promise<string | null | undefined>) | null;
  auth: (KeysApiAuthOptions & { readScope: string; writeScope: string; keyward: Keyward }) | null;
  allowedScopes: ReadonlySet<string> | null;
  /** What `GET /scopes` lists. */
  scopeCatalogue: readonly ScopeCatalogueEntry[];
  defaults: KeysApiDefaults;
  /** Milliseconds, or null for unlimited. */
  maxExpiresIn: number | null;
  /** Milliseconds of `defaults.expiresIn ?? maxExpiresIn`, or null for no expiry. */
  defaultExpiresIn: number | null;
  editableLimits: boolean;
  openapi:
    | false
    | { title: string; version: string; description?: string; servers?: readonly { url: string }[] };
  problemTypeBase: string | undefined;
  maxPageSize: number;
  /** Bytes. */
  bodyLimit: number;
  clock: () => number;
  /** `POST /token` and `GET /.well-known/jwks.json`, or false when they are off. */
  tokenExchange: ResolvedTokenExchange | false;
  /** The keyward has a role ceiling (`ownerScopes`): create and update may answer 403. */
  roleCeiling: boolean;
}

const PRESET_OR_SCOPE = /^[A-Za-z0-9_.-]+$/;

/** Every option name of `createKeysApi()`, for adapters that check names under their own factory name. */
export const KEYS_API_OPTION_NAMES: readonly string[] = Object.freeze([
  "owner",
  "auth",
  "allowedScopes",
  "defaults",
  "maxExpiresIn",
  "editableLimits",
  "openapi",
  "problemTypeBase",
  "maxPageSize",
  "clock",
  "bodyLimit",
  "tokenExchange",
  "scopeDescriptions",
]);
const WHERE = "createKeysApi()";
const AUTH_NAMES = [
  // What decides per route (scopes, optional, fail-open, an OpenAPI document) is the API's own.
  ...AUTH_OPTION_NAMES.filter(
    (name) => !["scopes", "optional", "failOpen", "openapi", "operationId", "unknownRoutes"].includes(name),
  ),
  "keyward",
  "readScope",
  "writeScope",
];
const DEFAULTS_NAMES = ["scopes", "expiresIn", "rateLimit", "quota", "metadata"];
const OPENAPI_NAMES = ["title", "version", "description", "servers"];

function fail(option: string, expected: string): never {
  throw new TypeError(`keyward: option "${option}" of createKeysApi() ${expected}`);
}

function duration(value: Duration, option: string): number {
  const ms = parseDuration(value, option);
  if (ms <= 0) fail(option, "must be a positive duration");
  return ms;
}

function resolveAuth(keyward: Keyward, auth: KeysApiOptions["auth"]): ResolvedKeysApiOptions["auth"] {
  if (auth === undefined || auth === false) return null;
  const given: KeysApiAuthOptions = auth === true ? {} : auth;
  if (typeof given !== "object" || given === null) fail("auth", "must be an object or true");
  checkOptionNames(given, AUTH_NAMES, WHERE, "auth");
  const readScope = given.readScope ?? "keys:read";
  const writeScope = given.writeScope ?? "keys:write";
  if (!isScope(readScope)) fail("auth.readScope", 'must be a scope like "keys:read"');
  if (!isScope(writeScope)) fail("auth.writeScope", 'must be a scope like "keys:write"');
  return { ...given, readScope, writeScope, keyward: given.keyward ?? keyward };
}

function resolveAllowedScopes(list: KeysApiOptions["allowedScopes"]): ReadonlySet<string> | null {
  if (list === undefined) return null;
  if (!Array.isArray(list)) fail("allowedScopes", "must be an array of scopes or preset names");
  for (const scope of list) {
    if (typeof scope !== "string" || !(isScope(scope) || PRESET_OR_SCOPE.test(scope))) {
      fail("allowedScopes", `must list scopes or preset names, got ${JSON.stringify(scope)}`);
    }
  }
  return new Set(list);
}

function resolveOpenApi(value: KeysApiOptions["openapi"]): ResolvedKeysApiOptions["openapi"] {
  if (value === false) return false;
  const given = value === undefined || value === true ? {} : value;
  if (typeof given !== "object" || given === null) fail("openapi", "must be a boolean or an object");
  checkOptionNames(given, OPENAPI_NAMES, WHERE, "openapi");
  return {
    title: given.title ?? "API keys",
    version: given.version ?? "1.0.0",
    ...(given.description === undefined ? {} : { description: given.description }),
    ...(given.servers === undefined ? {} : { servers: given.servers }),
  };
}

/** Validates and freezes the options of one management API. */
export function resolveKeysApiOptions(keyward: Keyward, options: KeysApiOptions): ResolvedKeysApiOptions {
  if (keyward === null || typeof keyward !== "object" || typeof keyward.create !== "function") {
    throw new TypeError(
      "keyward: createKeysApi() needs a keyward instance (from createKeyward()) as its first argument",
    );
  }
  if (options === null || typeof options !== "object") fail("options", "must be an object");
  checkOptionNames(options, KEYS_API_OPTION_NAMES, WHERE);
  if (options.owner !== undefined && typeof options.owner !== "function") fail("owner", "must be a function");
  const auth = resolveAuth(keyward, options.auth);
  if ((options.owner === undefined) === (auth === null)) {
    fail(
      "owner",
      'or "auth" is required, and only one of them: owner identifies callers by your session, auth by their API keys',
    );
  }
  const maxExpiresIn =
    options.maxExpiresIn === undefined ? null : duration(options.maxExpiresIn, "maxExpiresIn");
  const defaults = options.defaults ?? {};
  if (typeof defaults !== "object" || defaults === null) fail("defaults", "must be an object");
  checkOptionNames(defaults, DEFAULTS_NAMES, WHERE, "defaults");
  const expiresIn =
    defaults.expiresIn === undefined ? null : duration(defaults.expiresIn, "defaults.expiresIn");
  if (expiresIn !== null && maxExpiresIn !== null && expiresIn > maxExpiresIn) {
    fail("defaults.expiresIn", "must not be longer than maxExpiresIn");
  }
  const maxPageSize = options.maxPageSize ?? 100;
  if (!Number.isInteger(maxPageSize) || maxPageSize < 1 || maxPageSize > 1000) {
    fail("maxPageSize", "must be a whole number from 1 to 1000");
  }
  if (options.clock !== undefined && typeof options.clock !== "function") fail("clock", "must be a function");

  const allowedScopes = resolveAllowedScopes(options.allowedScopes);
  return Object.freeze({
    owner: options.owner ?? null,
    auth,
    allowedScopes,
    scopeCatalogue: resolveScopeCatalogue(keyward, allowedScopes, options.scopeDescriptions),
    defaults,
    maxExpiresIn,
    defaultExpiresIn: expiresIn ?? maxExpiresIn,
    editableLimits: options.editableLimits === true,
    openapi: resolveOpenApi(options.openapi),
    problemTypeBase: options.problemTypeBase,
    maxPageSize,
    bodyLimit:
      options.bodyLimit === undefined ? DEFAULT_BODY_LIMIT : parseBodyLimit(options.bodyLimit, "bodyLimit"),
    clock: options.clock ?? Date.now,
    tokenExchange: resolveTokenExchange(keyward, options.tokenExchange),
    roleCeiling: keyward.ownerCeiling !== null,
  });
}
