/**
 * Checks what callers pass to `create`, `import` and `update`. Every problem becomes
 * `KeywardError("invalid_request")` with a message naming the field — these values come from
 * users at run time (often through the management API), unlike options, which are code.
 */
import { parseDuration } from "../duration/index.js";
import { KeywardError } from "../errors/index.js";
import { resolveAllowedIps } from "../ip/index.js";
import { resolveQuota } from "../quota/index.js";
import { resolveRateLimit } from "../ratelimit/index.js";
import type { KeyPatch } from "../store/types.js";
import type { QuotaConfig, ResolvedRateLimit } from "../types.js";
import type { ResolvedConfig } from "./options.js";
import { instantProblem, MAX_REFILL_INTERVAL, metadataProblem, textProblem } from "./representable.js";

const MAX_TEXT = 256;
const MAX_METADATA_BYTES = 64 * 1024;

/** A quota to install with `setQuota`: its configuration and starting balance. */
export interface QuotaSetting {
  config: QuotaConfig;
  remaining: number;
}

/** The stored fields a create/import input resolves to. */
export interface KeyFields {
  name: string | null;
  ownerId: string | null;
  scopes: string[];
  metadata: Record<string, unknown>;
  enabled: boolean;
  expiresAt: number | null;
  rateLimit: ResolvedRateLimit[] | null;
  quota: QuotaSetting | null;
  allowedIps: string[] | null;
  /** Where a created key comes from (`data.source` of `key.created`); "import" for an import. */
  source: "api" | "management_api" | "cli" | "import";
}

const invalid = (message: string): never => {
  throw new KeywardError("invalid_request", `keyward: ${message}`);
};

/** Runs a colleague validator that throws TypeError and turns it into invalid_request. */
function asRequest<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof TypeError)
      throw new KeywardError("invalid_request", error.message, { cause: error });
    throw error;
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

function checkFields(input: Record<string, unknown>, allowed: readonly string[], what: string): void {
  const unknown = Object.keys(input).filter((name) => !allowed.includes(name) && input[name] !== undefined);
  if (unknown.length > 0)
    invalid(
      `unknown field${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => `"${n}"`).join(", ")} in ${what}`,
    );
}

function text(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_TEXT) {
    invalid(`"${field}" must be a non-empty string of at most ${MAX_TEXT} characters, or null`);
  }
  const problem = textProblem(value as string);
  if (problem !== null) invalid(`"${field}" ${problem}`);
  return value as string;
}

function scopes(value: unknown, config: ResolvedConfig): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((scope) => typeof scope !== "string")) {
    invalid(`"scopes" must be a list of scope or preset names`);
  }
  const list = [...new Set(value as string[])];
  asRequest(() => config.scopes.validate(list, "scopes"));
  return list;
}

function metadata(value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) invalid(`"metadata" must be a plain object`);
  const problem = metadataProblem(value);
  if (problem !== null) invalid(`"${["metadata", ...problem.path].join(".")}" ${problem.message}`);
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    return invalid(`"metadata" must be JSON-serializable`);
  }
  if (Buffer.byteLength(json) > MAX_METADATA_BYTES) invalid(`"metadata" must be at most 64 KiB as JSON`);
  return JSON.parse(json) as Record<string, unknown>;
}

function boolean(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") invalid(`"${field}" must be a boolean`);
  return value as boolean;
}

function instant(value: unknown, field: string): number | null {
  if (value === undefined || value === null) return null;
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    invalid(`"${field}" must be a valid Date or null`);
  const problem = instantProblem((value as Date).getTime());
  if (problem !== null) invalid(`"${field}" ${problem}`);
  return (value as Date).getTime();
}

function rateLimit(value: unknown): ResolvedRateLimit[] | null {
  if (value === undefined) return null; // the keyward-wide default applies
  if (value === null) return []; // explicitly no limit
  return asRequest(() => resolveRateLimit(value as never, "rateLimit")) ?? [];
}

function quota(value: unknown): QuotaSetting | null {
  if (value === undefined || value === null) return null;
  const setting = asRequest(() => resolveQuota(value as never, "quota"));
  const interval = setting.config.refill?.interval ?? 0;
  if (interval > MAX_REFILL_INTERVAL) invalid(`"quota.refill.interval" must be at most 1000 years`);
  return setting;
}

