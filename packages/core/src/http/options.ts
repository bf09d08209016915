/**
 * Resolving `AuthOptions` once, at construction: defaults filled in, every value checked, a
 * `TypeError` naming the option for anything wrong. The request path reads the frozen result.
 */
import { checkOptionNames } from "../options/check.js";
import type { VerifyOptions } from "../types.js";
import type { CredentialSources } from "./credentials.js";
import { DEFAULT_PROBLEM_TYPE_BASE, type ProblemOptions } from "./problem.js";
import type { OnReject } from "./reject.js";
import type { AuthOptions, RateLimitHeadersFormat } from "./types.js";

/** `AuthOptions` after defaults and validation. */
export interface ResolvedAuthOptions {
  verify: VerifyOptions;
  optional: boolean;
  failOpen: boolean;
  sources: CredentialSources;
  realm: string;
  headersFormat: RateLimitHeadersFormat;
  problem: Required<ProblemOptions>;
  onReject: OnReject | null;
  /** Lower-case header name, or null: the adapter's own address. */
  trustedIpHeader: string | null;
}

/** Default header names that carry a bare key. */
export const DEFAULT_HEADER_NAMES: readonly string[] = Object.freeze(["x-api-key"]);

/** Query parameter used when `query: true`. */
export const DEFAULT_QUERY_PARAMETER = "api_key";

const KNOWN_OPTIONS = new Set([
  "scopes",
  "rateLimit",
  "cost",
  "optional",
  "bearer",
  "headerNames",
  "query",
  "realm",
  "headersFormat",
  "failOpen",
  "problemTypeBase",
  // read by operationAuthenticator (./operations.ts) before these options are resolved
  "openapi",
  "operationId",
  "unknownRoutes",
  "onReject",
  "trustedIpHeader",
]);

/** Every option name of `AuthOptions`, for adapters that check names under their own factory name. */
export const AUTH_OPTION_NAMES: readonly string[] = Object.freeze([...KNOWN_OPTIONS]);

const FORMATS = new Set<unknown>(["draft-10", "draft-7", "draft-6", false]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const PARAMETER = /^[A-Za-z0-9._~-]+$/;
const PRINTABLE = /^[\x20-\x7e]*$/;

function fail(option: string, expected: string, value: unknown): never {
  const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  throw new TypeError(`keyward auth option "${option}": expected ${expected}, got ${shown}`);
}

function flag(options: AuthOptions, name: "optional" | "bearer" | "failOpen", fallback: boolean): boolean {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") fail(name, "a boolean", value);
  return value;
}

function headerNames(value: AuthOptions["headerNames"]): string[] {
  if (value === undefined) return [...DEFAULT_HEADER_NAMES];
  if (!Array.isArray(value)) fail("headerNames", "an array of header names", value);
  const names: string[] = [];
  for (const name of value) {
    if (typeof name !== "string" || !HEADER_NAME.test(name)) fail("headerNames", "header names", name);
    const lower = name.toLowerCase();
    if (lower === "authorization")
      fail("headerNames", 'names other than "authorization" (use `bearer`)', name);
    if (!names.includes(lower)) names.push(lower);
  }
  return names;
}

function queryParameter(value: AuthOptions["query"]): string | null {
  if (value === undefined || value === false) return null;
  if (value === true) return DEFAULT_QUERY_PARAMETER;
  if (typeof value !== "string" || !PARAMETER.test(value))
    fail("query", "a boolean or a parameter name", value);
  return value;
}

/**
 * Validates and completes `options`. Throws `TypeError` naming the first bad option; unknown
 * option names are errors too, because a misspelt `scope` would otherwise leave a route
 * without its scope check.
 */
export function resolveAuthOptions(options: AuthOptions = {}): ResolvedAuthOptions {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError("keyward auth options: expected an object");
  }
  checkOptionNames(options, AUTH_OPTION_NAMES, "createAuthenticator()");
  const realm = options.realm ?? "api";
  if (typeof realm !== "string" || !PRINTABLE.test(realm)) fail("realm", "a printable ASCII string", realm);
  const headersFormat = options.headersFormat === undefined ? "draft-10" : options.headersFormat;
  if (!FORMATS.has(headersFormat))
    fail("headersFormat", '"draft-10", "draft-7", "draft-6" or false', headersFormat);
  const typeBase = options.problemTypeBase ?? DEFAULT_PROBLEM_TYPE_BASE;
  if (typeof typeBase !== "string" || typeBase.length === 0 || !PRINTABLE.test(typeBase)) {
    fail("problemTypeBase", "a URI prefix", typeBase);
  }
  const sources: CredentialSources = Object.freeze({
    bearer: flag(options, "bearer", true),
    headerNames: Object.freeze(headerNames(options.headerNames)),
    query: queryParameter(options.query),
  });
  if (!sources.bearer && sources.headerNames.length === 0 && sources.query === null) {
    fail("bearer", "at least one credential source (bearer, headerNames or query)", false);
  }
  if (options.onReject !== undefined && typeof options.onReject !== "function") {
    fail("onReject", "a function (rejection, request) => response | undefined", options.onReject);
  }
  const ipHeader = options.trustedIpHeader;
  if (ipHeader !== undefined && (typeof ipHeader !== "string" || !HEADER_NAME.test(ipHeader))) {
    fail("trustedIpHeader", "a header name", ipHeader);
  }
  const verify: VerifyOptions = {};
  if (options.scopes !== undefined) verify.scopes = options.scopes;
  if (options.rateLimit !== undefined) verify.rateLimit = options.rateLimit;
  if (options.cost !== undefined) verify.cost = options.cost;
  return Object.freeze({
    verify: Object.freeze(verify),
    optional: flag(options, "optional", false),
    failOpen: flag(options, "failOpen", false),
    sources,
    realm,
    headersFormat: headersFormat as RateLimitHeadersFormat,
    problem: Object.freeze({ typeBase }),
    onReject: options.onReject ?? null,
    trustedIpHeader: ipHeader === undefined ? null : ipHeader.toLowerCase(),
  });
}
