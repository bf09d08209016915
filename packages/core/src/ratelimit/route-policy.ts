/**
 * Route policies: limits a route or router declares itself (`rateLimit: [{ name: "v1", limit:
 * 1000, window: "1m" }]`), counted per key or per owner for the requests through that route,
 * beside the limits a key carries (named by strings in the same list).
 */
import { describeValue } from "../duration/describe.js";
import { checkOptionNames } from "../options/check.js";
import type { ResolvedRateLimit, RoutePolicy } from "../types.js";
import { resolveRateLimit } from "./resolve.js";

/** The fields of a route policy (`{ name, limit, window, algorithm?, per? }`). */
const ROUTE_POLICY_FIELDS = ["name", "limit", "window", "algorithm", "per"];

/** Who shares a route policy's counter. */
export type RoutePolicyScope = "key" | "owner";

/** A route policy after validation: window in ms, algorithm filled in. */
export interface ResolvedRoutePolicy extends ResolvedRateLimit {
  per: RoutePolicyScope;
}

/** A route's `rateLimit` list split into the key's limit names and its own policies. */
export interface RouteLimits {
  /** Key limits named by the list; `undefined` when the option was not given, `false` for none. */
  names: readonly string[] | false | undefined;
  policies: readonly ResolvedRoutePolicy[];
}

const NO_POLICIES: readonly ResolvedRoutePolicy[] = Object.freeze([]);

/**
 * Validates a route's `rateLimit` option (as `verify()`, `apiKeyAuth()` and the other adapters
 * take it): `false`, or a list whose strings name limits the key carries and whose objects
 * `{ name, limit, window, algorithm?, per? }` are route policies. A list names exactly what the
 * route consumes: one holding only route policies consumes none of the key's own limits.
 *
 * @throws TypeError naming the option (`rateLimit[1].per`) for anything malformed, a repeated
 *   policy name, or the reserved name `"owner"`
 * @example
 * resolveRouteLimits(["default", { name: "v1", limit: 1000, window: "1m", per: "owner" }], "rateLimit");
 * // { names: ["default"], policies: [{ name: "v1", limit: 1000, window: 60000, …, per: "owner" }] }
 */
export function resolveRouteLimits(input: unknown, option: string): RouteLimits {
  if (input === undefined || input === false) return { names: input, policies: NO_POLICIES };
  if (!Array.isArray(input)) {
    throw new TypeError(
      `keyward: option "${option}" must be a list of limit names and route policies, or false; got ${describeValue(input)}`,
    );
  }
  const names: string[] = [];
  const policies: ResolvedRoutePolicy[] = [];
  input.forEach((entry: unknown, index: number) => {
    const at = `${option}[${index}]`;
    if (typeof entry === "string") {
      names.push(entry);
      return;
    }
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw new TypeError(
        `keyward: option "${at}" must be a limit name or a route policy { name, limit, window, algorithm?, per? }, got ${describeValue(entry)}`,
      );
    }
    const { per = "key", ...policy } = entry as RoutePolicy;
    if (per !== "key" && per !== "owner") {
      throw new TypeError(`keyward: option "${at}.per" must be "key" or "owner", got ${describeValue(per)}`);
    }
    if ("autoApply" in policy) {
      throw new TypeError(
        `keyward: option "${at}" has an unknown field "autoApply" (a route policy always applies)`,
      );
    }
    checkOptionNames(entry, ROUTE_POLICY_FIELDS, "keyward", at);
    if (policy.name === undefined) {
      throw new TypeError(`keyward: option "${at}.name" must be a limit name, got undefined`);
    }
    // One policy resolves under its own path, so errors name `rateLimit[1].window`; the
    // reserved name "owner" is refused there too.
    const resolved = (resolveRateLimit(policy, at) as ResolvedRateLimit[])[0]!;
    if (policies.some((p) => p.name === resolved.name)) {
      throw new TypeError(`keyward: option "${at}.name" repeats the route policy name "${resolved.name}"`);
    }
    policies.push({ ...resolved, per });
  });
  return { names, policies: policies.length === 0 ? NO_POLICIES : Object.freeze(policies) };
}
