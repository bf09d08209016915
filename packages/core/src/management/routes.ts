/**
 * The route table of the management API and the matcher that finds a request's route. Paths
 * are relative to the mount point; a trailing slash is ignored.
 */

/** The operations the API offers. */
export type Operation =
  | "listKeys"
  | "createKey"
  | "getKey"
  | "updateKey"
  | "deleteKey"
  | "rotateKey"
  | "revokeKey"
  | "listScopes"
  | "openapi";

/** What a path matched: its operations by method, and the key id when the path has one. */
interface RouteMatch {
  methods: Readonly<Partial<Record<string, Operation>>>;
  id: string | null;
}

const COLLECTION = { GET: "listKeys", POST: "createKey" } as const;
const ITEM = { GET: "getKey", PATCH: "updateKey", DELETE: "deleteKey" } as const;
const ROTATE = { POST: "rotateKey" } as const;
const REVOKE = { POST: "revokeKey" } as const;
const OPENAPI = { GET: "openapi" } as const;
const SCOPES = { GET: "listScopes" } as const;

/** Decodes one path segment; null when it is not valid percent-encoding. */
function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * Finds the route of a path, or null for an unknown path.
 *
 * @example
 * matchRoute("/keys/key_1/rotate", true); // { methods: { POST: "rotateKey" }, id: "key_1" }
 */
export function matchRoute(path: string, withOpenApi: boolean): RouteMatch | null {
  let trimmed = path.startsWith("/") ? path : `/${path}`;
  if (trimmed.length > 1 && trimmed.endsWith("/")) trimmed = trimmed.slice(0, -1);
  const segments = trimmed.slice(1).split("/");

  if (segments.length === 1 && segments[0] === "openapi.json") {
    return withOpenApi ? { methods: OPENAPI, id: null } : null;
  }
  if (segments.length === 1 && segments[0] === "scopes") return { methods: SCOPES, id: null };
  if (segments[0] !== "keys") return null;
  if (segments.length === 1) return { methods: COLLECTION, id: null };

  const id = decodeSegment(segments[1]!);
  if (id === null || id === "" || id.length > 128) return null;
  if (segments.length === 2) return { methods: ITEM, id };
  if (segments.length === 3 && segments[2] === "rotate") return { methods: ROTATE, id };
  if (segments.length === 3 && segments[2] === "revoke") return { methods: REVOKE, id };
  return null;
}

/** The `Allow` header of a route: its methods, plus HEAD where GET is offered, and OPTIONS. */
export function allowHeader(match: RouteMatch): string {
  const methods = Object.keys(match.methods);
  if (methods.includes("GET")) methods.splice(methods.indexOf("GET") + 1, 0, "HEAD");
  methods.push("OPTIONS");
  return methods.join(", ");
}
