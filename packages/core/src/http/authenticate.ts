/**
 * The framework-neutral HTTP step: request in, outcome out. Adapters map their request to an
 * {@link AuthRequest}, call the authenticator and copy the outcome; they decide nothing.
 */
import { effectiveGrants } from "../service/verification.js";
import { type Settled, settle, VERIFY_NOW, type VerifyNow } from "../service/verify-now.js";
import type { ApiKey, Keyward, RateLimitState, RouteCharge, VerifyResult } from "../types.js";
import { clientIp } from "./client-ip.js";
import { findCredential } from "./credentials.js";
import { operationAuthenticator } from "./operations.js";
import { resolveAuthOptions } from "./options.js";
import { type AuthRejection, rejectionResponse } from "./reject.js";
import {
  failureResponse,
  limitHeaderWriter,
  MULTIPLE_DETAIL,
  missingKeyResponse,
  multipleCredentialsResponse,
  type ResponseContext,
} from "./responses.js";
import { routeScopes } from "./route-scopes.js";
import type {
  Authenticator,
  AuthFailure,
  AuthOptions,
  AuthOutcome,
  AuthRequest,
  AuthSuccess,
  HttpResponse,
} from "./types.js";

type AuthRejectionCode = AuthRejection["code"];

/**
 * Brands the successes this module produced with a verified key: only those can stand in for
 * a verification in a nested authenticator (a route inside a protected router); a hand-made
 * object cannot. The brand is the verified key itself under a module-private symbol, so a copy
 * with another key does not pass either. (A WeakSet did the same at the cost of an ephemeron
 * per request for the garbage collector.)
 */
const VERIFIED: unique symbol = Symbol("keyward.verified");
/** The effective scopes of the verified key under its owner's ceiling, when one applied. */
const GRANTED: unique symbol = Symbol("keyward.granted");
/** The route charge of the check that verified the key (its counters are computed only when a nested route needs them). */
const CHARGE: unique symbol = Symbol("keyward.charge");
/** Counters already consumed in this request, once a nested route consumed more. */
const SPENT: unique symbol = Symbol("keyward.spent");
/** Every limit state consumed in this request so far, for the headers. */
const STATES: unique symbol = Symbol("keyward.states");
type BrandedSuccess = AuthSuccess & {
  [VERIFIED]?: unknown;
  [GRANTED]?: ReadonlySet<string>;
  [CHARGE]?: RouteCharge;
  [SPENT]?: Set<string>;
  [STATES]?: readonly RateLimitState[];
};
const isVerified = (outcome: AuthSuccess): boolean =>
  outcome.key !== null && (outcome as BrandedSuccess)[VERIFIED] === outcome.key;

function describeSources(context: ResponseContext): string {
  const { sources } = context.options;
  const places: string[] = [];
  if (sources.bearer) places.push("the Authorization header as a Bearer token");
  for (const name of sources.headerNames) places.push(`the ${name} header`);
  if (sources.query !== null) places.push(`the ${sources.query} query parameter`);
  const list = places.length > 1 ? `${places.slice(0, -1).join(", ")} or ${places.at(-1)}` : places[0];
  return `No API key was provided; send it in ${list}.`;
}

/** An authenticator whose outcome is the value itself when nothing had to wait. */
export type SettlingAuthenticator = (
  request: AuthRequest,
  previous?: AuthSuccess | null,
) => Settled<AuthOutcome>;

/** The outcome of a verifier that broke its promise never to fail. */
const BROKEN: VerifyResult = Object.freeze({
  ok: false,
  code: "unavailable",
  status: 503,
  message: "The key store is unavailable; try again shortly.",
});

/**
 * {@link createAuthenticator} without the final promise: a cached key on the memory store is
 * answered in the same tick, so an adapter's own `await` is the request's only promise hop.
 * @internal for the adapters' per-request step (per-request.ts)
 */
