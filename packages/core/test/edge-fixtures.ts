/** Shared fixtures for the edge access token tests: fresh signing keys as JWKs. */
import type { AccessTokenJwk } from "@keyward/core/edge";
import { exportJWK, generateKeyPair } from "jose";

/** A new private signing JWK (Ed25519 for "EdDSA", P-256 for "ES256") named `kid`. */
export async function signingKey(kid: string, alg: "EdDSA" | "ES256" = "EdDSA"): Promise<AccessTokenJwk> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg } as AccessTokenJwk;
}

/** The public part of a private JWK (what a retired signing key keeps). */
export function publicOnly(jwk: AccessTokenJwk): AccessTokenJwk {
  const { d: _d, ...rest } = jwk;
  return rest;
}
