/**
 * What an edge access token is, shared by the signer (`keyward.exchange()`) and the verifier
 * (`@keyward/core/edge`): the JOSE header type, the algorithms, and the claims.
 */

/**
 * The `typ` header of every access token, after RFC 9068 §2.1 ("JWT Profile for OAuth 2.0
 * Access Tokens"). Verifiers require it, so no other JWT signed with the same keys (an ID
 * token, say) can pass for an access token.
 */
export const ACCESS_TOKEN_TYPE = "at+jwt";

/** The signature algorithms keyward signs and accepts: EdDSA (Ed25519) and ES256 (P-256). */
export const ACCESS_TOKEN_ALGORITHMS = Object.freeze(["EdDSA", "ES256"] as const);

/** One of {@link ACCESS_TOKEN_ALGORITHMS}. */
export type AccessTokenAlgorithm = (typeof ACCESS_TOKEN_ALGORITHMS)[number];

/**
 * The claims of an access token (times in seconds since the epoch, RFC 7519 §2 NumericDate).
 * `scope` is space-separated (RFC 8693 §4.2) and already expanded: presets are replaced by
 * their scopes, so a verifier needs no configuration to check it.
 */
export interface AccessTokenClaims {
  /** The API key's id. */
  sub: string;
  /** The API key's id again, as RFC 9068 §2.2 asks of access tokens. */
  client_id: string;
  /** The key's owner id, or null for a key without an owner. */
  owner: string | null;
  /** Granted scopes, space-separated; "" for none. */
  scope: string;
  /** A unique id of this token. */
  jti: string;
  /** Issued at, in seconds. */
  iat: number;
  /** Expires at, in seconds. */
  exp: number;
  /** The audience the token was requested for, when one was. */
  aud?: string;
  /** The issuer, when `createKeyward({ issuer })` set one. */
  iss?: string;
}
