/**
 * The route table every adapter mounts for the conformance suite, as data: a path and the
 * auth options (or `false` for an open route). Each adapter's test maps it to its framework in
 * a few lines; every handler answers {@link conformanceBody}.
 */
import type { AuthOptions } from "../http/types.js";
import type { ApiKey, Keyward } from "../types.js";

/** One route: `GET <path>`, protected with `auth` (or open when false). */
export interface ConformanceRoute {
  readonly path: string;
  readonly auth: AuthOptions | false;
}

/**
 * A router (Express `Router`, Fastify child context, a wrapping Next handler) protected with
 * `auth`, whose routes may add their own, stricter, route-level auth.
 */
export interface ConformanceGroup {
  readonly prefix: string;
  readonly auth: AuthOptions;
  /** `auth: false` here means: only the router-level auth applies. */
  readonly routes: readonly ConformanceRoute[];
}

/** What `createApp` receives: the keyward instance to protect the routes with, and the routes. */
export interface ConformanceSetup {
  readonly keyward: Keyward;
  readonly routes: readonly ConformanceRoute[];
  readonly groups: readonly ConformanceGroup[];
}

/** A running app the suite sends HTTP requests to. */
export interface ConformanceApp {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:51234`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Mounts `setup` in a fresh app listening on 127.0.0.1 on an ephemeral port. */
export type CreateConformanceApp = (setup: ConformanceSetup) => Promise<ConformanceApp>;

/** The routes outside any router. */
export const CONFORMANCE_ROUTES: readonly ConformanceRoute[] = Object.freeze([
  { path: "/open", auth: false },
  { path: "/tasks", auth: { scopes: ["task:read"] } },
  { path: "/admin", auth: { scopes: "admin OR (task:write AND project:read)" } },
  { path: "/any", auth: { scopes: { anyOf: ["task:write", "admin:write"] } } },
  { path: "/optional", auth: { optional: true } },
  { path: "/limited", auth: { rateLimit: ["burst"] } },
  { path: "/limited-draft7", auth: { rateLimit: ["burst"], headersFormat: "draft-7" } },
  { path: "/custom-header", auth: { headerNames: ["x-custom-key"] } },
  { path: "/query", auth: { query: true } },
  { path: "/failopen", auth: { failOpen: true } },
]);

/** A router protected with `project:read` holding a route that also requires `project:write`. */
export const CONFORMANCE_GROUPS: readonly ConformanceGroup[] = Object.freeze([
  {
    prefix: "/projects",
    auth: { scopes: ["project:read"] },
    routes: [
      { path: "/list", auth: false },
      { path: "/edit", auth: { scopes: ["project:write"] } },
    ],
  },
]);

/** Content type of every handler's answer. */
export const CONFORMANCE_CONTENT_TYPE = "application/json";

/**
 * What every conformance handler answers (send it as a string with
 * {@link CONFORMANCE_CONTENT_TYPE}, so that the bytes are the same everywhere):
 * `{"keyId":…,"ownerId":…,"scopes":[…]}` for a verified key, `{"key":null}` otherwise.
 */
export function conformanceBody(key: ApiKey | null | undefined): string {
  if (!key) return JSON.stringify({ key: null });
  return JSON.stringify({ keyId: key.id, ownerId: key.ownerId, scopes: key.scopes });
}
