/**
 * Building blocks shared by the request schemas: durations, scopes, metadata, limits. Each
 * carries the error message a caller sees, so the 400 answers read well without zod's
 * internals (regular expressions, type names).
 */
import { z } from "zod";
import { parseDuration } from "../../duration/index.js";
import { MAX_ALLOWED_IPS, resolveAllowedIps } from "../../ip/index.js";
import { LIMIT_NAME_PATTERN, LIMIT_NAME_RULE } from "../../ratelimit/limit-names.js";
import { RATE_LIMIT_ALGORITHMS } from "../../ratelimit/names.js";
import { resolveRateLimit } from "../../ratelimit/resolve.js";
import {
  instantProblem,
  MAX_REFILL_INTERVAL,
  metadataProblem,
  textProblem,
} from "../../service/representable.js";
import type { Duration } from "../../types.js";

/** Refuses a string a store cannot hold as is (the same rule as `create`/`update`). */
const storableText = (value: string, ctx: z.core.$RefinementCtx<string>): void => {
  const problem = textProblem(value);
  if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
};

const DURATION_FORM = /^\d{1,15}(ms|s|m|h|d)$/;
const DURATION_ERROR = 'must be a duration like "30s", "24h" or "90d", or whole milliseconds';

/** `"30s"`, `"15m"`, `"24h"`, `"90d"`, `"500ms"`, or whole milliseconds. */
export const durationSchema = z
  .union(
    [
      z.string().regex(DURATION_FORM, { error: DURATION_ERROR }),
      z
        .number()
        .int({ error: DURATION_ERROR })
        .min(0, { error: DURATION_ERROR })
        .max(Number.MAX_SAFE_INTEGER, { error: DURATION_ERROR }),
    ],
    { error: DURATION_ERROR },
  )
  .superRefine((value, ctx) => {
    // "999999999999999d" matches the form but is more milliseconds than a number holds exactly.
    // (zod runs this on a value the union refused, too: only a well-formed one is looked at.)
    if (typeof value === "string" ? !DURATION_FORM.test(value) : !Number.isSafeInteger(value) || value < 0)
      return;
    try {
      parseDuration(value as Duration, "duration");
    } catch {
      ctx.addIssue({ code: "custom", message: "is too long" });
    }
  })
  .meta({ description: 'A duration: `"500ms"`, `"30s"`, `"15m"`, `"24h"`, `"90d"`, or whole milliseconds.' });

/** A scope (`resource:action`, `resource:*`, `*`) or a preset name. */
const scopeSchema = z
  .string({ error: "must be a string" })
  .max(128, { error: "must be at most 128 characters" })
  .regex(/^(\*|[A-Za-z0-9_.-]+(:([A-Za-z0-9_.-]+|\*))?)$/, {
    error: 'must be a scope like "task:read", "task:*" or "*", or a preset name',
  });

/** Scope lists: up to 100, no duplicates. */
export const scopesSchema = z
  .array(scopeSchema, { error: "must be an array of scopes" })
  .max(100, { error: "must list at most 100 scopes" })
  .refine((list) => new Set(list).size === list.length, { error: "must not repeat a scope" });

/** A key's client-address allowlist: IPv4/IPv6 addresses or CIDR ranges; null or [] for any. */
export const allowedIpsSchema = z
  .array(z.string({ error: "must be a string" }).max(64, { error: "must be at most 64 characters" }), {
    error: "must be an array of IP addresses or CIDR ranges",
  })
  .max(MAX_ALLOWED_IPS, { error: `must list at most ${MAX_ALLOWED_IPS} entries` })
  .superRefine((list, ctx) => {
    list.forEach((entry, index) => {
      try {
        resolveAllowedIps([entry]);
      } catch {
        ctx.addIssue({
          code: "custom",
          path: [index],
          message: "is not an IPv4 or IPv6 address or CIDR range",
        });
      }
    });
  })
  .meta({
    description:
      'Client addresses the key may be used from, e.g. ["203.0.113.0/24", "2001:db8::/32"]; null or [] for any.',
  });

const METADATA_MAX_BYTES = 4096;
const utf8 = new TextEncoder();

