/**
 * Response schemas of the management API. They document what the serializer writes (and the
 * tests check every response body against them); no response is ever parsed with them at run
 * time.
 */
import { z } from "zod";
import { RATE_LIMIT_ALGORITHMS } from "../../ratelimit/names.js";

const timestamp = z.iso.datetime().meta({ description: "RFC 3339 timestamp (UTC)." });

const resolvedRateLimitSchema = z.strictObject({
  name: z.string(),
  limit: z.number().int(),
  window: z.number().int().meta({ description: "Window length in milliseconds." }),
  algorithm: z.enum(RATE_LIMIT_ALGORITHMS),
  autoApply: z.boolean(),
});

const quotaViewSchema = z.strictObject({
  limit: z.number().int(),
  refill: z
    .strictObject({
      interval: z.number().int().meta({ description: "Milliseconds." }),
      amount: z.number().int(),
    })
    .nullable(),
  remaining: z.number().int(),
  refillAt: timestamp.nullable(),
});

/** A key as the API shows it: never the token, never its hash. */
export const apiKeySchema = z
  .strictObject({
    id: z.string(),
    name: z.string().nullable(),
    ownerId: z.string().nullable(),
    prefix: z.string().meta({ description: 'Token prefix, e.g. "sk_live".' }),
    start: z.string().meta({ description: "The first characters of the token, for display." }),
    last4: z
      .string()
      .meta({ description: 'The last four characters of the token (checksum characters); "" when unknown.' }),
    preview: z
      .string()
      .meta({ description: "`start…last4`, to recognise the token.", examples: ["sk_live_3xF9…a1B2"] }),
    scopes: z.array(z.string()),
    metadata: z.record(z.string(), z.unknown()),
    enabled: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
    expiresAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
    lastUsedAt: timestamp.nullable().meta({ description: "Written behind: may lag a few seconds." }),
    usageCount: z.number().int(),
    rateLimit: z
      .array(resolvedRateLimitSchema)
      .nullable()
      .meta({ description: "The key's own limits; null: the service-wide default applies; []: none." }),
    quota: quotaViewSchema.nullable(),
    allowedIps: z
      .array(z.string())
      .nullable()
      .meta({ description: "Client addresses / CIDR ranges the key may be used from; null: any." }),
  })
  .meta({ description: "An API key. The token itself is never part of it." });

/** `POST /keys` and `POST /keys/{id}/rotate`: the only responses that carry a token. */
export const tokenResponseSchema = z
  .strictObject({
    token: z.string().meta({ description: "The secret. Shown in this response only: store it now." }),
    key: apiKeySchema,
  })
  .meta({ description: "A new token and its key. The token is never shown again." });

/** `GET /keys`. */
export const keyPageSchema = z
  .strictObject({
    items: z.array(apiKeySchema),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "Pass as `cursor` for the next page; null on the last page." }),
  })
  .meta({ description: "One page of keys, newest first." });

/** RFC 9457 problem details, as every error is answered. */
export const problemSchema = z
  .looseObject({
    type: z.string().meta({ description: "URI of the error code's documentation." }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().meta({ description: "Stable machine-readable error code." }),
    errors: z
      .array(
        z.strictObject({
          path: z.string().meta({
            description: 'JSON Pointer to the offending member, e.g. "/scopes/0"; "" for the whole body.',
          }),
          message: z.string(),
        }),
      )
      .optional()
      .meta({ description: "One entry per validation issue (invalid_request only)." }),
  })
  .meta({ description: "RFC 9457 problem details (application/problem+json)." });
