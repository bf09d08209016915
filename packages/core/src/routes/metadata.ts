/**
 * Route metadata: what `apiKeyAuth()` / `webhookAuth()` protect a route with, attached to the
 * middleware or handler they return under a global symbol, so that `routeTable()` can read an
 * app's protected surface from the framework's own route list.
 */
import type { OperationLike, OperationSource } from "../http/operations.js";
import type { AuthOptions } from "../http/types.js";
import type { RoutePolicy, ScopeRequirement } from "../types.js";
import type { WebhookProvider } from "../webhooks/types.js";

/** The symbol (`Symbol.for("keyward.route")`) route metadata lives under. */
export const ROUTE_METADATA: unique symbol = Symbol.for("keyward.route") as never;

/** What one keyward middleware or wrapper protects a route with. */
export type RouteMetadata =
  | {
      auth: "apiKey";
      scopes: ScopeRequirement;
      rateLimit: readonly (string | RoutePolicy)[] | false | null;
      optional: boolean;
      /** `apiKeyAuth({ openapi })`: the requirement is the matching operation's. */
      openapi?: OperationSource;
      operationId?: string;
    }
  | { auth: "webhook"; provider: WebhookProvider };

/** How a route is protected, as the route table shows it. */
export type RouteAuth = "apiKey" | "webhook" | "none";

/**
 * One row of a route table. Paths are in OpenAPI template form (`/v1/tasks/{id}`).
 * `scopes` is the requirement (all-of list, `{ anyOf }`, or a query when router and route
 * requirements of different kinds combine); `rateLimit` the listed limits, null when the
 * route lists none (the key's default limits apply), false for none.
 */
export interface RouteTableEntry {
  method: string;
  path: string;
  auth: RouteAuth;
  scopes: ScopeRequirement;
  rateLimit: readonly (string | RoutePolicy)[] | false | null;
  /** `apiKeyAuth({ optional: true })`: callable without a key (a bad key is still refused). */
  optional?: true;
  /** The signature scheme of a webhook route. */
  provider?: WebhookProvider;
  /** The requirement comes from an OpenAPI document (`apiKeyAuth({ openapi })`). */
  openapi?: true;
  /** The document's operation serving this route, when it has an `operationId`. */
  operationId?: string;
}

/** Attaches `metadata` to `target` (non-enumerable) and returns it. */
export function tagRoute<T extends object>(target: T, metadata: RouteMetadata): T {
  Object.defineProperty(target, ROUTE_METADATA, { value: Object.freeze(metadata), enumerable: false });
  return target;
}

/** The metadata on a middleware or handler, or undefined. */
export function routeMetadata(value: unknown): RouteMetadata | undefined {
  if ((typeof value !== "function" && typeof value !== "object") || value === null) return undefined;
  return (value as { [ROUTE_METADATA]?: RouteMetadata })[ROUTE_METADATA];
}

/** The metadata of an `apiKeyAuth()` with these options. */
export function apiKeyMetadata(options: AuthOptions = {}): RouteMetadata {
  const metadata: RouteMetadata = {
    auth: "apiKey",
    scopes: options.scopes ?? [],
    rateLimit: options.rateLimit ?? null,
    optional: options.optional === true,
  };
  if (options.openapi !== undefined) metadata.openapi = options.openapi;
  if (options.operationId !== undefined) metadata.operationId = options.operationId;
  return metadata;
}

/**
 * The row of a route whose requirement comes from an OpenAPI document: the operation's scopes
 * (or `auth: "none"` for a public operation, which keyward lets through), marked `openapi`.
 * A route the document does not describe keeps `auth: "apiKey"` (keyward answers it 404) with
 * no scopes, so the gate reports it as undocumented.
 */
function fromDocument(
  method: string,
  path: string,
  source: OperationSource,
  operationId: string | undefined,
  rateLimit: RouteTableEntry["rateLimit"],
): RouteTableEntry {
  const operation: OperationLike | null | undefined =
    operationId === undefined ? source.match(method, path) : source.operation(operationId);
  const entry: RouteTableEntry = { method, path, auth: "apiKey", scopes: [], rateLimit, openapi: true };
  if (operation?.operationId !== undefined) entry.operationId = operation.operationId;
  const requirement = operation?.requirement;
  if (requirement === undefined) return entry;
  if (requirement.kind === "public" || requirement.kind === "external") return { ...entry, auth: "none" };
  entry.scopes = requirement.scopes;
  if (requirement.kind === "optional") entry.optional = true;
  return entry;
}

function asQuery(requirement: ScopeRequirement): string {
  if (typeof requirement === "string") return `(${requirement})`;
  if (Array.isArray(requirement)) return requirement.join(" AND ");
  return `(${(requirement as { anyOf: readonly string[] }).anyOf.join(" OR ")})`;
}

/**
 * The row of a route protected by `chain` (outermost first: router-level, then route-level):
 * any webhook check makes it a webhook route; otherwise scopes must all hold (lists are
 * concatenated, mixed kinds become one query) and rate-limit lists add up.
 */
export function describeRoute(
  method: string,
  path: string,
  chain: readonly RouteMetadata[],
): RouteTableEntry {
  const webhook = chain.find((m) => m.auth === "webhook");
  if (webhook)
    return { method, path, auth: "webhook", scopes: [], rateLimit: null, provider: webhook.provider };
  const keys = chain.filter((m): m is Extract<RouteMetadata, { auth: "apiKey" }> => m.auth === "apiKey");
  if (keys.length === 0) return { method, path, auth: "none", scopes: [], rateLimit: null };
  const requirements = keys.map((m) => m.scopes).filter((s) => !(Array.isArray(s) && s.length === 0));
  let scopes: ScopeRequirement = [];
  if (requirements.length === 1) scopes = requirements[0]!;
  else if (requirements.every(Array.isArray)) scopes = [...new Set(requirements.flat() as string[])];
  else if (requirements.length > 1) scopes = requirements.map(asQuery).join(" AND ");
  let rateLimit: RouteTableEntry["rateLimit"] = null;
  for (const m of keys) {
    if (m.rateLimit === null) continue;
    if (m.rateLimit === false) rateLimit = rateLimit ?? false;
    else rateLimit = [...(rateLimit || []), ...m.rateLimit];
  }
  const described = keys.find((m) => m.openapi !== undefined);
  if (described?.openapi !== undefined) {
    return fromDocument(method, path, described.openapi, described.operationId, rateLimit);
  }
  const entry: RouteTableEntry = { method, path, auth: "apiKey", scopes, rateLimit };
  if (keys.every((m) => m.optional)) entry.optional = true;
  return entry;
}

/** `/v1/tasks/:id` (Express, Fastify) → `/v1/tasks/{id}`; `*name` and `*` become `{name}` / `{wildcard}`. */
export function openApiPath(path: string): string {
  const templated = path
    .replace(/:([A-Za-z0-9_]+)(\([^)]*\))?\??/g, "{$1}")
    .replace(/\*([A-Za-z0-9_]+)/g, "{$1}")
    .replace(/\*/g, "{wildcard}");
  const collapsed = templated.replace(/\/{2,}/g, "/");
  return collapsed.length > 1 ? collapsed.replace(/\/$/, "") : collapsed || "/";
}
