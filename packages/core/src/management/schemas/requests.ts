/**
 * Request schemas of the management API. They are built per API instance because options
 * shape them (`editableLimits` adds `rateLimit` and `quota`, `maxPageSize` bounds `limit`);
 * the same objects validate requests and generate the OpenAPI document.
 */
import { z } from "zod";
import {
  allowedIpsSchema,
  durationSchema,
  metadataSchema,
  nameSchema,
  quotaInputSchema,
  rateLimitInputSchema,
  scopesSchema,
  timestampInputSchema,
} from "./common.js";

/** Options that shape the request schemas. */
interface RequestSchemaOptions {
  editableLimits: boolean;
  maxPageSize: number;
}

/** A key id as it appears in paths. */
export const keyIdSchema = z
  .string()
  .min(1)
  .max(128)
  .meta({ description: "The key id, as returned by `POST /keys`.", examples: ["key_0VbnoODMQm3y8iKZ0M7y"] });

function limitFields(options: RequestSchemaOptions) {
  return options.editableLimits
    ? { rateLimit: rateLimitInputSchema.optional(), quota: quotaInputSchema.optional() }
    : {};
}

/** Builds every request schema for one API instance. */
export function requestSchemas(options: RequestSchemaOptions) {
  const create = z
    .strictObject({
      name: nameSchema.optional(),
      scopes: scopesSchema.optional(),
      expiresIn: durationSchema.optional(),
      expiresAt: timestampInputSchema.nullable().optional(),
      metadata: metadataSchema.optional(),
      enabled: z.boolean({ error: "must be true or false" }).optional(),
      ownerId: z.string().optional().meta({
        description:
          "Accepted only when it equals the caller's own owner id; keys are always created for the caller.",
      }),
      allowedIps: allowedIpsSchema.nullable().optional(),
      ...limitFields(options),
    })
    .superRefine((body, ctx) => {
      if (body.expiresIn !== undefined && body.expiresAt !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["expiresAt"],
          message: "must not be given together with expiresIn",
        });
      }
    })
    .meta({ description: "A new key. Every field is optional." });

  const update = z
    .strictObject({
      name: nameSchema.optional(),
      enabled: z.boolean({ error: "must be true or false" }).optional(),
      scopes: scopesSchema.optional(),
      metadata: metadataSchema.optional(),
      expiresAt: timestampInputSchema.nullable().optional(),
      allowedIps: allowedIpsSchema.nullable().optional(),
      ...limitFields(options),
    })
    .meta({ description: "The fields to change; absent fields keep their value." });

  const rotate = z
    .strictObject({
      gracePeriod: durationSchema.optional().meta({
        description: "How long the old token keeps working (never past the key's own expiry). Default 0.",
      }),
    })
    .meta({ description: "Rotation options. The body may be omitted." });

  const revoke = z.strictObject({}).meta({ description: "No options; the body may be omitted." });

  const list = z.strictObject({
    scope: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .meta({ description: "Only keys that hold exactly this scope or preset name." }),
    enabled: z
      .enum(["true", "false"], { error: 'must be "true" or "false"' })
      .transform((value) => value === "true")
      .optional()
      .meta({ description: "Only enabled (`true`) or disabled (`false`) keys." }),
    limit: z.coerce
      .number({ error: "must be a whole number" })
      .int({ error: "must be a whole number" })
      .min(1, { error: "must be at least 1" })
      .max(options.maxPageSize, { error: `must be at most ${options.maxPageSize}` })
      .default(Math.min(50, options.maxPageSize))
      .meta({ description: "Page size." }),
    cursor: z
      .string()
      .min(1)
      .max(512)
      .optional()
      .meta({ description: "The `nextCursor` of the previous page." }),
  });

  return { create, update, rotate, revoke, list };
}

/** The request schemas of one API instance. */
export type RequestSchemas = ReturnType<typeof requestSchemas>;
