/**
 * Public types of @keyward/openapi. Nothing here has runtime behaviour.
 */
import type { ScopeRequirement } from "@keyward/core";

/** An HTTP method as OpenAPI lists it, upper-cased: `"GET"`, `"POST"`, … */
export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE";

/**
 * What one operation asks of a caller, derived from the document:
 * - `scopes`: an API key is required and must satisfy `scopes` (a keyward scope requirement:
 *   a list is all-of, `{ anyOf }` one-of, a string an `AND`/`OR` query);
 * - `public`: `security: []` — no credentials at all (OpenAPI 3.1 §4.8.10.2);
 * - `optional`: one `security` alternative is the empty object `{}`, so anonymous calls are
 *   allowed, yet a key that is sent must be valid and satisfy `scopes`;
 * - `external`: the operation is secured only by schemes keyward does not handle (OAuth 2,
 *   OpenID Connect, basic auth, mutual TLS); keyward leaves it to them.
 */
export type OperationRequirement =
  | { readonly kind: "scopes"; readonly scopes: ScopeRequirement; readonly source: RequirementSource }
  | { readonly kind: "optional"; readonly scopes: ScopeRequirement; readonly source: RequirementSource }
  | { readonly kind: "public"; readonly source: "security" }
  | { readonly kind: "external"; readonly source: "security" };

/**
 * Where a requirement was read from: the `x-required-scopes` (all of) or
 * `x-required-any-scopes` (one of) extension, or the scopes of the operation's (or the
 * document's) `security` requirement for an apiKey or http-bearer scheme.
 */
export type RequirementSource = "x-required-scopes" | "x-required-any-scopes" | "security";

/** One operation of the document. */
export interface OpenApiOperation {
  readonly method: HttpMethod;
  /** The path template as written in the document, e.g. `/v1/tasks/{id}`. */
  readonly path: string;
  readonly operationId: string | undefined;
  readonly requirement: OperationRequirement;
  /** Every scope this operation names (flattened, in order, deduplicated). */
  readonly scopes: readonly string[];
}

/** One scope of the catalogue. */
export interface ScopeEntry {
  readonly name: string;
  /** From `x-scope-descriptions`, a `oneOf` of `{ const, description }`, `x-enum-descriptions` or an OAuth 2 flow's `scopes` map; `""` when none is given. */
  readonly description: string;
}

/** The scopes a document declares, and the presets it declares with `x-scope-presets`. */
export interface ScopeCatalogue {
  /** In document order: `x-all-scopes` first, then `components.schemas.Scope`. */
  readonly scopes: readonly ScopeEntry[];
  /** Scope names only, ready for the management API's `allowedScopes`. */
  readonly names: readonly string[];
  /** `x-scope-presets` (preset name → scopes), or an empty object. */
  readonly presets: Readonly<Record<string, readonly string[]>>;
}

/** A loaded, compiled document: what enforcement, the gate and the type generator read. */
export interface OpenApiSpec {
  /** The dereferenced document. */
  readonly document: Readonly<Record<string, unknown>>;
  /** Every operation, in document order. */
  readonly operations: readonly OpenApiOperation[];
  readonly catalogue: ScopeCatalogue;
  /** The path prefix stripped from request paths before matching (`basePath`), or `""`. */
  readonly basePath: string;
  /**
   * The operation serving `method` on `path` (a request path: no query string needed, but one
   * is ignored), or null. Concrete paths win over templated ones, as OpenAPI 3.1 §4.8.8
   * requires; a trailing slash is ignored.
   */
  match(method: string, path: string): OpenApiOperation | null;
  /** The operation with this `operationId`, or undefined. */
  operation(operationId: string): OpenApiOperation | undefined;
}

/** Options of `loadOpenApi` / `compileOpenApi`. */
export interface OpenApiOptions {
  /**
   * A prefix requests carry before the document's paths (say `"/api"` when the document's
   * `/v1/tasks` is served at `/api/v1/tasks`). keyward does not read it from `servers`, whose
   * URLs usually differ per environment. @defaultValue ""
   */
  basePath?: string;
}
