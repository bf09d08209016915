/**
 * @keyward/core/edge — verify keyward access tokens where no store is reachable: Next
 * middleware, Cloudflare-style workers, Deno, Bun. Nothing here imports a Node built-in; a
 * test checks the built bundle.
 * @module
 */
export {
  createEdgeAuth,
  type EdgeAuthFailure,
  type EdgeAuthOptions,
  type EdgeAuthOutcome,
  type EdgeAuthSuccess,
  type EdgeRequest,
} from "./auth.js";
export {
  ACCESS_TOKEN_ALGORITHMS,
  ACCESS_TOKEN_TYPE,
  type AccessTokenAlgorithm,
  type AccessTokenClaims,
} from "./claims.js";
export type { AccessTokenJwk, PublicJwk, PublicJwks } from "./signing-keys.js";
export {
  type AccessTokenKey,
  type AccessTokenKeys,
  type AccessTokenResult,
  type AccessTokenSuccess,
  type VerifyAccessTokenOptions,
  verifyAccessToken,
} from "./verify.js";
