/**
 * How long a client should wait before retrying after a 503 `unavailable` (store down or too
 * slow), in seconds: the one value `verify()`, the HTTP step and the management API all send
 * as `Retry-After` (RFC 9110 §10.2.3).
 */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 1;
