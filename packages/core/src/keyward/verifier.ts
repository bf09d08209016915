/**
 * Turning `VerifyOptions` into a `PreparedCheck` once: scope requirements are compiled and
 * remembered (a bounded Map keyed by their text), so `verify(t, { scopes: "a:b AND c:d" })` does
 * not re-parse per call, and `createVerifier()` does all of it up front for a route.
 */
import { resolveRouteLimits } from "../ratelimit/route-policy.js";
import type { CompiledRequirement, ScopeEngine } from "../scopes/index.js";
import type { Keyward, ScopeRequirement, VerifyOptions, VerifyResult } from "../types.js";
import { type OwnerCeiling, ownerCeiling } from "./owner.js";
import type { Runtime } from "./runtime.js";
import { type PreparedCheck, runVerification } from "./verify.js";

const MAX_COMPILED = 512;
const NO_CHECK: PreparedCheck = Object.freeze({ requirement: null, names: undefined, policies: [], cost: 1 });
const runtimes = new WeakMap<object, Runtime>();
const compiledBy = new WeakMap<Runtime, Map<string, CompiledRequirement>>();

/** Links a keyward instance to its runtime, for `createVerifier`. */
export function registerRuntime(keyward: object, rt: Runtime): void {
  runtimes.set(keyward, rt);
  compiledBy.set(rt, new Map());
}

/** The runtime of an instance made by `createKeyward()`, or undefined. Internal. */
export const runtimeOf = (keyward: object): Runtime | undefined => runtimes.get(keyward);

/**
 * The scope engine (presets) of an instance made by `createKeyward()`, or undefined. Internal
 * (not re-exported from the package): the HTTP step uses it to name a route's scopes in
 * `WWW-Authenticate` and to check a nested route's scopes against a key verified moments
 * before in the same request, without consuming its limits or quota again.
 */
export function scopeEngineOf(keyward: object): ScopeEngine | undefined {
  return runtimes.get(keyward)?.config.scopes;
}

/**
 * The role ceiling of an instance made by `createKeyward()` with `ownerScopes`: a function from
 * an owner id to what it may grant now (null: inactive owner), with the instance's preset
 * expansion; undefined without a ceiling. Internal: the management API refuses keys above it.
 */
export function ownerCeilingOf(
  keyward: object,
): { ceiling: (ownerId: string) => Promise<OwnerCeiling>; expand: ScopeEngine["expand"] } | undefined {
  const rt = runtimes.get(keyward);
  if (rt === undefined || rt.config.ownerScopes === null) return undefined;
  return { ceiling: (ownerId) => ownerCeiling(rt, ownerId), expand: rt.config.scopes.expand };
}

function requirementKey(requirement: unknown): string | null {
  if (typeof requirement === "string") return "q\u0000" + requirement;
  if (Array.isArray(requirement))
    return requirement.every((s) => typeof s === "string") ? "a\u0000" + requirement.join("\u0000") : null;
  const anyOf = (requirement as { anyOf?: unknown } | null)?.anyOf;
  if (Array.isArray(anyOf) && anyOf.every((s) => typeof s === "string"))
    return "o\u0000" + anyOf.join("\u0000");
  return null;
}

function compile(rt: Runtime, requirement: ScopeRequirement): CompiledRequirement {
  const cache = compiledBy.get(rt)!;
  const key = requirementKey(requirement);
  const hit = key === null ? undefined : cache.get(key);
  if (hit) return hit;
  const compiled = rt.config.scopes.compile(requirement, "scopes");
  if (key !== null) {
    if (cache.size >= MAX_COMPILED) cache.delete(cache.keys().next().value!);
    cache.set(key, compiled);
  }
  return compiled;
}

/**
 * Resolves verify options; throws `TypeError` naming the option for a malformed scope query, a
 * non-list `rateLimit` or a cost that is not a positive integer.
 */
export function prepareCheck(rt: Runtime, options: VerifyOptions | undefined): PreparedCheck {
  if (options === undefined) return NO_CHECK;
  if (typeof options !== "object" || options === null) {
    throw new TypeError("keyward: verify options must be an object { scopes?, rateLimit?, cost? }");
  }
  const { scopes, rateLimit, cost = 1 } = options;
  const limits = resolveRouteLimits(rateLimit, "rateLimit");
  if (!Number.isSafeInteger(cost) || cost < 1) {
    throw new TypeError(`keyward: option "cost" must be a positive integer, got ${String(cost)}`);
  }
  const requirement = scopes === undefined ? null : compile(rt, scopes);
  return {
    requirement: requirement && requirement.source === "" ? null : requirement,
    names: limits.names,
    policies: limits.policies,
    cost,
  };
}

/** Verifies with pre-resolved options (the body of `keyward.verify`). */
export function verifyWith(
  rt: Runtime,
  token: string | null | undefined,
  options: VerifyOptions | undefined,
): Promise<VerifyResult> {
  let check: PreparedCheck;
  const ip = options?.ip;
  try {
    check = prepareCheck(rt, options);
    if (ip !== undefined && typeof ip !== "string")
      throw new TypeError('keyward: option "ip" must be a string (the client address)');
  } catch (error) {
    return Promise.reject(error);
  }
  return runVerification(rt, token, check, ip);
}

/**
 * A verifier for one route: options are checked and the scope requirement compiled once, here,
 * so a malformed query fails at startup instead of on the first request. Framework adapters
 * call it once per route.
 *
 * @throws TypeError for a keyward that did not come from `createKeyward()`, or for bad options
 * @example
 * const check = createVerifier(keyward, { scopes: "task:write AND (project:read OR admin:*)" });
 * const result = await check(bearerToken, clientIp); // never throws; failures are { ok: false, code, … }
 */
export function createVerifier<S extends string>(
  keyward: Keyward<S>,
  options: VerifyOptions<S> = {},
): (token: string | null | undefined, ip?: string) => Promise<VerifyResult> {
  const rt = runtimes.get(keyward);
  if (!rt) throw new TypeError("keyward: createVerifier() needs an instance made by createKeyward()");
  if ((options as VerifyOptions).ip !== undefined) {
    throw new TypeError(
      'keyward: createVerifier() takes the client address per call: check(token, ip), not option "ip"',
    );
  }
  const check = prepareCheck(rt, options as VerifyOptions);
  return (token, ip) => runVerification(rt, token, check, ip);
}
