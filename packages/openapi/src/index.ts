/**
 * @keyward/openapi — an OpenAPI 3.0/3.1 document as the single source of truth for keyward
 * scopes: per-operation requirements, the scope catalogue, request matching, the CI gate and
 * generated scope types.
 *
 * This file only re-exports.
 * @module
 */

export {
  type CheckOptions,
  checkOpenApi,
  type Finding,
  type FindingKind,
  formatFinding,
  type RouteEntry,
  type ScopeConfiguration,
} from "./check.js";
export { compileOpenApi, loadOpenApi } from "./load.js";
export type {
  HttpMethod,
  OpenApiOperation,
  OpenApiOptions,
  OpenApiSpec,
  OperationRequirement,
  RequirementSource,
  ScopeCatalogue,
  ScopeEntry,
} from "./types.js";
export { scopeTypesSource } from "./types-file.js";
