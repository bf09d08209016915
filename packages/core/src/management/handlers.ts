/**
 * The seven key operations. Each receives the caller's owner id and the already-parsed body or
 * query, and answers a response. Tenant isolation lives in {@link ownedKey}: a key of another
 * owner is indistinguishable from a key that does not exist.
 */
import { parseDuration } from "../duration/index.js";
import { isKeywardError } from "../errors/index.js";
import type { HttpResponse } from "../http/types.js";
import { instantProblem } from "../service/representable.js";
import type { ApiKey, CreateKeyInput, Duration, KeyPage, Keyward, UpdateKeyInput } from "../types.js";
import { ceilingProblem } from "./ceiling.js";
import type { ResolvedKeysApiOptions } from "./options.js";
import { checkExpiresAt, checkExpiresIn, checkScopes } from "./policy.js";
import { emptyResponse, jsonResponse, type Problems } from "./responses.js";
import type { RequestSchemas } from "./schemas/requests.js";
import { listScopes } from "./scopes.js";
import { keyToJson } from "./serialize.js";
import { type ValidationError, validate } from "./validate.js";

/** What every operation gets. */
export interface OperationContext {
  keyward: Keyward;
  options: ResolvedKeysApiOptions;
  schemas: RequestSchemas;
  problems: Problems;
  owner: string;
  id: string | null;
  body: unknown;
  query: Record<string, string | string[]>;
}

/** The one answer for an unknown id and for another owner's id. */
export const NOT_FOUND_DETAIL = "No API key with this id.";

const TOKEN_HEADERS = { "Cache-Control": "no-store", Pragma: "no-cache" } as const;

/** The key when it exists and belongs to `owner`; null otherwise (both answer 404). */
async function ownedKey(context: OperationContext): Promise<ApiKey | null> {
  const key = await context.keyward.get(context.id!);
  return key !== null && key.ownerId === context.owner ? key : null;
}

function notFound(context: OperationContext): HttpResponse {
  return context.problems.problem("not_found", NOT_FOUND_DETAIL);
}

function invalid(context: OperationContext, errors: readonly ValidationError[]): HttpResponse {
  const count = errors.length === 1 ? "1 problem" : `${errors.length} problems`;
  return context.problems.invalid(`The request has ${count}; see errors.`, errors);
}

async function createKey(context: OperationContext): Promise<HttpResponse> {
  const parsed = validate(context.schemas.create, context.body ?? {});
  if (!parsed.ok) return invalid(context, parsed.errors);
  const body = parsed.value as typeof parsed.value & Pick<CreateKeyInput, "rateLimit" | "quota">;
  const { options } = context;
  const errors: ValidationError[] = [];
  if (body.ownerId !== undefined && body.ownerId !== context.owner) {
    errors.push({
      path: "/ownerId",
      message: "must be your own owner id (or left out): keys are created for the caller",
    });
  }
  checkScopes(options, body.scopes, errors);
  let expiresIn: number | null = null;
  if (body.expiresIn !== undefined) {
    expiresIn = parseDuration(body.expiresIn as Duration, "expiresIn");
    checkExpiresIn(options, expiresIn, errors);
  } else if (body.expiresAt !== undefined) {
    checkExpiresAt(options, body.expiresAt, true, errors);
  } else {
    expiresIn = options.defaultExpiresIn;
  }
  if (errors.length > 0) return invalid(context, errors);
  const aboveRole = await ceilingProblem(context.keyward, context.owner, body.scopes, context.problems);
  if (aboveRole !== null) return aboveRole;

  const { defaults } = options;
  const input: CreateKeyInput = {
    ownerId: context.owner,
    name: body.name ?? null,
    scopes: body.scopes ?? defaults.scopes ?? [],
    metadata: { ...defaults.metadata, ...body.metadata },
    enabled: body.enabled ?? true,
    source: "management_api",
  };
  if (body.allowedIps !== undefined) input.allowedIps = body.allowedIps;
  if (expiresIn !== null) input.expiresIn = expiresIn;
  else if (body.expiresAt !== undefined) input.expiresAt = body.expiresAt;
  const rateLimit = body.rateLimit !== undefined ? body.rateLimit : defaults.rateLimit;
  if (rateLimit !== undefined) input.rateLimit = rateLimit;
  const quota = body.quota !== undefined ? body.quota : defaults.quota;
  if (quota !== undefined) input.quota = quota;

  const { token, key } = await context.keyward.create(input);
  return jsonResponse(201, { token, key: keyToJson(key) }, TOKEN_HEADERS);
}

