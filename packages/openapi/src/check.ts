/**
 * The gate: `checkOpenApi(spec, routeTable, keyward)` compares the document with the routes an
 * app really serves and with keyward's scope configuration, and lists every drift.
 */
import type { ScopeRequirement } from "@keyward/core";
import { templateShape } from "./match.js";
import type { OpenApiOperation, OpenApiSpec } from "./types.js";

/** A route as the adapters' `routeTable()` lists it. */
export interface RouteEntry {
  readonly method: string;
  /** OpenAPI template form: `/v1/tasks/{id}`. */
  readonly path: string;
  readonly auth: "apiKey" | "webhook" | "none";
  /** The route's scope requirement in code; empty or absent when it names none. */
  readonly scopes?: ScopeRequirement | null;
  /** True when the route's requirement is read from this document (`apiKeyAuth({ openapi })`). */
  readonly openapi?: boolean;
}

/** The kinds of drift, each a stable string for `--json` consumers. */
export type FindingKind =
  | "unknown-scope"
  | "unconfigured-scope"
  | "missing-handler"
  | "undocumented-route"
  | "scope-mismatch"
  | "auth-mismatch"
  | "unprotected-route";

/** One drift between the document, the app and keyward's configuration. */
export interface Finding {
  readonly kind: FindingKind;
  /** `"GET /v1/tasks/{id}"`, or the scope's name for the catalogue kinds. */
  readonly subject: string;
  readonly operationId?: string;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** What to change to fix it. */
  readonly fix: string;
}

/** Options of {@link checkOpenApi}. */
export interface CheckOptions {
  /**
   * Path prefixes under which every route must go through keyward. Default: the first path
   * segment of every operation the document protects (e.g. `/v1`).
   */
  protectedPrefixes?: readonly string[];
  /** Path prefixes to leave out of the route comparison (health checks, docs). @defaultValue [] */
  ignore?: readonly string[];
}

/** What the gate needs of keyward: its presets (any `Keyward` instance has them). */
export interface ScopeConfiguration {
  readonly presets: ReadonlyMap<string, readonly string[]>;
}

const subjectOf = (operation: { method: string; path: string }) =>
  `${operation.method.toUpperCase()} ${operation.path}`;

