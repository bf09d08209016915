/**
 * The per-request bookkeeping every adapter needs, in one place: the first authenticator that
 * verifies a request remembers its success against the framework's request object, so a
 * route-level authenticator behind a router-level one only checks its own scopes — no second
 * lookup, no second charge of limits or quota.
 */

import { type Settled, settle } from "../service/verify-now.js";
import type { Keyward } from "../types.js";
import { createSettlingAuthenticator } from "./authenticate.js";
import type { AuthOptions, AuthOutcome, AuthRequest, AuthSuccess } from "./types.js";

/**
 * Authenticates one request. `carrier` is the framework's own request object (Express `req`,
 * Fastify `request`, a Web `Request`): the successes are remembered on it.
 */
export interface RequestAuthenticator {
  (carrier: object, request: AuthRequest): Promise<AuthOutcome>;
  /**
   * The same, answering with the outcome itself when nothing had to wait (a cached key whose
   * limits live in the memory store), else with its promise: an adapter that can go on
   * synchronously (a callback-style hook) then needs no promise hop at all.
   */
  now(carrier: object, request: AuthRequest): AuthOutcome | Promise<AuthOutcome>;
}

/**
 * The first success of each request lives on the framework's request object, under a
 * module-private symbol: a property write is far cheaper than a WeakMap entry (an ephemeron
 * the garbage collector must trace), and it goes away with the request. A carrier that takes
 * no new property (frozen) is remembered in the WeakMap instead.
 */
const VERIFIED_REQUEST: unique symbol = Symbol("keyward.verifiedRequest");
type Carrier = { [VERIFIED_REQUEST]?: AuthSuccess };
const frozenCarriers = new WeakMap<object, AuthSuccess>();

const recalled = (carrier: object): AuthSuccess | undefined =>
  (carrier as Carrier)[VERIFIED_REQUEST] ?? frozenCarriers.get(carrier);

function remember(carrier: object, outcome: AuthOutcome): AuthOutcome {
  if (outcome.ok && !Reflect.set(carrier, VERIFIED_REQUEST, outcome)) frozenCarriers.set(carrier, outcome);
  return outcome;
}

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
  const authenticate = createSettlingAuthenticator(keyward, options);
  const now = (carrier: object, request: AuthRequest): Settled<AuthOutcome> => {
    const outcome = authenticate(request, recalled(carrier));
    if (outcome instanceof Promise) return outcome.then((settled) => remember(carrier, settled));
    return remember(carrier, outcome);
  };
  const promised = (carrier: object, request: AuthRequest): Promise<AuthOutcome> => {
    try {
      return settle(now(carrier, request));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return Object.assign(promised, { now });
}