/** Free-form JSON object stored with the key, at most 4 KiB once serialized. */
export const metadataSchema = z
  .record(z.string().max(128), z.unknown(), { error: "must be an object" })
  .superRefine((value, ctx) => {
    // Depth and text first, without recursion: a 10,000-deep object is a 400, not a stack overflow.
    const problem = metadataProblem(value);
    if (problem !== null) {
      ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
      return;
    }
    if (utf8.encode(JSON.stringify(value)).length > METADATA_MAX_BYTES)
      ctx.addIssue({ code: "custom", message: `must be at most ${METADATA_MAX_BYTES} bytes as JSON` });
  })
  .meta({ description: "Free-form JSON object (at most 4 KiB serialized)." });

/** A human-readable label, or null. */
export const nameSchema = z
  .string({ error: "must be a string or null" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(200, { error: "must be at most 200 characters" })
  .superRefine(storableText)
  .nullable();

/** An RFC 3339 timestamp with a time zone, turned into a Date. */
export const timestampInputSchema = z.iso
  .datetime({ offset: true, error: 'must be an RFC 3339 date-time like "2030-01-31T00:00:00Z"' })
  .transform((text) => new Date(text))
  .refine((date) => instantProblem(date.getTime()) === null, {
    error: "must be a date from 1970-01-01 to 9999-12-31 (UTC)",
  });

const algorithmSchema = z.enum(RATE_LIMIT_ALGORITHMS, {
  error: `must be ${RATE_LIMIT_ALGORITHMS.map((name) => `"${name}"`).join(", ")}`,
});

const positiveInt = z
  .number({ error: "must be a number" })
  .int({ error: "must be a whole number" })
  .min(1, { error: "must be at least 1" })
  .max(Number.MAX_SAFE_INTEGER);

/** `{ limit, window, algorithm? }`. */
const rateLimitPolicySchema = z.strictObject({
  limit: positiveInt,
  window: durationSchema,
  algorithm: algorithmSchema.optional(),
});

/** One named limit of a list. */
const namedRateLimitSchema = z.strictObject({
  name: z.string().regex(LIMIT_NAME_PATTERN, { error: `must be ${LIMIT_NAME_RULE}` }),
  limit: positiveInt,
  window: durationSchema,
  algorithm: algorithmSchema.optional(),
  autoApply: z.boolean().optional(),
});

const rateLimitShape = z.union([rateLimitPolicySchema, z.array(namedRateLimitSchema).max(20), z.null()], {
  error: "must be { limit, window }, a list of named limits, or null",
});

/** A key's rate limit: one policy, a list of named limits, or null for none. */
export const rateLimitInputSchema = rateLimitShape
  .superRefine(serviceRateLimitRules)
  .meta({ description: "One policy (named `default`), a list of named limits, or null for no limit." });

/** A credit balance, optionally refilled (replaced) every `interval`. */
export const quotaInputSchema = z
  .strictObject({
    limit: positiveInt,
    refill: z
      .strictObject({ interval: durationSchema, amount: positiveInt.optional() })
      .superRefine((refill, ctx) => {
        if (parseDuration(refill.interval as Duration, "interval") > MAX_REFILL_INTERVAL)
          ctx.addIssue({ code: "custom", path: ["interval"], message: "must be at most 1000 years" });
      })
      .nullable()
      .optional(),
    remaining: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .nullable()
  .meta({ description: "Usage credits; setting a quota resets its balance. null removes it." });

/**
 * The rules of `resolveRateLimit` the field schemas cannot express (reserved and repeated
 * names, the `limit × window` bound), checked by the service's own resolver so the API and
 * the service never disagree. Its `TypeError` becomes an issue at the field it names.
 */
function serviceRateLimitRules(value: unknown, ctx: z.RefinementCtx): void {
  // Only a well-shaped value reaches the service's rules (the field schemas reported the rest).
  if (value === null || !rateLimitShape.safeParse(value).success) return;
  try {
    resolveRateLimit(value as never, "rateLimit");
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const match = /^keyward: option "rateLimit((?:\[\d+\]|\.\w+)*)" (.*)$/.exec(error.message);
    const path =
      match?.[1]?.match(/\d+|\w+/g)?.map((part) => (/^\d+$/.test(part) ? Number(part) : part)) ?? [];
    ctx.addIssue({ code: "custom", message: match?.[2] ?? error.message, path, input: value });
  }
}