const CREATE_FIELDS = [
  "name",
  "ownerId",
  "scopes",
  "expiresIn",
  "expiresAt",
  "metadata",
  "enabled",
  "rateLimit",
  "quota",
  "allowedIps",
  "source",
];

const SOURCES = ["api", "management_api", "cli"] as const;

/** Resolves a `create` (or, with `importing`, an `import`) input; `now` anchors `expiresIn`. */
export function resolveCreateInput(
  input: unknown,
  config: ResolvedConfig,
  now: number,
  importing = false,
): KeyFields {
  const source = input ?? {};
  if (!isPlainObject(source))
    return invalid(`the ${importing ? "import" : "create"} input must be an object`);
  checkFields(
    source,
    importing
      ? [...CREATE_FIELDS.filter((f) => f !== "expiresIn" && f !== "source"), "token", "sha256"]
      : CREATE_FIELDS,
    importing ? "import" : "create",
  );
  if (source.expiresIn !== undefined && source.expiresAt !== undefined && source.expiresAt !== null) {
    invalid(`give "expiresIn" or "expiresAt", not both`);
  }
  let expiresAt = instant(source.expiresAt, "expiresAt");
  if (source.expiresIn !== undefined) {
    const ms = asRequest(() => parseDuration(source.expiresIn as never, "expiresIn"));
    if (ms <= 0) invalid(`"expiresIn" must be a positive duration`);
    expiresAt = now + ms;
    if (instantProblem(expiresAt) !== null) invalid(`"expiresIn" must end by 9999-12-31 (UTC)`);
  }
  if (!importing && expiresAt !== null && expiresAt <= now) invalid(`"expiresAt" must be in the future`);
  if (source.source !== undefined && !SOURCES.includes(source.source as never))
    invalid(`"source" must be one of ${SOURCES.map((s) => `"${s}"`).join(", ")}`);
  return {
    name: text(source.name, "name"),
    ownerId: text(source.ownerId, "ownerId"),
    scopes: scopes(source.scopes, config),
    metadata: metadata(source.metadata),
    enabled: boolean(source.enabled, "enabled", true),
    expiresAt,
    rateLimit: rateLimit(source.rateLimit),
    quota: quota(source.quota),
    allowedIps: asRequest(() => resolveAllowedIps(source.allowedIps)),
    source: importing ? "import" : ((source.source as KeyFields["source"] | undefined) ?? "api"),
  };
}

/** A resolved `update`: the store patch, the quota change (undefined: none), the changed field names. */
interface ResolvedUpdate {
  patch: Omit<KeyPatch, "updatedAt">;
  quota: QuotaSetting | null | undefined;
  changes: string[];
}

const UPDATE_FIELDS = [
  "name",
  "enabled",
  "scopes",
  "metadata",
  "expiresAt",
  "rateLimit",
  "quota",
  "allowedIps",
];

/** Resolves an `update` patch. Fields left undefined are not changed. */
export function resolveUpdateInput(input: unknown, config: ResolvedConfig): ResolvedUpdate {
  if (!isPlainObject(input)) return invalid("the update must be an object");
  checkFields(input, UPDATE_FIELDS, "update");
  const patch: Omit<KeyPatch, "updatedAt"> = {};
  const changes = UPDATE_FIELDS.filter((field) => input[field] !== undefined);
  if (input.name !== undefined) patch.name = text(input.name, "name");
  if (input.enabled !== undefined) patch.enabled = boolean(input.enabled, "enabled", true);
  if (input.scopes !== undefined) patch.scopes = scopes(input.scopes, config);
  if (input.metadata !== undefined) patch.metadata = metadata(input.metadata);
  if (input.expiresAt !== undefined) patch.expiresAt = instant(input.expiresAt, "expiresAt");
  if (input.rateLimit !== undefined)
    patch.rateLimit = input.rateLimit === "default" ? null : rateLimit(input.rateLimit);
  if (input.allowedIps !== undefined) patch.allowedIps = asRequest(() => resolveAllowedIps(input.allowedIps));
  let quotaChange: QuotaSetting | null | undefined;
  if (input.quota !== undefined) {
    quotaChange = quota(input.quota);
    patch.quota = quotaChange?.config ?? null;
  }
  return { patch, quota: quotaChange, changes };
}
