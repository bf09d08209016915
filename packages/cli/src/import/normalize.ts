import type { ImportKeyInput } from "@keyward/core";
import { parseScopes } from "../parse/values.js";

const KNOWN = new Set([
  "token",
  "sha256",
  "name",
  "owner",
  "ownerId",
  "owner_id",
  "scopes",
  "expires_at",
  "expiresAt",
  "metadata",
  "enabled",
]);
const SHA256 = /^[0-9a-fA-F]{64}$/;

/** A line that cannot become a key; the message never contains the line's secret. */
export class LineError extends Error {
  override readonly name = "LineError";
}

/**
 * Turns one import record into `keyward.import()` input. CSV cells arrive as strings: scopes
 * separated by spaces, commas or semicolons, metadata as a JSON object, enabled as true/false.
 * JSONL fields may use the native types (a scopes array, a metadata object, a boolean).
 * `expires_at` is an ISO 8601 date-time or epoch milliseconds.
 *
 * @throws LineError describing the first problem
 */
export function toImportInput(
  fields: Record<string, unknown>,
  presets?: Record<string, unknown>,
): ImportKeyInput {
  for (const key of Object.keys(fields)) {
    if (!KNOWN.has(key)) throw new LineError(`unknown field ${JSON.stringify(key)}`);
  }
  const token = optionalString(fields.token, "token");
  const sha256 = optionalString(fields.sha256, "sha256");
  if (token !== undefined && sha256 !== undefined) throw new LineError("has both token and sha256; give one");
  if (token === undefined && sha256 === undefined) throw new LineError("needs a token or a sha256");
  if (sha256 !== undefined && !SHA256.test(sha256))
    throw new LineError("sha256 must be 64 hexadecimal characters");
  if (token !== undefined && /\s/.test(token)) throw new LineError("token contains whitespace");

  const base = {
    ...(name(fields) ?? {}),
    ...owner(fields),
    ...scopes(fields.scopes, presets),
    ...expiresAt(fields.expires_at ?? fields.expiresAt),
    ...metadata(fields.metadata),
    ...enabled(fields.enabled),
  };
  return token !== undefined ? { ...base, token } : { ...base, sha256: sha256! };
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new LineError(`${field} must be a string`);
  return value.trim();
}

function name(fields: Record<string, unknown>) {
  const value = optionalString(fields.name, "name");
  return value === undefined ? undefined : { name: value };
}

function owner(fields: Record<string, unknown>) {
  const value = optionalString(fields.owner ?? fields.ownerId ?? fields.owner_id, "owner");
  return value === undefined ? {} : { ownerId: value };
}

function scopes(value: unknown, presets?: Record<string, unknown>) {
  if (value === undefined || value === null || value === "") return {};
  let list: string[];
  if (typeof value === "string") list = value.split(/[\s,;]+/).filter((part) => part !== "");
  else if (Array.isArray(value) && value.every((entry) => typeof entry === "string")) list = value;
  else throw new LineError("scopes must be a list of strings or a space-separated string");
  try {
    return { scopes: parseScopes(list, presets) };
  } catch (error) {
    throw new LineError((error as Error).message);
  }
}

function expiresAt(value: unknown) {
  if (value === undefined || value === null || value === "") return {};
  let date: Date | undefined;
  if (typeof value === "number") date = new Date(value);
  else if (typeof value === "string") date = /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  if (!date || Number.isNaN(date.getTime())) {
    throw new LineError("expires_at must be an ISO 8601 date-time or epoch milliseconds");
  }
  return { expiresAt: date };
}

function metadata(value: unknown) {
  if (value === undefined || value === null || value === "") return {};
  let parsed = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new LineError("metadata must be a JSON object");
    }
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new LineError("metadata must be a JSON object");
  }
  return { metadata: parsed as Record<string, unknown> };
}

function enabled(value: unknown) {
  if (value === undefined || value === null || value === "") return {};
  if (value === true || value === "true") return { enabled: true };
  if (value === false || value === "false") return { enabled: false };
  throw new LineError("enabled must be true or false");
}
