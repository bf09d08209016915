/**
 * The OpenAPI description of the token endpoints, from the schemas in `token-schemas.ts`;
 * `openApiDocument` merges it in when the endpoints are served.
 */
import { z } from "zod";
import type { ResolvedKeysApiOptions } from "./options.js";
import { jwksSchema, tokenRequestSchema, tokenResponseBodySchema } from "./token-schemas.js";

type Json = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: "input" | "output"): Json {
  const { $schema: _schema, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io }) as Json;
  return rest;
}

const problem = (description: string): Json => ({
  description,
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/TokenProblem" } } },
});

/** Paths and component schemas of `POST /token` and `GET /.well-known/jwks.json`; empty when off. */
export function tokenOpenApi(options: ResolvedKeysApiOptions): { paths: Json; schemas: Json } {
  if (options.tokenExchange === false) return { paths: {}, schemas: {} };
  const request = { $ref: "#/components/schemas/TokenExchangeRequest" };
  return {
    paths: {
      "/token": {
        post: {
          operationId: "exchangeToken",
          summary: "Exchange an API key for a short-lived access token (RFC 8693)",
          description:
            "The API key in `subject_token` is verified as on any request: its scopes must cover `scope`, and the exchange consumes its rate limits and quota once. The access token is a JWT (typ at+jwt) that verifies with the keys at /.well-known/jwks.json.",
          tags: ["tokens"],
          security: [],
          requestBody: {
            required: true,
            content: {
              "application/x-www-form-urlencoded": { schema: request },
              "application/json": { schema: request },
            },
          },
          responses: {
            "200": {
              description: "The access token (RFC 8693 §2.2.1).",
              headers: {
                "Cache-Control": { schema: { type: "string", const: "no-store" } },
              },
              content: {
                "application/json": { schema: { $ref: "#/components/schemas/TokenExchangeResponse" } },
              },
            },
            "400": problem(
              "A malformed request (error invalid_request, unsupported_grant_type, invalid_scope or invalid_target).",
            ),
            "401": problem(
              "The API key is missing, not valid, expired, revoked or disabled (error invalid_request).",
            ),
            "403": problem("The API key lacks a requested scope (error invalid_scope)."),
            "429": problem("The API key is rate limited or out of quota; see Retry-After."),
            "503": problem("The key store is unavailable; see Retry-After."),
          },
        },
      },
      "/.well-known/jwks.json": {
        get: {
          operationId: "getJwks",
          summary: "The public keys that verify access tokens (RFC 7517 JWK Set)",
          tags: ["tokens"],
          security: [],
          responses: {
            "200": {
              description: "The JWK Set; the first key signs new tokens.",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Jwks" } } },
            },
          },
        },
      },
    },
    schemas: {
      TokenExchangeRequest: schemaOf(tokenRequestSchema, "input"),
      TokenExchangeResponse: schemaOf(tokenResponseBodySchema, "output"),
      Jwks: schemaOf(jwksSchema, "output"),
      TokenProblem: {
        allOf: [{ $ref: "#/components/schemas/Problem" }],
        type: "object",
        required: ["error", "error_description"],
        properties: {
          error: {
            type: "string",
            description: "The OAuth 2.0 error code (RFC 6749 §5.2, RFC 8693 §2.2.2).",
          },
          error_description: { type: "string" },
        },
      },
    },
  };
}
