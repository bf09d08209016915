/**
 * Schemas of the token endpoints: the RFC 8693 token-exchange request (form fields, also
 * accepted as JSON), its response, and the JWK Set. The request schema validates what
 * `POST /token` receives and, like every other schema here, generates the OpenAPI document.
 */
import { z } from "zod";

/** RFC 8693 §2.1: the grant type of a token exchange. */
export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
/** RFC 8693 §3: the token type URI keyward accepts for an API key and issues for its tokens. */
export const ACCESS_TOKEN_TYPE_URI = "urn:ietf:params:oauth:token-type:access_token";
/** RFC 8693 §3: a JWT; accepted as `requested_token_type` (the issued token is one). */
export const JWT_TYPE_URI = "urn:ietf:params:oauth:token-type:jwt";

export const tokenRequestSchema = z.strictObject({
  grant_type: z.literal(TOKEN_EXCHANGE_GRANT),
  subject_token: z.string().min(1).max(512).meta({ description: "The API key to exchange." }),
  subject_token_type: z.literal(ACCESS_TOKEN_TYPE_URI).meta({
    description: "An API key is presented as an access token (RFC 8693 §3).",
  }),
  requested_token_type: z.enum([ACCESS_TOKEN_TYPE_URI, JWT_TYPE_URI]).optional(),
  scope: z.string().max(4096).optional().meta({
    description:
      "Space-separated scopes the token should carry; the key must hold them all. Omitted: all of the key's.",
  }),
  audience: z.string().min(1).max(512).optional().meta({ description: "The `aud` claim of the token." }),
});

export const tokenResponseBodySchema = z.strictObject({
  access_token: z.string().meta({ description: "A JWT (typ at+jwt), EdDSA or ES256." }),
  issued_token_type: z.enum([ACCESS_TOKEN_TYPE_URI, JWT_TYPE_URI]),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int().meta({ description: "Seconds until the token expires." }),
  scope: z.string().meta({ description: "The scopes the token carries, space-separated." }),
});

export const jwksSchema = z.strictObject({
  keys: z.array(
    z.strictObject({
      kty: z.enum(["OKP", "EC"]),
      crv: z.enum(["Ed25519", "P-256"]),
      alg: z.enum(["EdDSA", "ES256"]),
      kid: z.string(),
      use: z.literal("sig"),
      x: z.string(),
      y: z.string().optional(),
    }),
  ),
});
