/**
 * Requirements read per operation from an API description instead of from code: with
 * `createAuthenticator(keyward, { openapi: spec })` each request is matched to its operation
 * (method and path template) and checked against that operation's scopes. The description is
 * any object of the {@link OperationSource} shape; `@keyward/openapi`'s `loadOpenApi()` makes one.
 */
import type { Keyward, ScopeRequirement } from "../types.js";
import { problemResponse } from "./problem.js";
import type { Authenticator, AuthOptions, AuthOutcome, AuthRequest } from "./types.js";

/**
 * What an operation asks of a caller: a key satisfying `scopes`; the same but anonymous calls
 * allowed (`optional`); nothing (`public`); or schemes keyward does not handle (`external`,
 * left to them).
 */
export type OperationRequirementLike =
  | { readonly kind: "scopes"; readonly scopes: ScopeRequirement }
  | { readonly kind: "optional"; readonly scopes: ScopeRequirement }
  | { readonly kind: "public" }
  | { readonly kind: "external" };

/** One operation of an API description. */
export interface OperationLike {
  readonly method: string;
  readonly path: string;
  readonly operationId?: string | undefined;
  readonly requirement: OperationRequirementLike;
}

/** An API description keyward can enforce (an `OpenApiSpec` from `@keyward/openapi`). */
export interface OperationSource {
  readonly operations: readonly OperationLike[];
  /** The operation serving `method` on the request path `path`, or null. */
  match(method: string, path: string): OperationLike | null;
  operation(operationId: string): OperationLike | undefined;
}

/** The options only the description-driven authenticator reads. */
export interface OperationOptions {
  /**
   * An API description whose operations carry the scopes (`loadOpenApi()` from
   * `@keyward/openapi`). Cannot be combined with `scopes` or `optional`: a route's
   * requirement comes from the description or from code, not both.
   */
  openapi?: OperationSource;
  /**
   * With `openapi`: enforce this one operation instead of matching each request (Next route
   * handlers, where the file already is the route).
   */
  operationId?: string;
  /**
   * With `openapi`: what to do with a request no operation matches — `"reject"` answers 404
   * problem+json (`not_found`), `"pass"` lets it through unauthenticated (`key: null`).
   * @defaultValue "reject"
   */
  unknownRoutes?: "reject" | "pass";
}

const PASS: AuthOutcome = Object.freeze({ ok: true, key: null, headers: Object.freeze({}) }) as AuthOutcome;

function pathOf(url: string): string {
  if (url.startsWith("/")) return url;
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/**
 * Builds the authenticator of `options.openapi`: one route authenticator per operation, made
 * once (scopes compiled with keyward's presets), then a match per request. Null when
 * `openapi` is not given (the route's requirement is in code).
 *
 * @param create - `createAuthenticator`, for each operation's own requirement
 * @throws TypeError when `scopes` or `optional` is given beside `openapi`, when `operationId`
 *   or `unknownRoutes` is given without it, when `operationId` names no operation, or when
 *   `unknownRoutes` is neither "reject" nor "pass"
 */
export function operationAuthenticator(
  keyward: Keyward,
  options: AuthOptions & OperationOptions,
  create: (keyward: Keyward, options: AuthOptions) => Authenticator,
): Authenticator | null {
  const { openapi: source, operationId, unknownRoutes = "reject", ...rest } = options;
  if (source === undefined) {
    const orphan =
      operationId !== undefined
        ? "operationId"
        : options.unknownRoutes !== undefined
          ? "unknownRoutes"
          : null;
    if (orphan !== null)
      throw new TypeError(`keyward auth option "${orphan}" needs the "openapi" option beside it`);
    return null;
  }
  if (typeof source !== "object" || source === null || typeof source.match !== "function") {
    throw new TypeError(
      'keyward auth option "openapi": expected a loaded document (loadOpenApi() from @keyward/openapi)',
    );
  }
  for (const name of ["scopes", "optional"] as const) {
    if (rest[name] !== undefined) {
      throw new TypeError(
        `keyward auth options "${name}" and "openapi" cannot both be given: the route's requirement comes from the OpenAPI document or from code, not both`,
      );
    }
  }
  if (unknownRoutes !== "reject" && unknownRoutes !== "pass") {
    throw new TypeError(
      `keyward auth option "unknownRoutes": expected "reject" or "pass", got ${JSON.stringify(unknownRoutes)}`,
    );
  }

  const forOperation = (operation: OperationLike): Authenticator => {
    const { requirement } = operation;
    if (requirement.kind === "public" || requirement.kind === "external") return async () => PASS;
    return create(keyward, {
      ...rest,
      scopes: requirement.scopes,
      optional: requirement.kind === "optional",
    });
  };

  if (operationId !== undefined) {
    const operation = source.operation(operationId);
    if (operation === undefined) {
      throw new TypeError(
        `keyward auth option "operationId": the OpenAPI document has no operation "${operationId}"`,
      );
    }
    return forOperation(operation);
  }

  const compiled = new Map(source.operations.map((operation) => [operation, forOperation(operation)]));
  const problem = rest.problemTypeBase === undefined ? undefined : { typeBase: rest.problemTypeBase };
  return function authenticateOperation(request: AuthRequest, previous) {
    const path = pathOf(request.url);
    const operation = source.match(request.method, path);
    const authenticate = operation === null ? undefined : compiled.get(operation);
    if (authenticate !== undefined) return authenticate(request, previous);
    if (unknownRoutes === "pass") return Promise.resolve(PASS);
    const detail = `No operation of the API's OpenAPI document matches ${request.method.toUpperCase()} ${path.split("?")[0]}.`;
    return Promise.resolve({
      ok: false,
      response: problemResponse("not_found", detail, undefined, undefined, problem),
    });
  };
}