export function createSettlingAuthenticator<S extends string>(
  keyward: Keyward<S>,
  options: AuthOptions<NoInfer<S>> = {},
): SettlingAuthenticator {
  if (typeof keyward !== "object" || keyward === null || typeof keyward.verifier !== "function") {
    throw new TypeError("keyward auth: the first argument must be a Keyward instance (createKeyward())");
  }
  const described = operationAuthenticator(keyward as Keyward, options, createAuthenticator);
  if (described !== null) return described;
  const resolved = resolveAuthOptions(options as AuthOptions);
  const verifier = (keyward as Keyward).verifier(resolved.verify);
  // The verifier's synchronous form when it has one (see service/verify-now.ts).
  const verify: VerifyNow = (verifier as { [VERIFY_NOW]?: VerifyNow })[VERIFY_NOW] ?? verifier;
  const { charge } = verifier;
  const scopes = routeScopes(keyward as Keyward, resolved.verify.scopes);
  const context: ResponseContext = Object.freeze({ options: resolved, requiredScopes: scopes.scopes });
  const missingDetail = describeSources(context);
  const headersFor = limitHeaderWriter(resolved);
  const { onReject } = resolved;
  const rejectWith = (
    failure: { code: AuthRejectionCode; message: string; key?: ApiKey | null | undefined },
    response: HttpResponse,
    request: AuthRequest,
  ): Settled<AuthFailure> => {
    if (onReject === null) return { ok: false, response };
    const rejection = {
      code: failure.code,
      status: response.status,
      message: failure.message,
      key: failure.key ?? null,
      response,
    };
    return rejectionResponse(onReject, rejection, request).then((replaced) => ({
      ok: false,
      response: replaced,
    }));
  };

  /** Consumes what this route lists beyond what the request already consumed (one store call). */
  async function chargeMore(previous: BrandedSuccess, request: AuthRequest): Promise<AuthOutcome> {
    const key = previous.key!;
    const spent = previous[SPENT] ?? previous[CHARGE]?.counters(key) ?? new Set<string>();
    const before = previous[STATES] ?? [];
    const added = await charge.charge(key, spent);
    if (added.rateLimit === undefined || added.rateLimit.length === 0) {
      return added.ok ? previous : rejectWith(added, failureResponse(added, context), request);
    }
    const states = [...before, ...added.rateLimit];
    if (!added.ok) {
      const failure = { ...added, rateLimit: states };
      return rejectWith(failure, failureResponse(failure, context), request);
    }
    const next = new Set(spent);
    for (const counter of charge.counters(key)) next.add(counter);
    const success: BrandedSuccess = {
      ok: true,
      key,
      headers: headersFor(states),
      [VERIFIED]: key,
      [SPENT]: next,
      [STATES]: states,
    };
    if (previous.owner !== undefined) success.owner = previous.owner;
    if (previous[GRANTED] !== undefined) success[GRANTED] = previous[GRANTED];
    return success;
  }

  /** The outcome of a verification of this request's credential. */
  function outcomeOf(result: VerifyResult, request: AuthRequest): Settled<AuthOutcome> {
    if (result.ok) {
      const success: BrandedSuccess = {
        ok: true,
        key: result.key,
        headers: headersFor(result.rateLimit),
        [VERIFIED]: result.key,
        [CHARGE]: charge,
        [STATES]: result.rateLimit,
      };
      if (result.owner !== undefined) success.owner = result.owner;
      const granted = effectiveGrants(result);
      if (granted !== undefined) success[GRANTED] = granted;
      return success;
    }
    if (result.code === "unavailable" && resolved.failOpen) {
      return { ok: true, key: null, headers: {}, degraded: true };
    }
    return rejectWith(result, failureResponse(result, context), request);
  }

  const authenticateNow: SettlingAuthenticator = (request, previous) => {
    if (previous && previous.key !== null && isVerified(previous)) {
      // Nested in an authenticator that already verified this request's key and charged its
      // limits: only this route's scopes (under the owner's ceiling), and the limits it lists
      // itself, remain.
      const failure = scopes.check(previous.key, (previous as BrandedSuccess)[GRANTED]);
      if (failure !== null) return rejectWith(failure, failureResponse(failure, context), request);
      return charge.lists ? chargeMore(previous as BrandedSuccess, request) : previous;
    }
    const found = findCredential(request.headers, request.url, resolved.sources);
    if (found.kind === "many") {
      const response = multipleCredentialsResponse(context);
      return rejectWith({ code: "invalid_request", message: MULTIPLE_DETAIL }, response, request);
    }
    if (found.kind === "none") {
      if (resolved.optional) return { ok: true, key: null, headers: {} };
      const response = missingKeyResponse(context, missingDetail);
      return rejectWith({ code: "missing_key", message: missingDetail }, response, request);
    }
    let result: Settled<VerifyResult>;
    try {
      result = verify(found.token, clientIp(request, resolved.trustedIpHeader));
    } catch {
      result = BROKEN;
    }
    if (!(result instanceof Promise)) return outcomeOf(result, request);
    // The verifier promises never to reject; this keeps a broken promise from becoming a 500.
    return result.then(
      (settled) => outcomeOf(settled, request),
      () => outcomeOf(BROKEN, request),
    );
  };
  return authenticateNow;
}

/**
 * Creates the authentication step for one route (or router). Options are validated and the
 * verifier compiled once, here; a bad option throws a `TypeError` naming it.
 *
 * The returned function never throws and never answers 500: store failures and timeouts
 * become 503 `unavailable` (or, with `failOpen`, a degraded success with `key: null`).
 *
 * @example
 * const auth = createAuthenticator(keyward, { scopes: ["task:read"] });
 * // Node: pass every header line (req.headers keeps only the first Authorization line)
 * const outcome = await auth({ method: req.method, url: req.url, headers: req.headersDistinct });
 * if (!outcome.ok) return send(outcome.response.status, outcome.response.headers, outcome.response.body);
 * // outcome.key is the verified ApiKey; add outcome.headers to your response
 */
export function createAuthenticator<S extends string>(
  keyward: Keyward<S>,
  options: AuthOptions<NoInfer<S>> = {},
): Authenticator {
  const authenticate = createSettlingAuthenticator(keyward, options);
  return (request, previous) => settle(authenticate(request, previous));
}

/**
 * One-shot convenience: `createAuthenticator(keyward, options)(request)`. Prefer
 * `createAuthenticator` on hot paths, which validates options and compiles scopes once.
 *
 * @example
 * const outcome = await authenticate(keyward, { method: "GET", url: request.url, headers: request.headers }, { scopes: ["task:read"] });
 */
export function authenticate<S extends string>(
  keyward: Keyward<S>,
  request: AuthRequest,
  options: AuthOptions<NoInfer<S>> = {},
): Promise<AuthOutcome> {
  return createAuthenticator(keyward, options)(request);
}
