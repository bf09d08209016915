/**
 * Combining a plugin's (or router's) default auth options with a route's own, where one
 * authenticator serves both (Fastify's `keywardPlugin` defaults and `config.apiKey`).
 */
import type { AuthOptions } from "./types.js";

const isPolicy = (entry: unknown): entry is { name: unknown } => typeof entry === "object" && entry !== null;

/**
 * The options of a route under defaults: the route's options win, one by one — except that the
 * route policies of the defaults (the objects in their `rateLimit` list: a prefix's own budget)
 * stay in force beside the route's list unless the route redefines one by name or sets
 * `rateLimit: false`. Names of key limits (strings) are replaced, as every other option is.
 *
 * @example
 * mergeAuthOptions({ scopes: ["read"], rateLimit: [{ name: "v1", limit: 1000, window: "1m" }] },
 *   { scopes: ["writer"], rateLimit: ["default"], cost: 2 });
 * // { scopes: ["writer"], rateLimit: [{ name: "v1", … }, "default"], cost: 2 }
 */
export function mergeAuthOptions<S extends string>(
  defaults: AuthOptions<S>,
  route: AuthOptions<S> | undefined,
): AuthOptions<S> {
  if (route === undefined) return defaults;
  const merged: AuthOptions<S> = { ...defaults, ...route };
  const inherited = Array.isArray(defaults.rateLimit) ? defaults.rateLimit.filter(isPolicy) : [];
  if (inherited.length > 0 && Array.isArray(route.rateLimit)) {
    const own = new Set(route.rateLimit.filter(isPolicy).map((policy) => policy.name));
    merged.rateLimit = [...inherited.filter((policy) => !own.has(policy.name)), ...route.rateLimit];
  }
  return merged;
}
