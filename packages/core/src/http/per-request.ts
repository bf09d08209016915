/**
 * The per-request bookkeeping every adapter needs, in one place: the first authenticator that
 * verifies a request remembers its success against the framework's request object, so a
 * route-level authenticator behind a router-level one only checks its own scopes — no second
 * lookup, no second charge of limits or quota.
 */
import type { Keyward } from "../types.js";
import { createAuthenticator } from "./authenticate.js";
import type { AuthOptions, AuthOutcome, AuthRequest, AuthSuccess } from "./types.js";

/**
 * Authenticates one request. `carrier` is the framework's own request object (Express `req`,
 * Fastify `request`, a Web `Request`): the successes are remembered against it, weakly.
 */
export type RequestAuthenticator = (carrier: object, request: AuthRequest) => Promise<AuthOutcome>;

/** The first success of each request, keyed by the framework's request object. */
const verifiedRequests = new WeakMap<object, AuthSuccess>();

/**
 * `createAuthenticator(keyward, options)` plus the bookkeeping for nested routes: what an
 * adapter calls once per route, then once per request with its request object. Options are
 * checked here, once; a bad one throws a `TypeError` naming it.
 *
 * @example
 * const authenticate = createRequestAuthenticator(keyward, { scopes: ["task:read"] });
 * const outcome = await authenticate(req, { method: req.method, url: req.url, headers: req.headers });
 */
export function createRequestAuthenticator<S extends string>(
  keyward: Keyward<S>,
  options: AuthOptions<NoInfer<S>> = {},
): RequestAuthenticator {
  const authenticate = createAuthenticator(keyward, options);
  return async (carrier, request) => {
    const outcome = await authenticate(request, verifiedRequests.get(carrier));
    if (outcome.ok) verifiedRequests.set(carrier, outcome);
    return outcome;
  };
}
