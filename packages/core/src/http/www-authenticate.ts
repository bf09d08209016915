/**
 * `WWW-Authenticate` challenges per RFC 6750 §3 (Bearer), with values quoted and escaped so
 * that any realm, description or scope list yields a well-formed header.
 */

/** The RFC 6750 error attribute values keyward sends. */
export type BearerError = "invalid_request" | "invalid_token" | "insufficient_scope";

/** Attributes of one challenge besides the realm. */
export interface BearerChallenge {
  error?: BearerError;
  /** Human-readable; characters RFC 6750 forbids (`"`, `\`, non-ASCII, controls) are replaced. */
  description?: string;
  /** Scope tokens, joined with single spaces. */
  scope?: readonly string[];
}

/** An RFC 9110 quoted-string: `"` and `\` escaped with a backslash. */
export function quoteString(value: string): string {
  return `"${value.replace(/["\\]/g, "\\$&")}"`;
}

/** RFC 6750 error_description allows %x20-21 / %x23-5B / %x5D-7E only. */
function cleanDescription(value: string): string {
  return value
    .replace(/"/g, "'")
    .replace(/\\/g, "/")
    .replace(/[^\x20-\x7e]/g, "?");
}

/** RFC 6750 scope-token is 1*( %x21 / %x23-5B / %x5D-7E ); anything else is dropped. */
function cleanScopes(scopes: readonly string[]): string {
  return scopes
    .map((scope) => scope.replace(/[^\x21\x23-\x5b\x5d-\x7e]/g, ""))
    .filter((scope) => scope.length > 0)
    .join(" ");
}

/**
 * `Bearer realm="…"` with the given attributes, in the order realm, error, error_description,
 * scope.
 *
 * @example
 * bearerChallenge("api", { error: "insufficient_scope", description: "The API key lacks a required scope", scope: ["task:read"] })
 * // 'Bearer realm="api", error="insufficient_scope", error_description="The API key lacks a required scope", scope="task:read"'
 */
export function bearerChallenge(realm: string, challenge: BearerChallenge = {}): string {
  let value = `Bearer realm=${quoteString(realm)}`;
  if (challenge.error) value += `, error="${challenge.error}"`;
  if (challenge.description) value += `, error_description="${cleanDescription(challenge.description)}"`;
  if (challenge.scope && challenge.scope.length > 0) {
    const scope = cleanScopes(challenge.scope);
    if (scope) value += `, scope="${scope}"`;
  }
  return value;
}