const underPrefix = (path: string, prefix: string) =>
  path === prefix || path.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`);

/**
 * A requirement in a comparable form: kind plus the sorted scope set, presets in all-of lists
 * expanded with keyward's presets; a query string is compared by its normalized text.
 */
function canonical(
  requirement: ScopeRequirement | null | undefined,
  presets: ReadonlyMap<string, readonly string[]>,
): string {
  if (requirement === null || requirement === undefined) return "all:";
  if (typeof requirement === "string") {
    const text = requirement.trim().replace(/\s+/g, " ");
    if (/^[^()]*$/.test(text) && !text.includes(" OR ")) return canonical(text.split(" AND "), presets);
    if (/^[^()]*$/.test(text) && !text.includes(" AND "))
      return canonical({ anyOf: text.split(" OR ") }, presets);
    return `query:${text}`;
  }
  if ("anyOf" in requirement) {
    const names = [...new Set(requirement.anyOf)].sort();
    return names.length === 1 ? canonical(names, presets) : `any:${names.join(" ")}`;
  }
  const names = new Set(requirement.flatMap((name) => presets.get(name) ?? [name]));
  return `all:${[...names].sort().join(" ")}`;
}

const describe = (requirement: ScopeRequirement | null | undefined): string => {
  if (requirement === null || requirement === undefined) return "no scopes";
  if (typeof requirement === "string") return requirement;
  if ("anyOf" in requirement) return `any of ${requirement.anyOf.join(", ")}`;
  return requirement.length === 0 ? "no scopes" : requirement.join(", ");
};

/** Is a catalogue scope known to keyward's presets (listed, or under a `resource:*` a preset grants)? */
function configured(scope: string, granted: ReadonlySet<string>): boolean {
  if (granted.has(scope)) return true;
  const resource = scope.slice(0, scope.indexOf(":"));
  return granted.has(`${resource}:*`);
}

/**
 * Compares an OpenAPI document with an app's route table and keyward's configuration.
 * Returns every finding, in a stable order (catalogue first, then operations in document
 * order, then routes in table order); an empty list means no drift.
 *
 * Finding kinds: `unknown-scope` (used by an operation, missing from the catalogue),
 * `unconfigured-scope` (in the catalogue, granted by none of keyward's presets — checked only
 * when keyward has presets; the global `*` does not count, it would hide typos),
 * `missing-handler` (an operation no route serves), `undocumented-route` (a route the document
 * does not list), `scope-mismatch` (a route requires other scopes than its operation),
 * `auth-mismatch` (a public operation behind keyward, or a protected one behind a webhook
 * signature), `unprotected-route` (a route without keyward under a protected prefix, or serving
 * a protected operation).
 *
 * @example
 * const findings = checkOpenApi(spec, routeTable(app), keyward);
 * expect(findings).toEqual([]);
 */
export function checkOpenApi(
  spec: OpenApiSpec,
  routes: readonly RouteEntry[],
  keyward: ScopeConfiguration,
  options: CheckOptions = {},
): Finding[] {
  const findings: Finding[] = [];
  const { catalogue } = spec;
  const known = new Set(catalogue.names);

  const used = new Map<string, OpenApiOperation>();
  for (const operation of spec.operations)
    for (const scope of operation.scopes) if (!used.has(scope)) used.set(scope, operation);
  for (const [scope, operation] of used) {
    if (known.has(scope) || keyward.presets.has(scope)) continue;
    findings.push({
      kind: "unknown-scope",
      subject: scope,
      ...(operation.operationId === undefined ? {} : { operationId: operation.operationId }),
      message: `scope "${scope}" is required by ${subjectOf(operation)} but missing from the scope catalogue`,
      fix: `add "${scope}" to x-all-scopes (or components.schemas.Scope.enum), or correct the operation's scopes`,
    });
  }
  if (keyward.presets.size > 0) {
    const granted = new Set([...keyward.presets.values()].flat());
    for (const scope of catalogue.names) {
      if (configured(scope, granted)) continue;
      findings.push({
        kind: "unconfigured-scope",
        subject: scope,
        message: `scope "${scope}" is in the catalogue but none of keyward's presets grants it`,
        fix: `add "${scope}" to a preset in keyward's "scopes" option, or remove it from the catalogue`,
      });
    }
  }

  const ignored = (path: string) => (options.ignore ?? []).some((prefix) => underPrefix(path, prefix));
  const routeKey = (method: string, path: string) => `${method.toUpperCase()} ${templateShape(path)}`;
  const byKey = new Map(
    routes
      .filter((route) => !ignored(route.path))
      .map((route) => [routeKey(route.method, route.path), route]),
  );
  const documented = new Set<string>();
  const needsKey = (op: OpenApiOperation) => op.requirement.kind === "scopes";

  for (const operation of spec.operations) {
    const key = routeKey(operation.method, operation.path);
    documented.add(key);
    if (ignored(operation.path)) continue;
    const route = byKey.get(key);
    const id = operation.operationId === undefined ? {} : { operationId: operation.operationId };
    const subject = subjectOf(operation);
    if (route === undefined) {
      findings.push({
        kind: "missing-handler",
        subject,
        ...id,
        message: `${subject} is in the document but no route serves it`,
        fix: "add the handler, or remove the operation from the document",
      });
      continue;
    }
    const requirement = operation.requirement;
    if (route.auth === "none" && (needsKey(operation) || requirement.kind === "optional")) {
      findings.push({
        kind: "unprotected-route",
        subject,
        ...id,
        message: `${subject} requires an API key in the document but its route has no keyward authentication`,
        fix: "wrap the route with apiKeyAuth / withApiKeyAuth (or apiKeyAuth({ openapi }) on its router)",
      });
      continue;
    }
    if (route.auth === "apiKey" && requirement.kind === "public") {
      findings.push({
        kind: "auth-mismatch",
        subject,
        ...id,
        message: `${subject} is public in the document but its route requires an API key`,
        fix: "remove keyward from the route, or give the operation a security requirement",
      });
      continue;
    }
    if (route.auth === "webhook" && requirement.kind !== "public" && requirement.kind !== "external") {
      findings.push({
        kind: "auth-mismatch",
        subject,
        ...id,
        message: `${subject} requires an API key in the document but its route checks a webhook signature`,
        fix: 'mark the operation "security: []" or protect the route with apiKeyAuth',
      });
      continue;
    }
    if (
      route.auth !== "apiKey" ||
      route.openapi === true ||
      (requirement.kind !== "scopes" && requirement.kind !== "optional")
    )
      continue;
    if (canonical(route.scopes, keyward.presets) !== canonical(requirement.scopes, keyward.presets)) {
      findings.push({
        kind: "scope-mismatch",
        subject,
        ...id,
        message: `${subject} requires ${describe(requirement.scopes)} in the document but ${describe(route.scopes)} in code`,
        fix: "make the route's scopes match the document (or take them from it with apiKeyAuth({ openapi }))",
      });
    }
  }

  const prefixes =
    options.protectedPrefixes ??
    [...new Set(spec.operations.filter(needsKey).map((op) => `/${op.path.split("/")[1] ?? ""}`))].filter(
      (prefix) => prefix !== "/",
    );
  for (const route of routes) {
    const key = routeKey(route.method, route.path);
    if (ignored(route.path) || documented.has(key)) continue;
    const subject = subjectOf(route);
    findings.push({
      kind: "undocumented-route",
      subject,
      message: `${subject} is served but not in the document`,
      fix: "add the operation to the document, or remove the route",
    });
    if (route.auth === "none" && prefixes.some((prefix) => underPrefix(route.path, prefix))) {
      findings.push({
        kind: "unprotected-route",
        subject,
        message: `${subject} is under a protected prefix but has no keyward authentication`,
        fix: "wrap the route with apiKeyAuth / withApiKeyAuth, or move it out of the protected prefix",
      });
    }
  }
  return findings;
}

/** One line per finding: `kind  subject (operationId): message — fix: …`. */
export function formatFinding(finding: Finding): string {
  const id = finding.operationId === undefined ? "" : ` (${finding.operationId})`;
  return `${finding.kind}  ${finding.subject}${id}: ${finding.message} — fix: ${finding.fix}`;
}
