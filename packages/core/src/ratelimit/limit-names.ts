/**
 * What a rate-limit name may be: one definition read by the service (`resolveRateLimit`) and
 * by the management API's request schema (and so its OpenAPI document), so the HTTP API
 * never accepts a name the service then rejects.
 */

/** 1–64 characters of `a-z`, `0-9`, `_` and `-`. */
export const LIMIT_NAME_PATTERN = /^[a-z0-9_-]{1,64}$/;

/** {@link LIMIT_NAME_PATTERN} in words, for error messages. */
export const LIMIT_NAME_RULE = "1 to 64 characters of a-z, 0-9, _ and -";

/** The name under which the owner-level limit is reported; reserved, no key limit may use it. */
export const OWNER_LIMIT_NAME = "owner";