async function listKeys(context: OperationContext): Promise<HttpResponse> {
  const parsed = validate(context.schemas.list, context.query);
  if (!parsed.ok) return invalid(context, parsed.errors);
  const { scope, enabled, limit, cursor } = parsed.value;
  let page: KeyPage;
  try {
    page = await context.keyward.list({
      ownerId: context.owner,
      limit,
      ...(scope === undefined ? {} : { scope }),
      ...(enabled === undefined ? {} : { enabled }),
      ...(cursor === undefined ? {} : { cursor }),
    });
  } catch (error) {
    // Every other list parameter was validated above; what the service refuses is the cursor.
    if (cursor === undefined || !isKeywardError(error, "invalid_request")) throw error;
    return invalid(context, [{ path: "/cursor", message: "is not a cursor this API returned" }]);
  }
  // The store already filtered by owner; this second look costs nothing and keeps a faulty
  // store from ever showing one tenant another's key.
  const items = page.items.filter((key) => key.ownerId === context.owner).map(keyToJson);
  return jsonResponse(200, { items, nextCursor: page.nextCursor });
}

async function getKey(context: OperationContext): Promise<HttpResponse> {
  const key = await ownedKey(context);
  return key === null ? notFound(context) : jsonResponse(200, keyToJson(key));
}

async function updateKey(context: OperationContext): Promise<HttpResponse> {
  const parsed = validate(context.schemas.update, context.body ?? {});
  if (!parsed.ok) return invalid(context, parsed.errors);
  const patch = parsed.value as UpdateKeyInput;
  const errors: ValidationError[] = [];
  checkScopes(context.options, patch.scopes, errors);
  if (patch.expiresAt !== undefined) checkExpiresAt(context.options, patch.expiresAt, false, errors);
  if (errors.length > 0) return invalid(context, errors);

  const key = await ownedKey(context);
  if (key === null) return notFound(context);
  if (Object.keys(patch).length === 0) return jsonResponse(200, keyToJson(key));
  const aboveRole = await ceilingProblem(context.keyward, context.owner, patch.scopes, context.problems);
  if (aboveRole !== null) return aboveRole;
  return jsonResponse(200, keyToJson(await context.keyward.update(key.id, patch)));
}

async function rotateKey(context: OperationContext): Promise<HttpResponse> {
  const parsed = validate(context.schemas.rotate, context.body ?? {});
  if (!parsed.ok) return invalid(context, parsed.errors);
  const key = await ownedKey(context);
  if (key === null) return notFound(context);
  const { gracePeriod } = parsed.value;
  if (gracePeriod !== undefined) {
    const retireAt = context.options.clock() + parseDuration(gracePeriod as Duration, "gracePeriod");
    if (key.expiresAt === null && instantProblem(retireAt) !== null)
      return invalid(context, [{ path: "/gracePeriod", message: "must end by 9999-12-31 (UTC)" }]);
  }
  const rotated = await context.keyward.rotate(
    key.id,
    gracePeriod === undefined ? {} : { gracePeriod: gracePeriod as Duration },
  );
  return jsonResponse(200, { token: rotated.token, key: keyToJson(rotated.key) }, TOKEN_HEADERS);
}

async function revokeKey(context: OperationContext): Promise<HttpResponse> {
  const parsed = validate(context.schemas.revoke, context.body ?? {});
  if (!parsed.ok) return invalid(context, parsed.errors);
  const key = await ownedKey(context);
  if (key === null) return notFound(context);
  return jsonResponse(200, keyToJson(await context.keyward.revoke(key.id)));
}

async function deleteKey(context: OperationContext): Promise<HttpResponse> {
  const key = await ownedKey(context);
  if (key === null) return notFound(context);
  await context.keyward.delete(key.id);
  return emptyResponse();
}

/** Every key operation by name. */
export const OPERATIONS = {
  createKey,
  listKeys,
  getKey,
  updateKey,
  rotateKey,
  revokeKey,
  deleteKey,
  listScopes,
} as const;
