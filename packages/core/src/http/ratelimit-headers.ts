/**
 * Rate-limit response headers in the syntax of draft-ietf-httpapi-ratelimit-headers-10 and,
 * for clients that expect them, the older draft-7 and draft-6 forms.
 */
import type { RateLimitState } from "../types.js";
import type { RateLimitHeadersFormat } from "./types.js";

/** A Structured Field String (RFC 8941 §3.3.3): quoted, `\` and `"` escaped. */
function sfString(value: string): string {
  if (!value.includes("\\") && !value.includes('"')) return `"${value}"`;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * The limit the single-policy forms (draft-6, draft-7) report: a limit that rejected the
 * call first, then the lowest `remaining`, then the longest `reset`, then the first listed.
 */
export function mostRestrictive(states: readonly RateLimitState[]): RateLimitState | undefined {
  let best: RateLimitState | undefined;
  for (const state of states) {
    if (
      best === undefined ||
      (state.exceeded && !best.exceeded) ||
      (state.exceeded === best.exceeded &&
        (state.remaining < best.remaining ||
          (state.remaining === best.remaining && state.reset > best.reset)))
    ) {
      best = state;
    }
  }
  return best;
}

/**
 * The rate-limit headers for the limits one request consumed (`VerifySuccess.rateLimit`, or
 * `VerifyFailure.rateLimit` on a 429). Header names are written as the drafts write them.
 *
 * - `"draft-10"` (default of the adapters): one list item per consumed limit, in order,
 *   `RateLimit-Policy: "default";q=1000;w=60, "search";q=10;w=60` and
 *   `RateLimit: "default";r=999;t=42, "search";r=9;t=60`.
 * - `"draft-7"`: the most restrictive limit (see {@link mostRestrictive}) as
 *   `RateLimit-Policy: 1000;w=60` and `RateLimit: limit=1000, remaining=999, reset=42`.
 * - `"draft-6"`: the most restrictive limit as `RateLimit-Limit: 1000`,
 *   `RateLimit-Remaining: 999`, `RateLimit-Reset: 42` and `RateLimit-Policy: 1000;w=60`.
 * - `false`, or no consumed limit: no headers.
 *
 * `Retry-After` is not part of these; see {@link retryAfterHeader}.
 *
 * @example
 * rateLimitHeaders([{ name: "default", limit: 1000, remaining: 999, window: 60, reset: 42, exceeded: false }], "draft-10");
 * // { "RateLimit-Policy": '"default";q=1000;w=60', RateLimit: '"default";r=999;t=42' }
 */
export function rateLimitHeaders(
  states: readonly RateLimitState[],
  format: RateLimitHeadersFormat,
): Record<string, string> {
  if (format === false || states.length === 0) return {};
  if (format === "draft-10") return draft10(states, states.map(quotedName), draft10Policy(states));
  const top = mostRestrictive(states)!;
  const policy = `${top.limit};w=${top.window}`;
  if (format === "draft-7") {
    return {
      "RateLimit-Policy": policy,
      RateLimit: `limit=${top.limit}, remaining=${top.remaining}, reset=${top.reset}`,
    };
  }
  if (format === "draft-6") {
    return {
      "RateLimit-Limit": String(top.limit),
      "RateLimit-Remaining": String(top.remaining),
      "RateLimit-Reset": String(top.reset),
      "RateLimit-Policy": policy,
    };
  }
  throw new TypeError(`keyward: unknown rate-limit header format ${JSON.stringify(format)}`);
}

const quotedName = (state: RateLimitState): string => sfString(state.name);

/** The draft-10 `RateLimit-Policy` value: one item per limit, `"name";q=<limit>;w=<window>`. */
function draft10Policy(states: readonly RateLimitState[]): string {
  return states.map((s) => `${sfString(s.name)};q=${s.limit};w=${s.window}`).join(", ");
}

/** The draft-10 headers, with each limit's quoted name and the policy value already written. */
function draft10(
  states: readonly RateLimitState[],
  names: readonly string[],
  policy: string,
): Record<string, string> {
  let value = "";
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    value += `${i === 0 ? "" : ", "}${names[i]};r=${s.remaining};t=${s.reset}`;
  }
  return { "RateLimit-Policy": policy, RateLimit: value };
}

/**
 * `rateLimitHeaders(states, "draft-10")` for one route, keeping the `RateLimit-Policy` value and
 * the quoted names of the last limits it wrote: a route consumes the same policies request
 * after request, so only the `r` and `t` members of `RateLimit` are new text per request.
 */
export function draft10Writer(): (states: readonly RateLimitState[]) => Record<string, string> {
  let seen: Array<Pick<RateLimitState, "name" | "limit" | "window">> = [];
  let names: string[] = [];
  let policy = "";
  return (states) => {
    if (!samePolicies(states, seen)) {
      seen = states.map(({ name, limit, window }) => ({ name, limit, window }));
      names = states.map(quotedName);
      policy = draft10Policy(states);
    }
    return draft10(states, names, policy);
  };
}

function samePolicies(
  states: readonly RateLimitState[],
  seen: ReadonlyArray<Pick<RateLimitState, "name" | "limit" | "window">>,
): boolean {
  if (states.length !== seen.length) return false;
  for (let i = 0; i < states.length; i++) {
    const a = states[i]!;
    const b = seen[i]!;
    if (a.name !== b.name || a.limit !== b.limit || a.window !== b.window) return false;
  }
  return true;
}

/**
 * `Retry-After` in delay-seconds (RFC 9110 §10.2.3), or no header when there is no wait to
 * announce (`retryAfter` undefined).
 *
 * @example
 * retryAfterHeader(42); // { "Retry-After": "42" }
 */
export function retryAfterHeader(retryAfter: number | undefined): Record<string, string> {
  if (retryAfter === undefined) return {};
  return { "Retry-After": String(Math.max(0, Math.ceil(retryAfter))) };
}

/**
 * Names of the limits that rejected the call, for the `violated-policies` member of the 429
 * problem body (draft-10 §5.1).
 *
 * @example
 * violatedPolicies(failure.rateLimit ?? []); // ["search"]
 */
export function violatedPolicies(states: readonly RateLimitState[]): string[] {
  return states.filter((s) => s.exceeded).map((s) => s.name);
}
