/**
 * RFC 9457 problem details (`application/problem+json`) for every error keyward answers over
 * HTTP: the authentication step and the management API build their error responses here, so
 * that every adapter sends the same bytes.
 */
import type { KeywardErrorCode } from "../errors/index.js";
import { STATUS_BY_CODE } from "../errors/index.js";
import type { HttpResponse } from "./types.js";

/**
 * Where problem `type` URIs point unless told otherwise: the type of code `c` is
 * `${DEFAULT_PROBLEM_TYPE_BASE}${c}`, e.g. `https://keyward.dev/errors/rate_limited`.
 */
export const DEFAULT_PROBLEM_TYPE_BASE = "https://keyward.dev/errors/";

/** The media type of every error body keyward sends. */
export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** A short, stable, human-readable summary of each code (the problem `title`). */
export const PROBLEM_TITLES: Readonly<Record<KeywardErrorCode, string>> = Object.freeze({
  missing_key: "API key required",
  invalid_key: "Invalid API key",
  expired_key: "Expired API key",
  revoked_key: "Revoked API key",
  disabled_key: "Disabled API key",
  insufficient_scope: "Insufficient scope",
  ip_not_allowed: "Address not allowed",
  rate_limited: "Too many requests",
  usage_exceeded: "Usage quota exceeded",
  unavailable: "Service unavailable",
  not_found: "Not found",
  conflict: "Conflict",
  invalid_request: "Invalid request",
  unauthorized: "Authentication required",
  method_not_allowed: "Method not allowed",
  payload_too_large: "Payload too large",
  unsupported_media_type: "Unsupported media type",
  invalid_signature: "Invalid webhook signature",
});

/** Members a problem body always has, in this order; extension members cannot replace them. */
const STANDARD_MEMBERS = new Set(["type", "title", "status", "detail", "code"]);

/** Options of {@link problemResponse}. */
export interface ProblemOptions {
  /**
   * Base of the `type` URI; the code is appended.
   * @defaultValue "https://keyward.dev/errors/"
   */
  typeBase?: string;
}

/**
 * The body of a problem response as an object, members in a fixed order: `type`, `title`,
 * `status`, `detail`, `code`, then the extension members in the order given. Undefined
 * extension values are left out; standard member names in `extra` are ignored.
 *
 * @example
 * problemBody("not_found", "No key with this id.")
 * // { type: "https://keyward.dev/errors/not_found", title: "Not found", status: 404, detail: "No key with this id.", code: "not_found" }
 */
export function problemBody(
  code: KeywardErrorCode,
  detail: string,
  extra?: Readonly<Record<string, unknown>>,
  options?: ProblemOptions,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: `${options?.typeBase ?? DEFAULT_PROBLEM_TYPE_BASE}${code}`,
    title: PROBLEM_TITLES[code],
    status: STATUS_BY_CODE[code],
    detail,
    code,
  };
  if (extra) {
    for (const [name, value] of Object.entries(extra)) {
      if (value !== undefined && !STANDARD_MEMBERS.has(name)) body[name] = value;
    }
  }
  return body;
}

/**
 * A complete `application/problem+json` response for `code`: the status comes from the code,
 * the body is serialized once with a deterministic member order (see {@link problemBody}), and
 * the headers are `Content-Type: application/problem+json` and `Cache-Control: no-store` (an
 * error about one caller's credentials must never be cached and replayed to another), then
 * `headers` on top.
 *
 * @param code - the stable error code; it picks the status, the `title` and the `type` URI.
 * @param detail - a human-readable explanation for this occurrence; never put a token in it.
 * @param extra - extension members, e.g. `{ "violated-policies": ["default"] }` or `{ errors: [...] }`.
 * @param headers - additional response headers (`WWW-Authenticate`, `Retry-After`, …).
 * @param options - `typeBase` to point `type` at your own documentation.
 *
 * @example
 * const res = problemResponse("not_found", "No key with this id.");
 * // res.status === 404; res.headers["Content-Type"] === "application/problem+json"
 */
export function problemResponse(
  code: KeywardErrorCode,
  detail: string,
  extra?: Readonly<Record<string, unknown>>,
  headers?: Readonly<Record<string, string>>,
  options?: ProblemOptions,
): HttpResponse {
  return {
    status: STATUS_BY_CODE[code],
    headers: { "Content-Type": PROBLEM_CONTENT_TYPE, "Cache-Control": "no-store", ...headers },
    body: JSON.stringify(problemBody(code, detail, extra, options)),
  };
}
