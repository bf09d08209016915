/**
 * Turning `VerifyOptions` into a `PreparedCheck` once: scope requirements are compiled and
 * remembered (a bounded Map keyed by their text), so `verify(t, { scopes: "a:b AND c:d" })` does
 * not re-parse per call, and `createVerifier()` does all of it up front for a route.
 */
import { resolveRouteLimits } from "../ratelimit/route-policy.js";
import type { CompiledRequirement } from "../scopes/index.js";
import type { Keyward, RouteVerifier, ScopeRequirement, VerifyOptions, VerifyResult } from "../types.js";
import { createRouteCharge } from "./charge.js";
import type { Runtime } from "./runtime.js";
import { type PreparedCheck, runVerification, verifyNow } from "./verification.js";
import { VERIFY_NOW, type VerifyNow } from "./verify-now.js";

const MAX_COMPILED = 512;
const NO_CHECK: PreparedCheck = Object.freeze({ requirement: null, names: undefined, policies: [], cost: 1 });

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
  const cache = rt.compiled;
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
 * The verifier of one route (the body of `keyward.verifier()`): options are checked and the
 * scope requirement compiled once, here; `charge` consumes what the route lists for a key
 * verified earlier in the same request.
 *
 * @throws TypeError for bad options, or option "ip" (the address is given per call)
 */
export function routeVerifier(rt: Runtime, options: VerifyOptions = {}): RouteVerifier {
  if (options.ip !== undefined) {
    throw new TypeError(
      'keyward: a route verifier takes the client address per call: check(token, ip), not option "ip"',
    );
  }
  const check = prepareCheck(rt, options);
  const verify = (token: string | null | undefined, ip?: string) => runVerification(rt, token, check, ip);
  const now: VerifyNow = (token, ip) => verifyNow(rt, token, check, ip);
  return Object.assign(verify, {
    charge: createRouteCharge(rt, check, Array.isArray(options.rateLimit)),
    [VERIFY_NOW]: now,
  });
}

/**
 * A verifier for one route: options are checked and the scope requirement compiled once, here,
 * so a malformed query fails at startup instead of on the first request. The same as
 * `keyward.verifier(options)`.
 *
 * @throws TypeError for a value that is not a keyward instance, or for bad options
 * @example
 * const check = createVerifier(keyward, { scopes: "task:write AND (project:read OR admin:*)" });
 * const result = await check(bearerToken, clientIp); // never throws; failures are { ok: false, code, … }
 */
export function createVerifier<S extends string, O = unknown>(
  keyward: Keyward<S, O>,
  options: VerifyOptions<S> = {},
): RouteVerifier<O> {
  if (typeof (keyward as Partial<Keyward<S, O>> | null)?.verifier !== "function") {
    throw new TypeError("keyward: createVerifier() needs an instance made by createKeyward()");
  }
  return keyward.verifier(options);
}
