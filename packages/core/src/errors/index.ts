/**
 * Every failure keyward reports carries one of these codes. The union is exported so that
 * callers can `switch` over codes and have the compiler check they handled each one.
 *
 * Verification failures (`VerifyFailureCode`) map to HTTP statuses one to one; the other codes
 * come from the management API (`not_found`, `conflict`, `invalid_request`, and, at the HTTP
 * level, `unauthorized` when the host app does not recognise the caller and
 * `method_not_allowed` for a known path with the wrong method, `payload_too_large` and
 * `unsupported_media_type` for a request body the API will not read) and from `webhookAuth()`
 * (`invalid_signature`).
 */
export type KeywardErrorCode =
  | "missing_key"
  | "invalid_key"
  | "expired_key"
  | "revoked_key"
  | "disabled_key"
  | "insufficient_scope"
  | "ip_not_allowed"
  | "rate_limited"
  | "usage_exceeded"
  | "unavailable"
  | "not_found"
  | "conflict"
  | "invalid_request"
  | "unauthorized"
  | "method_not_allowed"
  | "payload_too_large"
  | "unsupported_media_type"
  | "invalid_signature";

/** The codes `verify()` and `authenticate()` can answer with. */
export type VerifyFailureCode = Extract<
  KeywardErrorCode,
  | "missing_key"
  | "invalid_key"
  | "expired_key"
  | "revoked_key"
  | "disabled_key"
  | "insufficient_scope"
  | "ip_not_allowed"
  | "rate_limited"
  | "usage_exceeded"
  | "unavailable"
>;

/** HTTP status for every code. */
export const STATUS_BY_CODE: Readonly<Record<KeywardErrorCode, number>> = Object.freeze({
  missing_key: 401,
  invalid_key: 401,
  expired_key: 401,
  revoked_key: 401,
  disabled_key: 401,
  insufficient_scope: 403,
  ip_not_allowed: 403,
  rate_limited: 429,
  usage_exceeded: 429,
  unavailable: 503,
  not_found: 404,
  conflict: 409,
  invalid_request: 400,
  unauthorized: 401,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_signature: 401,
});

/**
 * The one error class keyward throws for operational failures. API misuse (bad options)
 * throws a plain `TypeError` instead, at construction time.
 *
 * @example
 * try { await keyward.update(id, { enabled: false }) }
 * catch (error) {
 *   if (error instanceof KeywardError && error.code === "not_found") return notFound();
 *   throw error;
 * }
 */
export class KeywardError extends Error {
  override readonly name = "KeywardError";
  /** Stable, machine-readable code. */
  readonly code: KeywardErrorCode;
  /** The HTTP status this code maps to. */
  readonly status: number;

  constructor(code: KeywardErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = STATUS_BY_CODE[code];
  }
}

/** Narrowing helper: `isKeywardError(e, "not_found")`. */
export function isKeywardError<C extends KeywardErrorCode>(
  error: unknown,
  code?: C,
): error is KeywardError & { code: C } {
  return error instanceof KeywardError && (code === undefined || error.code === code);
}
